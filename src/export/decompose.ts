/**
 * One flow as Nexla reports it → the fewest `Flow` declarations that reproduce its statuses (and, if asked,
 * its owner) without a single write. Pure: no I/O.
 *
 * A Flow's scope is always a node and everything below it (docs/design.md §3), and the provider refuses two
 * Flows whose scopes overlap with different statuses (README "Safety rules"). So a flow whose resources all
 * agree is one whole-flow Flow; a MIXED flow is one `downstream` Flow per largest sub-flow whose resources
 * agree. A resource above sub-flows that differ cannot be declared by any Flow without contradicting one of
 * them, and neither can a RATE_LIMITED source (a Flow declares ACTIVE or PAUSED): such resources are listed
 * as `undeclared`, so the user sees exactly what the declarations do not pin down.
 */
import type { Anchor } from "../nexla/paths.js";
import { collectionOf, type FlowNode, type FlowResponse } from "../nexla/types.js";
import { isAt, observe, type ObservedFlow, type ObservedResource } from "../planner/index.js";

export type DeclaredStatus = "ACTIVE" | "PAUSED";

export interface Declaration {
  /** The whole flow (`flowId`, scope flow) or a sub-flow (a resource anchor, scope downstream). */
  readonly anchor: Anchor;
  readonly scope: "flow" | "downstream";
  readonly status: DeclaredStatus;
  readonly owner?: { readonly ownerId: number; readonly orgId: number };
  /** The anchor resource's name in Nexla, for a sub-flow (names the Flow and its comment). */
  readonly resourceName: string | null;
}

export interface ExportedFlow {
  readonly originNodeId: number;
  readonly name: string | null;
  readonly projectId: number | null;
  readonly observed: ObservedFlow;
  readonly declarations: readonly Declaration[];
  /** Resources no Flow can declare without contradicting another, with the reason. */
  readonly undeclared: readonly { readonly resource: ObservedResource; readonly why: string }[];
  /** Why the owner was not declared although asked (owners differ within the flow). */
  readonly ownerNote?: string;
  /** The origin's `flow_type`: `rag` for a RAG flow (docs/nexla-api.md §4 item 2). */
  readonly flowType: string | null;
  /** The origins of the flows linked to this one (the origin's `linked_flows`, §4 item 2). */
  readonly linkedFlows: readonly number[];
  /** For a flow derived from another's shared nexset, that nexset's node, in the other flow (§4 item 3). */
  readonly sharedNodeId: number | null;
}

/** `response` renders exactly one flow (flows[0] is its origin). */
export function decompose(response: FlowResponse, withOwner: boolean): ExportedFlow {
  const origin = response.flows[0];
  if (origin === undefined) throw new Error("decompose: the response renders no flow");
  const observed = observe(response, { kind: "flow", id: origin.id }, "flow");
  const byNode = new Map(observed.flowResources.map((r) => [r.flowNodeId, r]));
  const nameOf = (r: ObservedResource): string | null => {
    const listed = response[collectionOf[r.kind]]?.find((item) => item.id === r.id)?.name;
    return typeof listed === "string" ? listed : null;
  };
  const found: Declaration[] = [];
  const undeclared: { resource: ObservedResource; why: string }[] = [];
  const visit = (node: FlowNode): void => {
    const resource = byNode.get(node.id);
    if (resource === undefined) return;
    const status = uniform(node, origin.id, byNode);
    if (status !== undefined) {
      found.push(declaration(node, resource, nameOf(resource), status, node === origin));
      return;
    }
    undeclared.push({ resource, why: whyNot(resource) });
    for (const child of ownChildren(node, origin.id)) visit(child);
  };
  visit(origin);
  const owner = withOwner ? observed.owner : undefined;
  const declarations = found.map((d, i) => (i === 0 && owner ? { ...d, owner } : d));
  return {
    originNodeId: origin.id,
    name: typeof origin.name === "string" ? origin.name : null,
    projectId: typeof origin.project_id === "number" ? origin.project_id : null,
    observed,
    declarations,
    undeclared,
    ...(withOwner && owner === undefined ? { ownerNote: ownerNote(observed) } : {}),
    flowType: typeof origin.flow_type === "string" ? origin.flow_type : null,
    linkedFlows: Array.isArray(origin["linked_flows"])
      ? origin["linked_flows"].filter((id): id is number => Number.isInteger(id))
      : [],
    sharedNodeId: origin.parent_node_id ?? null,
  };
}

function declaration(
  node: FlowNode,
  resource: ObservedResource,
  name: string | null,
  status: DeclaredStatus,
  whole: boolean,
): Declaration {
  if (whole) return { anchor: { kind: "flow", id: node.id }, scope: "flow", status, resourceName: null };
  return {
    anchor: { kind: resource.kind, id: resource.id },
    scope: "downstream",
    status,
    resourceName: name,
  };
}

/** Children in the same flow: a child with another origin starts a flow of its own (docs/nexla-api.md §4). */
function ownChildren(node: FlowNode, originId: number): readonly FlowNode[] {
  return (node.children ?? []).filter((child) => child.origin_node_id === originId);
}

/** The status every resource of the node's subtree is at, or `undefined` when they disagree. */
function uniform(
  node: FlowNode,
  originId: number,
  byNode: ReadonlyMap<number, ObservedResource>,
): DeclaredStatus | undefined {
  const statuses = new Set<DeclaredStatus | undefined>();
  const walk = (n: FlowNode): void => {
    const r = byNode.get(n.id);
    if (r !== undefined) statuses.add(declarable(r));
    for (const child of ownChildren(n, originId)) walk(child);
  };
  walk(node);
  const [only] = statuses;
  return statuses.size === 1 ? only : undefined;
}

/** INIT counts as paused (a resource never activated does not run); RATE_LIMITED is neither. */
function declarable(r: ObservedResource): DeclaredStatus | undefined {
  if (isAt(r.status, "ACTIVE")) return "ACTIVE";
  return isAt(r.status, "PAUSED") ? "PAUSED" : undefined;
}

function whyNot(r: ObservedResource): string {
  if (declarable(r) === undefined)
    return `${r.status} can be neither declared nor changed (Nexla refuses to activate or pause it)`;
  return "above sub-flows with different statuses (a Flow covers everything below its anchor)";
}

function ownerNote(observed: ObservedFlow): string {
  const owners = observed.owners.map((o) => `${o.ownerId}/org ${o.orgId}`).join(", ");
  return `owner not declared: its resources have different owners (${owners})`;
}
