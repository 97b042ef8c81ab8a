/**
 * Pulumi resource names for exported Flows. A name is a function of its own anchor alone — the slug of its
 * Nexla name(s) and the anchor's id — never of which other flows exist: a name that depended on the others
 * (the id appended only when a slug was taken) renamed an untouched flow's Flow when another flow changed,
 * and a rename is a delete plus a create to Pulumi (issue 19). The rule:
 *
 * - a whole flow: `<flow>-<flow id>`, e.g. `orders-100`;
 * - a sub-flow: `<flow>-<resource>-<kind><resource id>`, e.g. `clickstream-sessions-set2101`, with kind
 *   `source`, `set` or `sink`.
 *
 * `<flow>` and `<resource>` are slugs of Nexla's names (lower-case letters, digits and hyphens; `flow` and
 * nothing when a name has no usable character). The last hyphen-separated part names the anchor, which is
 * unique in Nexla, so names are unique by construction; they are valid in any Pulumi URN and need no quoting
 * in YAML or TypeScript.
 */
import type { Anchor } from "../nexla/paths.js";

/** Slugs are cut to this length, so a name stays readable: at most 2 × 40 characters plus the id. */
const MAX = 40;

/** `Orders (EU) — v2` → `orders-eu-v2`; empty when nothing usable is left. */
export function slug(text: string | null): string {
  return (text ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX)
    .replace(/-+$/, "");
}

const short = { data_source: "source", data_set: "set", data_sink: "sink" } as const;

/** The name of the Flow anchored at `anchor` in the flow `flowName`; `resourceName` is the anchor's, for a sub-flow. */
export function entryName(flowName: string | null, anchor: Anchor, resourceName: string | null): string {
  const flow = slug(flowName) || "flow";
  if (anchor.kind === "flow") return `${flow}-${anchor.id}`;
  const resource = slug(resourceName);
  return [flow, ...(resource === "" ? [] : [resource]), `${short[anchor.kind]}${anchor.id}`].join("-");
}
