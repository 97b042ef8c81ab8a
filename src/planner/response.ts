/**
 * Reading a flow response (docs/nexla-api.md §2.3) defensively: it comes from the network, so every fact the
 * planner relies on is checked, and a response that lacks one is reported, never guessed around.
 */
import { flowCall, type Anchor } from "../nexla/paths.js";
import {
  collectionOf,
  knownResourceStatuses,
  resourceKinds,
  type FlowNode,
  type FlowResponse,
} from "../nexla/types.js";
import { couldNot, PlannerError } from "./errors.js";
import type { ObservedResource, ResourceRef } from "./types.js";

type Bag = Readonly<Record<string, unknown>>;
const isBag = (value: unknown): value is Bag => typeof value === "object" && value !== null;
const isId = (value: unknown): value is number => Number.isSafeInteger(value);

export function malformed(anchor: Anchor, detail: string): PlannerError {
  const call = flowCall(anchor, "get", "flow");
  const what =
    `the response is malformed: ${detail}. This is a bug in pulumi-nexla or a change in Nexla's API: ` +
    "please report it with the response.";
  return new PlannerError("malformed_response", couldNot("read", anchor, call, what));
}

/** `flows[0]`: a flow response renders the whole flow from its origin (SRV flows#show). */
export function originNode(response: FlowResponse, anchor: Anchor): FlowNode {
  const flows: unknown = isBag(response) ? response["flows"] : undefined;
  if (!Array.isArray(flows)) throw malformed(anchor, "it has no `flows` list");
  const origin: unknown = flows[0];
  if (!isBag(origin)) throw malformed(anchor, "its `flows` list is empty");
  checkNode(origin, anchor);
  // A node is an origin iff its id is its origin_node_id (SRV flow_node.rb#is_origin?).
  if (origin["id"] !== origin["origin_node_id"]) {
    throw malformed(anchor, `flows[0] is node ${String(origin["id"])}, which is not an origin node`);
  }
  return origin as FlowNode;
}

/**
 * The nodes of flow `originId` from `start` down, depth first. Children with another origin start flows of
 * their own (derived from a shared nexset, docs/nexla-api.md §4) and are left out, as Nexla's activate and
 * pause leave them (SRV flow_node.rb#flow_activate_traverse).
 */
export function walkFlow(start: FlowNode, originId: number, anchor: Anchor): FlowNode[] {
  const nodes: FlowNode[] = [];
  const seen = new Set<number>();
  const stack = [start];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (seen.has(node.id)) throw malformed(anchor, `node ${node.id} appears more than once`);
    seen.add(node.id);
    nodes.push(node);
    const own = childrenOf(node, anchor).filter((child) => child.origin_node_id === originId);
    stack.push(...own.reverse());
  }
  return nodes;
}

function childrenOf(node: FlowNode, anchor: Anchor): FlowNode[] {
  const children: unknown = node.children;
  if (children === undefined) return [];
  if (!Array.isArray(children))
    throw malformed(anchor, `node ${node.id} has \`children\` that is not a list`);
  for (const child of children) {
    if (!isBag(child)) throw malformed(anchor, `node ${node.id} has a child that is not an object`);
    checkNode(child, anchor);
  }
  return children as FlowNode[];
}

function checkNode(node: Bag, anchor: Anchor): void {
  if (!isId(node["id"])) throw malformed(anchor, "a node has no id");
  if (!isId(node["origin_node_id"])) throw malformed(anchor, `node ${node["id"]} has no origin_node_id`);
}

/** The resource a node holds: exactly one of `data_source_id`, `data_set_id`, `data_sink_id` (docs/nexla-api.md §4). */
export function heldBy(node: FlowNode, anchor: Anchor): ResourceRef {
  const kinds = resourceKinds.filter((kind) => node[`${kind}_id`] !== undefined);
  const kind = kinds[0];
  if (kind === undefined) throw malformed(anchor, `node ${node.id} names no resource`);
  if (kinds.length > 1) throw malformed(anchor, `node ${node.id} names more than one resource`);
  const id = node[`${kind}_id`];
  if (!isId(id)) throw malformed(anchor, `node ${node.id} has a ${kind}_id that is not an id`);
  return { kind, id };
}

const knownStatuses: readonly string[] = knownResourceStatuses;

/** Looks up resources in the response's lists, where their status and owner are (child nodes carry none). */
export function resourceReader(response: FlowResponse, anchor: Anchor): (node: FlowNode) => ObservedResource {
  const index = new Map<string, Bag>();
  for (const kind of resourceKinds) {
    const list: unknown = response[collectionOf[kind]] ?? [];
    if (!Array.isArray(list)) throw malformed(anchor, `\`${collectionOf[kind]}\` is not a list`);
    for (const item of list) if (isBag(item)) index.set(`${kind} ${String(item["id"])}`, item);
  }
  return (node: FlowNode): ObservedResource => {
    const { kind, id } = heldBy(node, anchor);
    const item = index.get(`${kind} ${id}`);
    const where = `${kind} ${id} of node ${node.id}`;
    if (item === undefined) throw malformed(anchor, `${where} is not in \`${collectionOf[kind]}\``);
    const { status, owner_id: ownerId, org_id: orgId } = item;
    if (typeof status !== "string") throw malformed(anchor, `${where} has no status`);
    // A status Nexla's server cannot store (docs/nexla-api.md §3) is never guessed at: planning on it could
    // activate or pause what nobody understands.
    if (!knownStatuses.includes(status)) {
      throw malformed(
        anchor,
        `${where} has the status ${JSON.stringify(status)}, which is not one of ${knownStatuses.join(", ")}`,
      );
    }
    if (!isId(ownerId) || !isId(orgId)) throw malformed(anchor, `${where} has no owner_id or org_id`);
    return { kind, id, flowNodeId: node.id, status, ownerId, orgId };
  };
}
