/** A flow response → the state of one flow or sub-flow, as the planner and the provider's outputs see it. */
import { flowCall, type Anchor, type Scope } from "../nexla/paths.js";
import type { FlowNode, FlowResponse } from "../nexla/types.js";
import { couldNot, PlannerError } from "./errors.js";
import { originNode, resourceReader, walkFlow } from "./response.js";
import { deriveStatus, distinctOwners } from "./status.js";
import type { ObservedFlow, ObservedResource, ResourceRef } from "./types.js";

interface Held {
  readonly node: FlowNode;
  readonly resource: ObservedResource;
}

/**
 * Observes the scope `anchor` and `scope` select in a flow response. Throws a `PlannerError` with code
 * `malformed_response` when the response lacks what Nexla's server always renders, and `anchor_not_in_flow`
 * when the anchor is not part of the flow the response renders.
 */
export function observe(response: FlowResponse, anchor: Anchor, scope: Scope): ObservedFlow {
  const origin = originNode(response, anchor);
  const read = resourceReader(response, anchor);
  const flow: Held[] = walkFlow(origin, origin.id, anchor).map((node) => ({ node, resource: read(node) }));
  const found = flow.find((held) => isAnchor(held, anchor));
  if (found === undefined) throw notInFlow(anchor, origin.id);
  const flowResources = flow.map((held) => held.resource);
  const resources = scope === "flow" ? flowResources : subtree(flow, found.node, origin.id, anchor);
  const owners = distinctOwners(flowResources);
  return {
    originNodeId: origin.id,
    anchorNodeId: found.node.id,
    name: typeof origin.name === "string" ? origin.name : null,
    status: deriveStatus(resources),
    resources,
    flowResources,
    rateLimited: rateLimited(resources, flowResources),
    owner: owners.length === 1 ? owners[0] : undefined,
    owners,
  };
}

function isAnchor({ node, resource }: Held, anchor: Anchor): boolean {
  if (anchor.kind === "flow") return node.id === anchor.id;
  return resource.kind === anchor.kind && resource.id === anchor.id;
}

/** The anchor's node and everything below it, in the whole flow's depth-first order. */
function subtree(flow: readonly Held[], top: FlowNode, originId: number, anchor: Anchor): ObservedResource[] {
  const ids = new Set(walkFlow(top, originId, anchor).map((node) => node.id));
  return flow.filter((held) => ids.has(held.node.id)).map((held) => held.resource);
}

/**
 * Nexla answers 400 "Flow is rate limited" to activate and pause when the flow's origin source is
 * rate limited, checked before the start node is chosen (docs/nexla-api.md §2.4), so the origin blocks a
 * downstream scope too. Rate-limited sources in scope are listed as well: docs/design.md §3 treats them as
 * sources that cannot be activated or paused, and what Nexla does with one further down is not documented.
 */
function rateLimited(
  resources: readonly ObservedResource[],
  flow: readonly ObservedResource[],
): ResourceRef[] {
  const origin = flow[0];
  const blocking = resources.filter((r) => r.status === "RATE_LIMITED");
  if (origin?.status === "RATE_LIMITED" && !blocking.includes(origin)) blocking.unshift(origin);
  return blocking.map(({ kind, id }) => ({ kind, id }));
}

function notInFlow(anchor: Anchor, originId: number): PlannerError {
  const subject = anchor.kind === "flow" ? `node ${anchor.id}` : `${anchor.kind} ${anchor.id}`;
  const what =
    `Nexla answered with flow ${originId}, which does not contain ${subject}. Run again; if it persists, ` +
    "this is a bug in pulumi-nexla: please report it with the response.";
  return new PlannerError(
    "anchor_not_in_flow",
    couldNot("read", anchor, flowCall(anchor, "get", "flow"), what),
  );
}
