/**
 * Flow responses in the shape Nexla's server renders them (SRV views/api/v1/flows/_show.json.jbuilder,
 * _show_node.json.jbuilder, services/flows/builders/render_builder.rb; docs/nexla-api.md §2.3).
 */
import {
  collectionOf,
  resourceKinds,
  type ResourceStatus,
  type SeedProject,
  type SeedUser,
} from "../seed.js";
import { accessRoles, canAccess } from "./access.js";
import type { NodeRecord, ResourceRecord, Store } from "./store.js";

export interface RenderOptions {
  readonly viewer: SeedUser;
  /** `flows_only=1`: the node trees only, no resource lists. */
  readonly flowsOnly: boolean;
  /** The status to show (reads show settling statuses; write responses the stored ones). */
  readonly status: (resource: ResourceRecord) => ResourceStatus;
}

type Json = Record<string, unknown>;

/**
 * Whether the viewer sees a flow derived from a shared nexset of `parent`'s flow as a child of the shared node:
 * super users always; others only within the derived flow's org, as its owner or an admin of that org
 * (SRV render_builder.rb#build, flow_node.rb#can_traverse?; docs/nexla-api.md §2.3).
 */
function seesDerived(store: Store, parent: NodeRecord, derived: NodeRecord, viewer: SeedUser): boolean {
  if (viewer.super_user) return true;
  const set = store.resourceOf(derived);
  if (!viewer.org_ids.includes(set.org_id)) return false;
  if (set.org_id !== flowOwnerOf(store, parent).org_id) return false;
  return set.owner_id === viewer.id || (viewer.admin_org_ids ?? []).includes(set.org_id);
}

const flowOwnerOf = (store: Store, node: NodeRecord) => store.resourceOf(store.originOf(node));

/** Children as SRV sorts them: by (shared_origin_node_id or 0, id). */
function childrenOf(store: Store, node: NodeRecord, viewer: SeedUser): NodeRecord[] {
  const derived = store.derivedChildren(node).filter((d) => seesDerived(store, node, d, viewer));
  const key = (n: NodeRecord) => [n.shared_origin_node_id ?? 0, n.id] as const;
  return [...store.children(node), ...derived].sort((a, b) => key(a)[0] - key(b)[0] || a.id - b.id);
}

function renderNode(store: Store, node: NodeRecord, options: RenderOptions): Json {
  const resource = store.resourceOf(node);
  const rendered: Json = {
    id: node.id,
    parent_node_id: node.parent_node_id,
    origin_node_id: node.origin_node_id,
    [`${node.resource_type}_id`]: node.resource_id,
    runtime_status: "IDLE",
  };
  // A flow's status is its origin node's, which mirrors the origin resource (SRV data_source.rb#activate!);
  // child nodes carry no status (SRV _show_node.json.jbuilder).
  if (node.id === node.origin_node_id) {
    // A derived origin names the shared nexset it derives from (SRV _show_node.json.jbuilder).
    const shared = node.parent_node_id === null ? undefined : store.nodes.get(node.parent_node_id);
    if (shared !== undefined) rendered["shared_data_set_id"] = shared.resource_id;
    Object.assign(rendered, {
      status: options.status(resource),
      project_id: node.project_id ?? null,
      name: node.name ?? null,
      description: node.description ?? null,
      ...(node.flow_type == null ? {} : { flow_type: node.flow_type }),
    });
  }
  // Origins with flow links list the linked origins (SRV render_builder.rb#get_linked_flows, #build_flow).
  const linked = node.id === node.origin_node_id ? store.linkedFlows(node) : [];
  if (linked.length > 0) rendered["linked_flows"] = linked.map((f) => f.id);
  rendered["children"] = childrenOf(store, node, options.viewer).map((child) =>
    renderNode(store, child, options),
  );
  return rendered;
}

/** A source's or sink's connector (`source_type` / `sink_type`; docs/nexla-api.md §2.3). */
export const connectorOf = (resource: ResourceRecord): string => resource.connector_type ?? "s3";

/** The links a resource item shows to its neighbours (OA FlowElements item fields). */
function neighbours(store: Store, resource: ResourceRecord): Json {
  const node = store.nodeOf(resource);
  const parent = node.parent_node_id === null ? undefined : store.nodes.get(node.parent_node_id);
  const parentOf = (kind: string) => (parent?.resource_type === kind ? parent.resource_id : null);
  switch (resource.kind) {
    case "data_source":
      return {
        data_credentials_id: resource.data_credentials_id ?? null,
        source_type: connectorOf(resource),
      };
    case "data_set":
      return {
        data_source_id: parentOf("data_source"),
        parent_data_set_id: parentOf("data_set"),
        code_container_id: resource.code_container_id ?? null,
        data_sink_ids: store
          .children(node)
          .flatMap((c) => (c.resource_type === "data_sink" ? [c.resource_id] : [])),
      };
    case "data_sink":
      return {
        data_credentials_id: resource.data_credentials_id ?? null,
        data_set_id: parentOf("data_set"),
        sink_type: connectorOf(resource),
      };
  }
}

function renderResource(store: Store, resource: ResourceRecord, options: RenderOptions): Json {
  return {
    id: resource.id,
    owner_id: resource.owner_id,
    org_id: resource.org_id,
    flow_node_id: resource.flow_node_id,
    origin_node_id: resource.origin_node_id,
    name: resource.name,
    description: resource.description ?? null,
    status: options.status(resource),
    runtime_status: "IDLE",
    ...neighbours(store, resource),
  };
}

const ascending = <T extends { id: number }>(items: Iterable<T>): T[] =>
  [...items].sort((a, b) => a.id - b.id);
const unique = <T>(items: readonly (T | undefined)[]): T[] =>
  [...new Set(items)].filter((x) => x !== undefined);

interface Owned {
  readonly id: number;
  readonly owner_id: number;
  readonly org_id: number;
  readonly name: string;
}
const brief = ({ id, owner_id, org_id, name }: Owned): Json => ({ id, owner_id, org_id, name });

/** The users, orgs and projects that the rendered objects refer to (SRV _show.json.jbuilder). */
function people(
  store: Store,
  owned: readonly Owned[],
  projects: readonly SeedProject[],
  viewer: SeedUser,
): Json {
  const orgs = ascending(unique(owned.map((o) => store.orgs.get(o.org_id))));
  const users = ascending(unique(owned.map((o) => store.users.get(o.owner_id))));
  return {
    orgs: orgs.map(({ id, name, email_domain }) => ({
      id,
      name,
      description: null,
      email_domain: email_domain ?? null,
      email: null,
    })),
    // "name", not OA's "full_name" (SRV _show.json.jbuilder; docs/nexla-api.md §9.8).
    users: users.map(({ id, email, name }) => ({ id, email, name })),
    projects: ascending(projects).map((p) => ({
      ...brief(p),
      description: p.description ?? "",
      access_roles: accessRoles(viewer, p),
    })),
  };
}

/**
 * The origins whose resources are listed: the rendered ones and, for super users (any org) and org admins
 * (the flow's own org), the flows derived from their shared nexsets (SRV render_builder.rb#load_resources).
 */
function listedOrigins(store: Store, origins: readonly NodeRecord[], viewer: SeedUser): NodeRecord[] {
  const listed = new Map(origins.map((o) => [o.id, o]));
  for (const origin of origins) {
    const org = flowOwnerOf(store, origin).org_id;
    const admin =
      viewer.super_user ||
      (viewer.org_ids[0] !== undefined && (viewer.admin_org_ids ?? []).includes(viewer.org_ids[0]));
    if (!admin) continue;
    for (const derived of store.derivedFlows(origin))
      if (viewer.super_user || store.resourceOf(derived).org_id === org) listed.set(derived.id, derived);
  }
  return [...listed.values()];
}

/** The shared nexsets the rendered derived flows derive from (SRV render_builder.rb#load_resources). */
function sharedDataSets(store: Store, origins: readonly NodeRecord[]): ResourceRecord[] {
  return origins.flatMap((o) => {
    const parent = o.shared_origin_node_id == null ? undefined : store.nodes.get(o.parent_node_id ?? -1);
    return parent === undefined ? [] : [store.resourceOf(parent)];
  });
}

function resourceLists(store: Store, origins: readonly NodeRecord[], options: RenderOptions): Json {
  const resources = listedOrigins(store, origins, options.viewer)
    .flatMap((o) => store.subtree(o))
    .map((n) => store.resourceOf(n));
  const credentials = unique(resources.map((r) => store.credentials.get(r.data_credentials_id ?? -1)));
  const containers = unique(resources.map((r) => store.codeContainers.get(r.code_container_id ?? -1)));
  const projects = unique(origins.map((o) => store.projects.get(o.project_id ?? -1)));
  const lists: Json = {};
  for (const kind of resourceKinds) {
    const ofKind = ascending(resources.filter((r) => r.kind === kind));
    lists[collectionOf[kind]] = ofKind.map((r) => renderResource(store, r, options));
  }
  return {
    code_containers: ascending(containers).map(brief),
    ...lists,
    data_credentials: ascending(credentials).map((c) => ({
      ...brief(c),
      credentials_type: c.credentials_type ?? "s3",
    })),
    data_credentials_groups: [],
    dependent_flow_nodes: [],
    origin_data_sink_flow_nodes: [],
    // Like the other lists, but without origin_node_id (docs/nexla-api.md §2.3).
    shared_data_sets: ascending(sharedDataSets(store, origins)).map((r) => {
      const { origin_node_id: _origin, ...rest } = renderResource(store, r, options);
      return rest;
    }),
    ...people(store, [...resources, ...credentials, ...containers, ...projects], projects, options.viewer),
  };
}

/** The body of every flow response: the given origins' whole trees and, unless flows-only, their resources. */
export function renderFlows(store: Store, origins: readonly NodeRecord[], options: RenderOptions): Json {
  // Linked flows not rendered in `flows`, those the viewer may read (SRV render_builder.rb#get_linked_flows).
  const shown = new Set(origins.map((o) => o.id));
  const linked = [
    ...new Map(origins.flatMap((o) => store.linkedFlows(o)).map((f) => [f.id, f])).values(),
  ].filter((f) => !shown.has(f.id) && canAccess(options.viewer, flowOwnerOf(store, f)));
  return {
    flows: origins.map((origin) => renderNode(store, origin, options)),
    triggered_flows: [],
    triggering_flows: [],
    // Sorted by id, descending, as SRV render_builder.rb#build_flows sorts by default.
    linked_flows: ascending(linked)
      .reverse()
      .map((f) => renderNode(store, f, options)),
    ...(options.flowsOnly ? {} : resourceLists(store, origins, options)),
  };
}
