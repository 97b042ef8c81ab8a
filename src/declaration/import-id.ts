/**
 * The id `pulumi import nexla:index:Flow <name> <id>` takes: which flow, or which sub-flow, to adopt.
 *
 * - `<kind>:<id>[:<scope>]`: the anchor as a Flow declares it, kind `flow` (a flow node id), `data_source`,
 *   `data_set` or `data_sink`, scope `flow` (the default: the whole flow) or `downstream`, e.g. `flow:100`,
 *   `data_source:1100`, `data_set:2101:downstream`;
 * - the resource ids a Flow is stored with (state.ts `resourceId`): `<origin>` for a whole flow, and
 *   `<origin>/<anchor node>` for a sub-flow from a node, which must still be in that flow.
 */
import type { Anchor, Scope } from "../nexla/paths.js";

export interface ImportTarget {
  readonly anchor: Anchor;
  readonly scope: Scope;
  /** The flow the id says the anchor is in (`<origin>/<anchor node>`), to be checked against Nexla. */
  readonly origin?: number;
}

const kinds = ["flow", "data_source", "data_set", "data_sink"] as const;
const positive = /^[1-9][0-9]{0,15}$/;

export const importIdForms =
  "`flow:<node id>`, `data_source:<id>`, `data_set:<id>` or `data_sink:<id>`, each optionally followed by " +
  "`:downstream` (the anchor and what lies below it) or `:flow` (the default: the whole flow), e.g. `flow:100` " +
  "or `data_set:2101:downstream`; or a Flow's stored id, `<origin node>` or `<origin node>/<anchor node>`";

/** The import id's target, or an error naming the forms it takes. */
export function parseImportId(id: string): ImportTarget {
  const stored = /^([1-9][0-9]{0,15})(?:\/([1-9][0-9]{0,15}))?$/.exec(id);
  if (stored !== null) {
    const origin = Number(stored[1]);
    if (stored[2] === undefined) return { anchor: { kind: "flow", id: origin }, scope: "flow" };
    return { anchor: { kind: "flow", id: Number(stored[2]) }, scope: "downstream", origin };
  }
  const [kind, number, scope, ...rest] = id.split(":");
  const known = (kinds as readonly string[]).includes(kind ?? "");
  if (
    known &&
    positive.test(number ?? "") &&
    rest.length === 0 &&
    [undefined, "flow", "downstream"].includes(scope)
  )
    return {
      anchor: { kind: kind as Anchor["kind"], id: Number(number) },
      scope: scope === "downstream" ? "downstream" : "flow",
    };
  throw new Error(`${JSON.stringify(id)} is not an id of a Flow to import. Use ${importIdForms}.`);
}

/** The id that imports `anchor` with `scope`: what a refusal or `export --format import` names. */
export function importIdOf(anchor: Anchor, scope: Scope): string {
  return `${anchor.kind}:${anchor.id}${scope === "downstream" ? ":downstream" : ""}`;
}
