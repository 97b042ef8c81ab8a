/**
 * The rule users rely on is about flows, and Pulumi sees resources: a rename, a split, a merge or a sub-flow
 * moved from one Flow to another is, for the engine, "create the new Flow, then delete the old one", and the
 * new one has already adopted what the old one's delete would pause and delete. So a delete never deletes,
 * pauses or otherwise touches a resource that a Flow of the same operation declares: the removed Flow releases
 * it, and says so.
 *
 * In `pulumi up` the engine runs `check` for every Flow of the program, in the one provider process, before it
 * deletes the Flows the program no longer declares (overlap.ts keeps those declarations). A Flow being deleted
 * is not among them (it left the program), unless the engine replaces it, and then its new self declares it.
 * `destroy` runs no program: nothing is declared, and everything is deleted as the product promises.
 *
 * When part of the removed Flow's scope is still declared and part is not, nothing of it is deleted: Nexla's
 * delete cascades downstream, so the undeclared upper part cannot go without the declared part below it. The
 * note names what is left undeclared and how to delete it on purpose.
 */
import type { Anchor, Scope } from "../../src/nexla/paths.js";
import type { FlowResponse } from "../../src/nexla/types.js";
import type { ObservedFlow, ResourceRef } from "../../src/planner/index.js";
import { anchorKeyOf } from "../../src/declaration/schema.js";
import { stringLiteral } from "../../src/text.js";
import { anchorText } from "./log.js";
import { declarations, tryObserve, type Declared } from "./overlap.js";

/** A declared Flow that shares resources with a scope about to be deleted, and the shared resources. */
export interface Holder {
  readonly flow: Declared;
  readonly resources: readonly ResourceRef[];
}

/** The Flows of this operation whose scopes, placed in `response`, share resources with `doomed`. */
export function holdersOf(response: FlowResponse, doomed: ObservedFlow): Holder[] {
  const inScope = new Set(doomed.resources.map(key));
  // Only Flows anchored in this flow can hold any of it: placing the others (thousands, on a large stack)
  // would cost a failed observe each, for every delete.
  const inFlow = new Set(doomed.flowResources.flatMap((r) => [`flow ${r.flowNodeId}`, key(r)]));
  const here = declarations().filter((flow) => inFlow.has(`${flow.anchor.kind} ${flow.anchor.id}`));
  return here.flatMap((flow) => {
    const observed = tryObserve(response, flow.anchor, flow.scope);
    if (observed === undefined) return [];
    const shared = observed.resources
      .filter((r) => inScope.has(key(r)))
      .map(({ kind, id }) => ({ kind, id }));
    return shared.length === 0 ? [] : [{ flow, resources: shared }];
  });
}

/**
 * Why the Flow `removed`, whose scope (`anchor`, `scope`) Nexla reports as `doomed`, must delete nothing: the
 * sentence its delete logs instead; undefined when no Flow of the operation declares any of it.
 */
export function releaseNote(
  removed: string,
  anchor: Anchor,
  scope: Scope,
  response: FlowResponse,
  doomed: ObservedFlow,
): string | undefined {
  const holders = holdersOf(response, doomed);
  if (holders.length === 0) return undefined;
  const subject =
    scope === "flow"
      ? `flow ${doomed.originNodeId}`
      : `the sub-flow from ${anchorText(anchor)} in flow ${doomed.originNodeId}`;
  const declaredKeys = new Set(holders.flatMap((h) => h.resources.map(key)));
  const undeclared = doomed.resources.filter((r) => !declaredKeys.has(key(r)));
  // A Flow of the same name under another parent (moved under a component) is named with its URN.
  const nameOf = (flow: Declared) =>
    flow.name === removed && flow.urn !== flow.name
      ? `${stringLiteral(flow.name)} (${stringLiteral(flow.urn)})`
      : stringLiteral(flow.name);
  const by = andList(holders.map((h) => nameOf(h.flow)));
  if (undeclared.length === 0) {
    return `${subject} is declared by ${by}: ${stringLiteral(removed)} released it, nothing deleted.`;
  }
  const parts = andList(holders.map((h) => `${nameOf(h.flow)} (${refList(h.resources)})`));
  return (
    `${subject} is declared in part by ${parts}: ${stringLiteral(removed)} released it, nothing of it deleted. ` +
    `Left undeclared in Nexla: ${refList(undeclared)}. ${deleteOnPurpose(response, undeclared, declaredKeys)}`
  );
}

/**
 * How to delete the undeclared part on purpose: a resource whose subtree holds nothing declared can be
 * deleted on its own (declare it in a downstream Flow, then remove that Flow); one above declared resources
 * cannot, since Nexla would delete those with it.
 */
function deleteOnPurpose(
  response: FlowResponse,
  undeclared: readonly ResourceRef[],
  declaredKeys: ReadonlySet<string>,
): string {
  const subtrees = new Map(
    undeclared.map((r) => [r, tryObserve(response, r, "downstream")?.resources.map(key) ?? []]),
  );
  const subtree = (r: ResourceRef) => subtrees.get(r) ?? [];
  const alone = undeclared.filter((r) => subtree(r).every((k) => !declaredKeys.has(k)));
  const below = new Set(alone.flatMap((r) => subtree(r).filter((k) => k !== key(r))));
  const roots = alone.filter((r) => !below.has(key(r)));
  const upstream = undeclared.filter((r) => !alone.includes(r));
  const sentences: string[] = [];
  if (roots.length > 0) {
    const example = roots[0]!;
    sentences.push(
      `To delete ${refList(roots)} (and what lies below) on purpose, declare each in a Flow of its own ` +
        `(e.g. { ${anchorKeyOf(example.kind)}: ${example.id}, scope: "downstream", status: "PAUSED" }), run ` +
        "`pulumi up`, then remove that Flow.",
    );
  }
  if (upstream.length > 0) {
    sentences.push(
      `${refList(upstream)} lie above declared resources: Nexla's delete cascades downstream, so they can be ` +
        "deleted only with them, by removing the Flows that declare them too.",
    );
  }
  return sentences.join(" ");
}

const key = (r: ResourceRef) => `${r.kind} ${r.id}`;

/** Resource names, the first 12 of them, then a count: a note stays readable on a flow of hundreds. */
function refList(refs: readonly ResourceRef[]): string {
  const shown = refs.slice(0, 12).map(key).join(", ");
  return refs.length > 12 ? `${shown} and ${refs.length - 12} more` : shown;
}

function andList(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)!}`;
}
