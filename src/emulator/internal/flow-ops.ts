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

/**
 * Activate or pause from `node` (or from its origin when `all`), depth first, within the flow (SRV
 * flow_node.rb#flow_activate!, #flow_pause!). A resource already in the target state is left alone.
 */
export function setFlowStatus(
  store: Store,
  settle: SettleBook,
  node: NodeRecord,
  activate: boolean,
  all: boolean,
): void {
  // Checked before choosing the start node, so it rejects a pause too (SRV flows_controller.rb#activate).
  const origin = flowOwner(store, node);
  if (origin.kind === "data_source" && origin.status === "RATE_LIMITED")
    throw failure(400, "Flow is rate limited");
  const start = all ? store.originOf(node) : node;
  for (const each of store.subtree(start)) {
    settle.change(store.resourceOf(each), activate ? "ACTIVE" : "PAUSED");
  }
}

/**
 * Deletes `node`'s subtree (or the whole flow when `all`), bottom-up, refusing while anything in it is
 * active: 405 listing the active resources (SRV flow_node.rb#flow_destroy).
 */
export function deleteFlow(store: Store, node: NodeRecord, all: boolean): void {
  const doomed = store.subtree(all ? store.originOf(node) : node);
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
