/**
 * The in-memory state. Synchronous on purpose: a handler's mutation runs to completion before another
 * request is looked at, so concurrent requests can never see a half-applied cascade.
 */
import {
  collectionOf,
  resourceKinds,
  type ResourceKind,
  type Seed,
  type SeedFlowNode,
  type SeedOrg,
  type SeedProject,
  type SeedResource,
  type SeedSharedResource,
  type SeedUser,
} from "../seed.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type NodeRecord = Mutable<SeedFlowNode>;
export type ResourceRecord = Mutable<SeedResource> & { readonly kind: ResourceKind };
export type SharedRecord = Mutable<SeedSharedResource>;

const byId = <T extends { id: number }>(entries: readonly T[]): Map<number, T> =>
  new Map(entries.map((e) => [e.id, structuredClone(e)]));

export class Store {
  readonly orgs: Map<number, SeedOrg>;
  readonly users: Map<number, SeedUser>;
  readonly projects: Map<number, SeedProject>;
  readonly credentials: Map<number, SharedRecord>;
  readonly codeContainers: Map<number, SharedRecord>;
  readonly nodes: Map<number, NodeRecord>;
  readonly resources: Readonly<Record<ResourceKind, Map<number, ResourceRecord>>>;
  /** Child node ids by parent id, sorted ascending (SRV renders children sorted by id). */
  readonly #children = new Map<number, number[]>();

  constructor(seed: Seed) {
    this.orgs = byId(seed.orgs);
    this.users = byId(seed.users);
    this.projects = byId(seed.projects);
    this.credentials = byId(seed.data_credentials);
    this.codeContainers = byId(seed.code_containers);
    this.nodes = byId(seed.flow_nodes);
    const records = (kind: ResourceKind) =>
      new Map(seed[collectionOf[kind]].map((r) => [r.id, { ...structuredClone(r), kind }]));
    this.resources = {
      data_source: records("data_source"),
      data_set: records("data_set"),
      data_sink: records("data_sink"),
    };
    for (const node of [...this.nodes.values()].sort((a, b) => a.id - b.id)) {
      if (node.parent_node_id !== null) this.#childIds(node.parent_node_id).push(node.id);
    }
  }

  #childIds(parent: number): number[] {
    let ids = this.#children.get(parent);
    if (ids === undefined) this.#children.set(parent, (ids = []));
    return ids;
  }

  /** A deep copy of the state in seed format. */
  toSeed(): Seed {
    const list = <T>(map: ReadonlyMap<number, T>): T[] => structuredClone([...map.values()]);
    const resources = (kind: ResourceKind): SeedResource[] =>
      list(this.resources[kind]).map(({ kind: _kind, ...rest }) => rest);
    return {
      orgs: list(this.orgs),
      users: list(this.users),
      projects: list(this.projects),
      data_credentials: list(this.credentials),
      code_containers: list(this.codeContainers),
      flow_nodes: list(this.nodes),
      data_sources: resources("data_source"),
      data_sets: resources("data_set"),
      data_sinks: resources("data_sink"),
    };
  }

  resourceOf(node: NodeRecord): ResourceRecord {
    const resource = this.resources[node.resource_type].get(node.resource_id);
    if (resource === undefined) throw new Error(`flow node ${node.id} has lost its ${node.resource_type}`);
    return resource;
  }

  nodeOf(resource: ResourceRecord): NodeRecord {
    const node = this.nodes.get(resource.flow_node_id);
    if (node === undefined) throw new Error(`${resource.kind} ${resource.id} has lost its flow node`);
    return node;
  }

  originOf(node: NodeRecord): NodeRecord {
    const origin = this.nodes.get(node.origin_node_id);
    if (origin === undefined) throw new Error(`flow node ${node.id} has lost its origin`);
    return origin;
  }

  /** Direct children in the same flow (SRV flow_activate_traverse never follows another origin). */
  children(node: NodeRecord): NodeRecord[] {
    const ids = this.#children.get(node.id) ?? [];
    return ids.flatMap((id) => {
      const child = this.nodes.get(id);
      return child !== undefined && child.origin_node_id === node.origin_node_id ? [child] : [];
    });
  }

  /**
   * Origins of flows derived from the shared nexsets of `node`'s flow, whose parent is `node` (SRV
   * flow_node.rb#reset_flow_origin; docs/nexla-api.md §4).
   */
  derivedChildren(node: NodeRecord): NodeRecord[] {
    const ids = this.#children.get(node.id) ?? [];
    return ids.flatMap((id) => {
      const child = this.nodes.get(id);
      return child !== undefined && child.shared_origin_node_id === node.origin_node_id ? [child] : [];
    });
  }

  /** Origins of every flow derived from a shared nexset of the flow of `origin` (SRV #sharers_with_flows). */
  derivedFlows(origin: NodeRecord): NodeRecord[] {
    return this.origins().filter((n) => n.shared_origin_node_id === origin.origin_node_id);
  }

  /** The origins `origin` is linked to, either side of the link (SRV flow_links_concern.rb#linked_flow_ids). */
  linkedFlows(origin: NodeRecord): NodeRecord[] {
    const ids = new Set(origin.linked_flow_ids ?? []);
    for (const other of this.nodes.values())
      if (other.linked_flow_ids?.includes(origin.id) === true) ids.add(other.id);
    ids.delete(origin.id);
    return [...ids].flatMap((id) => this.nodes.get(id) ?? []).sort((a, b) => a.id - b.id);
  }

  /** `start` and every node below it, depth first, parents before children. */
  subtree(start: NodeRecord): NodeRecord[] {
    return [start, ...this.children(start).flatMap((child) => this.subtree(child))];
  }

  /** Origin nodes, ascending by id. */
  origins(): NodeRecord[] {
    return [...this.nodes.values()].filter((n) => n.id === n.origin_node_id).sort((a, b) => a.id - b.id);
  }

  /** Removes a node and its resource (the caller removes children first: bottom-up, SRV flow_destroy). */
  removeNode(node: NodeRecord): void {
    // Only an out-of-band delete (control.deleteFlow) removes a shared nexset with derived flows: they stay,
    // as standalone flows, so the state remains a valid seed.
    for (const derived of this.derivedChildren(node))
      Object.assign(derived, { parent_node_id: null, shared_origin_node_id: null });
    this.resources[node.resource_type].delete(node.resource_id);
    this.nodes.delete(node.id);
    // A flow's links go with its origin (SRV FlowNode has_many left_links/right_links, dependent: :destroy).
    for (const other of this.nodes.values()) {
      if (other.linked_flow_ids?.includes(node.id) === true)
        other.linked_flow_ids = other.linked_flow_ids.filter((id) => id !== node.id);
    }
    this.#children.delete(node.id);
    if (node.parent_node_id === null) return;
    const siblings = this.#children.get(node.parent_node_id);
    siblings?.splice(siblings.indexOf(node.id), 1);
  }

  findResource(kind: ResourceKind, id: number): ResourceRecord | undefined {
    return this.resources[kind].get(id);
  }

  allResources(): ResourceRecord[] {
    return resourceKinds.flatMap((kind) => [...this.resources[kind].values()]);
  }
}
