/**
 * One flow's view cut out of a `GET /flows` answer, so that one list read can serve many Flows (coalesced reads,
 * docs/design.md §3). The list is one object: `flows` holds one origin node per flow, each with its whole tree,
 * and the resource lists hold the resources of all of them (docs/nexla-api.md §2.3). Pure.
 *
 * The cut is what `GET /flows/{id}` (or `GET /{collection}/{id}/flow`) answers for the same anchor: the origin
 * node of the anchor's flow with its whole tree, and the resources its nodes hold. When the anchor is not in the
 * list, or the list is not what Nexla renders, the answer is `undefined`: the caller reads that flow on its own,
 * never guesses (a flow the list leaves out may still exist: by default `GET /flows` lists the flows the user
 * owns, docs/nexla-api.md §2.2).
 */
import type { Anchor } from "../nexla/paths.js";
import {
  collectionOf,
  resourceKinds,
  type FlowNode,
  type FlowResource,
  type FlowResponse,
} from "../nexla/types.js";

type Bag = Readonly<Record<string, unknown>>;
const isBag = (value: unknown): value is Bag => typeof value === "object" && value !== null;
const isId = (value: unknown): value is number => Number.isSafeInteger(value);

/** Finds anchors in one list answer; built once per answer, then asked once per waiting Flow. */
export interface FlowList {
  /** The single-flow view of the flow that holds `anchor`, or undefined when the list does not show it. */
  flowOf(anchor: Anchor): FlowResponse | undefined;
  /** How many flows (origin nodes) the list holds. */
  readonly size: number;
}

export function flowList(list: unknown): FlowList {
  const flows: unknown = isBag(list) ? list["flows"] : undefined;
  if (!isBag(list) || !Array.isArray(flows)) return { flowOf: () => undefined, size: 0 };
  const origins = new Map<number, FlowNode>();
  // Every node of every tree, by node id and by the resource it holds, pointing at the node's origin id.
  const originOfNode = new Map<number, number>();
  const originOfResource = new Map<string, number>();
  for (const origin of flows) {
    if (!isBag(origin) || !isId(origin["id"]) || origin["id"] !== origin["origin_node_id"]) continue;
    origins.set(origin["id"], origin as FlowNode);
  }
  for (const origin of origins.values()) {
    for (const node of nodesOf(origin)) {
      const own = node.origin_node_id;
      // A node rendered under another flow (derived from a shared nexset) belongs to its own origin.
      if (!originOfNode.has(node.id) || own === origin.id) originOfNode.set(node.id, own);
      const held = heldKey(node);
      if (held !== undefined && (!originOfResource.has(held) || own === origin.id))
        originOfResource.set(held, own);
    }
  }
  const lists = resourceLists(list);
  return {
    size: origins.size,
    flowOf(anchor) {
      const originId =
        anchor.kind === "flow"
          ? originOfNode.get(anchor.id)
          : originOfResource.get(`${anchor.kind} ${anchor.id}`);
      const origin = originId === undefined ? undefined : origins.get(originId);
      if (origin === undefined || lists === undefined) return undefined;
      return cut(list, origin, lists);
    },
  };
}

type Lists = Readonly<Record<string, readonly FlowResource[]>>;

function resourceLists(list: Bag): Lists | undefined {
  const lists: Record<string, readonly FlowResource[]> = {};
  for (const kind of resourceKinds) {
    const items: unknown = list[collectionOf[kind]] ?? [];
    if (!Array.isArray(items)) return undefined;
    lists[collectionOf[kind]] = items as FlowResource[];
  }
  return lists;
}

/** The origin's flow as a single GET renders it: its tree, and the resources its nodes hold. */
function cut(list: Bag, origin: FlowNode, lists: Lists): FlowResponse {
  const held = new Set<string>();
  for (const node of nodesOf(origin)) {
    const key = heldKey(node);
    if (key !== undefined) held.add(key);
  }
  const view: Record<string, unknown> = { ...list, flows: [origin] };
  for (const kind of resourceKinds) {
    const collection = collectionOf[kind];
    view[collection] = (lists[collection] ?? []).filter(
      (item) => isBag(item) && held.has(`${kind} ${String(item["id"])}`),
    );
  }
  return view as unknown as FlowResponse;
}

/** Every well-formed node of a tree, depth first; a node seen twice is walked once. */
function nodesOf(origin: FlowNode): FlowNode[] {
  const nodes: FlowNode[] = [];
  const seen = new Set<number>();
  const stack: unknown[] = [origin];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (!isBag(node) || !isId(node["id"]) || !isId(node["origin_node_id"]) || seen.has(node["id"])) continue;
    seen.add(node["id"]);
    nodes.push(node as FlowNode);
    if (Array.isArray(node["children"])) stack.push(...(node["children"] as unknown[]));
  }
  return nodes;
}

function heldKey(node: FlowNode): string | undefined {
  const kinds = resourceKinds.filter((kind) => node[`${kind}_id`] !== undefined);
  const kind = kinds[0];
  return kinds.length === 1 && kind !== undefined ? `${kind} ${String(node[`${kind}_id`])}` : undefined;
}
