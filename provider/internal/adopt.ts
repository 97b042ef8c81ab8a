/**
 * `pulumi import nexla:index:Flow <name> <id>`: the engine reads a Flow it has no state for, by the id the user
 * typed (src/declaration/import-id.ts), and stores what the read answers. The read adopts the flow as a create
 * would, but writes nothing: the declaration it answers with is what Nexla reports now, so the program the CLI
 * generates from it previews with no changes. A scope whose resources disagree (MIXED) has no such declaration: it
 * is refused, naming the sub-flows to import instead (the same cut `pulumi-nexla export` makes).
 */
import { checkedInputs } from "../../src/declaration/check.js";
import { importIdForms, importIdOf, parseImportId } from "../../src/declaration/import-id.js";
import { anchorKeyOf } from "../../src/declaration/schema.js";
import { resourceId, toOutputs, type FlowOutputs } from "../../src/declaration/state.js";
import { decompose } from "../../src/export/decompose.js";
import { flowLabel, type Anchor, type Scope } from "../../src/nexla/paths.js";
import type { FlowResponse } from "../../src/nexla/types.js";
import { observe, type ObservedFlow } from "../../src/planner/index.js";
import { anchorText } from "./log.js";
import type { FlowReads } from "./reads.js";

type Bag = Record<string, unknown>;

export interface Adopted {
  /** The Flow's resource id, as a create would have set it. */
  readonly id: string;
  /** The declaration that reproduces what Nexla reports: anchor, scope when not the whole flow, status. */
  readonly inputs: Bag;
  readonly outputs: FlowOutputs;
}

export async function adoptForImport(reads: FlowReads, importId: string): Promise<Adopted> {
  const { anchor, scope, origin } = parseImportId(importId);
  const response = await reads.read(anchor, { onlyRead: true });
  if (response === undefined)
    throw new Error(
      `Cannot import ${JSON.stringify(importId)}: Nexla reports no ${anchorText(anchor)} (${flowLabel(anchor)} ` +
        "was not found, or these credentials cannot see it). Nothing was imported. Check the id (the forms are " +
        `${importIdForms}) and the credentials.`,
    );
  const observed = observe(response, anchor, scope);
  if (origin !== undefined && observed.originNodeId !== origin)
    throw new Error(
      `Cannot import ${JSON.stringify(importId)}: node ${anchor.id} is now in flow ${observed.originNodeId}, not ` +
        `in flow ${origin}. Nothing was imported. Import ${importIdOf(anchor, scope)} to adopt it where it is now.`,
    );
  if (observed.status === "MIXED") throw mixed(importId, response, observed, anchor, scope);
  const inputs: Bag = { [anchorKeyOf(anchor.kind)]: anchor.id, status: observed.status };
  if (scope === "downstream") inputs["scope"] = scope;
  return {
    id: resourceId(observed, scope),
    inputs,
    outputs: toOutputs(checkedInputs(inputs), observed),
  };
}

/** The refusal of a MIXED scope, naming the largest sub-flows whose resources agree, each with its import id. */
function mixed(
  importId: string,
  response: FlowResponse,
  observed: ObservedFlow,
  anchor: Anchor,
  scope: Scope,
): Error {
  const inScope = new Set(observed.resources.map((r) => `${r.kind} ${r.id}`));
  const whole = decompose(response, false);
  const parts = whole.declarations
    .filter((d) => inScope.has(`${d.anchor.kind} ${d.anchor.id}`))
    .map((d) => `${importIdOf(d.anchor, d.scope)} (${d.status})`);
  const left = whole.undeclared
    .filter((u) => inScope.has(`${u.resource.kind} ${u.resource.id}`))
    .map((u) => `${u.resource.kind} ${u.resource.id}`);
  const subject =
    scope === "flow" ? `flow ${observed.originNodeId}` : `the sub-flow from ${anchorText(anchor)}`;
  return new Error(
    `Cannot import ${JSON.stringify(importId)}: the resources of ${subject} are not all ACTIVE or all PAUSED ` +
      "(MIXED), and a Flow declares one status for its whole scope, so no declaration reproduces it without a " +
      `write. Nothing was imported. Import these sub-flows instead, each as a Flow of its own: ${parts.join(", ")}.` +
      (left.length > 0
        ? ` No Flow can declare ${left.join(", ")} without contradicting one of them; they stay undeclared.`
        : ""),
  );
}
