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
import { accessRoles } from "./access.js";
import type { NodeRecord, ResourceRecord, Store } from "./store.js";

export interface RenderOptions {
  readonly viewer: SeedUser;
  /** `flows_only=1`: the node trees only, no resource lists. */
  readonly flowsOnly: boolean;
  /** The status to show (reads show settling statuses; write responses the stored ones). */
  readonly status: (resource: ResourceRecord) => ResourceStatus;
}

type Json = Record<string, unknown>;

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
    Object.assign(rendered, {
      status: options.status(resource),
      project_id: node.project_id ?? null,
      name: node.name ?? null,
      description: node.description ?? null,
      ...(node.flow_type == null ? {} : { flow_type: node.flow_type }),
    });
  }
  rendered["children"] = store.children(node).map((child) => renderNode(store, child, options));
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

function resourceLists(store: Store, origins: readonly NodeRecord[], options: RenderOptions): Json {
  const resources = origins.flatMap((o) => store.subtree(o)).map((n) => store.resourceOf(n));
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
    shared_data_sets: [],
    ...people(store, [...resources, ...credentials, ...containers, ...projects], projects, options.viewer),
  };
}

/** The body of every flow response: the given origins' whole trees and, unless flows-only, their resources. */
export function renderFlows(store: Store, origins: readonly NodeRecord[], options: RenderOptions): Json {
  return {
    flows: origins.map((origin) => renderNode(store, origin, options)),
    triggered_flows: [],
    triggering_flows: [],
    linked_flows: [],
    ...(options.flowsOnly ? {} : resourceLists(store, origins, options)),
  };
}
