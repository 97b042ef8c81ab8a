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

/** An org's active sources; dependent ones (fed by a sink) are not counted (SRV org_tier.rb). */
export function activeSourceCount(store: Store, orgId: number): number {
  return [...store.resources.data_source.values()].filter(
    (r) => r.org_id === orgId && r.status === "ACTIVE" && store.nodeOf(r).parent_node_id === null,
  ).length;
}

/** False when the org of `source` has as many active sources as its tier allows (SRV org_tier.rb). */
export function withinSourceLimit(store: Store, source: ResourceRecord): boolean {
  const limit = store.orgs.get(source.org_id)?.active_source_limit ?? null;
  return limit === null || activeSourceCount(store, source.org_id) < limit;
}

const migrating = (store: Store, r: ResourceRecord) =>
  store.orgs.get(r.org_id)?.cluster_status === "MIGRATING";

/**
 * One resource's activate! / pause! (SRV data_source.rb, data_set.rb, data_sink.rb): a no-op in the target
 * state; a data source refuses with 405 while its org's cluster migrates, and an activation beyond the org's
 * active-source limit (docs/nexla-api.md §2.4).
 */
export function setResourceStatus(
  store: Store,
  settle: SettleBook,
  resource: ResourceRecord,
  action: StatusAction,
): void {
  const target = statusAfter[action];
  if (resource.status === target) return;
  if (resource.kind === "data_source") {
    const verb = action === "activate" ? "activated" : "paused";
    if (migrating(store, resource))
      throw failure(405, `Data source cannot be ${verb} while org's cluster is migrating`);
    if (action === "activate" && !withinSourceLimit(store, resource))
      throw failure(405, "Active data source limit would be exceeded.");
  }
  settle.change(resource, target);
}

/**
 * Activate or pause from `node` (or from its origin for scope `flow`), depth first, within the flow (SRV
 * flow_node.rb#flow_activate!, #flow_pause!). A resource already in the target state is left alone. The
 * traversal is not a transaction: a resource that refuses stops it, and what changed before stays changed.
 */
export function setFlowStatus(
  store: Store,
  settle: SettleBook,
  node: NodeRecord,
  action: StatusAction,
  scope: FlowScope,
): void {
  // Both checked before choosing the start node, so they reject a pause too (SRV flows_controller.rb#activate).
  const origin = flowOwner(store, node);
  if (origin.kind === "data_source" && origin.status === "RATE_LIMITED")
    throw failure(400, "Flow is rate limited");
  if (origin.kind === "data_source" && !withinSourceLimit(store, origin))
    throw failure(400, "Active data source limit would be exceeded.");
  for (const each of store.subtree(startOf(store, node, scope))) {
    setResourceStatus(store, settle, store.resourceOf(each), action);
  }
}

/** SRV flow_node.rb#sharers_with_flows: who owns the nexsets derived from this flow's shared nexsets. */
function sharers(store: Store, node: NodeRecord): Record<string, unknown>[] {
  const seen = new Map<string, Record<string, unknown>>();
  for (const derived of store.derivedFlows(store.originOf(node))) {
    const set = store.resourceOf(derived);
    const sharer = {
      email: store.users.get(set.owner_id)?.email ?? null,
      org: store.orgs.get(set.org_id)?.name ?? null,
      org_id: set.org_id,
    };
    seen.set(JSON.stringify(sharer), sharer);
  }
  return [...seen.values()];
}

/**
 * Deletes `node`'s subtree (or the whole flow for scope `flow`), bottom-up (SRV flow_node.rb#flow_destroy),
 * refusing with 405, in this order: while flows derive from the flow's shared nexsets (`sharers`, whatever the
 * scope), while the flow is linked to a RAG flow (`linked_rag_flow_ids`), while anything in the subtree is active.
 */
export function deleteFlow(store: Store, node: NodeRecord, scope: FlowScope): void {
  const start = startOf(store, node, scope);
  const sharing = sharers(store, start);
  if (sharing.length > 0) {
    throw new HttpError(405, {
      sharers: sharing,
      message: "Flow cannot be deleted while shared nexsets have downstream flows",
    });
  }
  const rag = store
    .linkedFlows(store.originOf(node))
    .filter((f) => f.flow_type === "rag")
    .map((f) => f.id);
  if (rag.length > 0) {
    throw new HttpError(405, {
      linked_rag_flow_ids: rag,
      message: "Flow cannot be deleted while linked to a RAG flow",
    });
  }
  const doomed = store.subtree(start);
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

/**
 * `DELETE /data_sinks/{id}` (SRV data_sinks_controller.rb#destroy, data_sink.rb#destroy): 405 "Data sink must be
 * paused before deletion" while active; else the sink and its node go. A dependent source it fed then starts
 * a flow of its own (SRV data_source.rb#remove_origin_data_sink, flow_node.rb#reset_flow_origin with no parent).
 */
export function deleteSink(store: Store, sink: ResourceRecord): void {
  if (sink.status === "ACTIVE") throw failure(405, "Data sink must be paused before deletion");
  const node = store.nodeOf(sink);
  for (const child of store.children(node)) {
    for (const each of store.subtree(child)) {
      each.origin_node_id = child.id;
      store.resourceOf(each).origin_node_id = child.id;
    }
    child.parent_node_id = null;
  }
  store.removeNode(node);
}
