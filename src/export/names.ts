/**
 * Pulumi resource names for exported Flows, derived from Nexla's names: lower-case letters, digits and
 * hyphens (valid in any Pulumi URN, safe unquoted in YAML and TypeScript strings), unique in the program, and
 * a function of the org alone, so re-exporting an unchanged org gives the same names.
 */
import type { Anchor } from "../nexla/paths.js";

const MAX = 80;

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

const short = { flow: "flow", data_source: "source", data_set: "set", data_sink: "sink" } as const;

/** The name a Flow would like: the flow's name, plus the anchor resource's name for a sub-flow. */
export function preferredName(
  flowName: string | null,
  originNodeId: number,
  anchor: Anchor,
  resourceName: string | null,
): string {
  const flow = slug(flowName) || `flow-${originNodeId}`;
  if (anchor.kind === "flow") return flow;
  return `${flow}-${slug(resourceName) || `${short[anchor.kind]}-${anchor.id}`}`;
}

/** Hands out unique names in call order: a taken name gets the anchor's id, then a counter, appended. */
export function nameRegistry(): (preferred: string, anchor: Anchor) => string {
  const taken = new Set<string>();
  return (preferred, anchor) => {
    const candidates = [
      preferred,
      `${preferred}-${anchor.kind === "flow" ? "" : `${short[anchor.kind]}-`}${anchor.id}`,
    ];
    let name = candidates.find((c) => !taken.has(c));
    for (let n = 2; name === undefined; n += 1) {
      const next = `${candidates[1]}-${n}`;
      if (!taken.has(next)) name = next;
    }
    taken.add(name);
    return name;
  };
}
