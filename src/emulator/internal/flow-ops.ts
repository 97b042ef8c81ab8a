/** The flow actions, as Nexla's server performs them (SRV flows_controller.rb, flow_node.rb). */
import { collectionOf, resourceKinds, type ResourceKind, type SeedUser } from "../seed.js";
import { canAccess } from "./access.js";
import { failure, HttpError } from "./http.js";
import type { SettleBook } from "./settle.js";
import type { NodeRecord, ResourceRecord, Store } from "./store.js";

/** How a request names a flow node: by its own id, or by the id of the resource it holds. */
export type Address =
  { readonly kind: "flow"; readonly id: number } | { readonly kind: ResourceKind; readonly id: number };

/** The addressed node (SRV flows_controller.rb#flow_node_from_id_or_resource); unknown ids are an empty 404. */
export function resolveNode(store: Store, address: Address): NodeRecord {
  const node =
    address.kind === "flow"
      ? store.nodes.get(address.id)
      : store.nodes.get(store.findResource(address.kind, address.id)?.flow_node_id ?? -1);
  if (node === undefined) throw new HttpError(404);
  return node;
}

/** The resource whose owner and org are the flow's: the origin's. */
export function flowOwner(store: Store, node: NodeRecord): ResourceRecord {
  return store.resourceOf(store.originOf(node));
}

/** An empty 403 unless `user` may act on the flow of `node` (CanCan AccessDenied, SRV api_controller.rb). */
export function authorize(store: Store, user: SeedUser, node: NodeRecord): void {
  if (!canAccess(user, flowOwner(store, node))) throw new HttpError(403);
}

/** What a flow action starts from: the flow's origin (`all=1` / `full_tree=1`), or the addressed node. */
export type FlowScope = "flow" | "downstream";

export type StatusAction = "activate" | "pause";

const statusAfter: Readonly<Record<StatusAction, "ACTIVE" | "PAUSED">> = {
  activate: "ACTIVE",
  pause: "PAUSED",
};

const startOf = (store: Store, node: NodeRecord, scope: FlowScope) =>
  scope === "flow" ? store.originOf(node) : node;

/**
 * Activate or pause from `node` (or from its origin for scope `flow`), depth first, within the flow (SRV
 * flow_node.rb#flow_activate!, #flow_pause!). A resource already in the target state is left alone.
 */
export function setFlowStatus(
  store: Store,
  settle: SettleBook,
  node: NodeRecord,
  action: StatusAction,
  scope: FlowScope,
): void {
  // Checked before choosing the start node, so it rejects a pause too (SRV flows_controller.rb#activate).
  const origin = flowOwner(store, node);
  if (origin.kind === "data_source" && origin.status === "RATE_LIMITED")
    throw failure(400, "Flow is rate limited");
  for (const each of store.subtree(startOf(store, node, scope))) {
    settle.change(store.resourceOf(each), statusAfter[action]);
  }
}

/**
 * Deletes `node`'s subtree (or the whole flow for scope `flow`), bottom-up, refusing while anything in it is
 * active: 405 listing the active resources (SRV flow_node.rb#flow_destroy).
 */
export function deleteFlow(store: Store, node: NodeRecord, scope: FlowScope): void {
  const doomed = store.subtree(startOf(store, node, scope));
  const active = doomed.map((n) => store.resourceOf(n)).filter((r) => r.status === "ACTIVE");
  if (active.length > 0) {
    const ids = (kind: ResourceKind) =>
      active
        .filter((r) => r.kind === kind)
        .map((r) => r.id)
        .sort((a, b) => a - b);
    throw new HttpError(405, {
      ...Object.fromEntries(resourceKinds.map((kind) => [collectionOf[kind], ids(kind)])),
      message: "Active flow resources must be paused before flow deletion!",
    });
  }
  for (const each of doomed.reverse()) store.removeNode(each);
}
