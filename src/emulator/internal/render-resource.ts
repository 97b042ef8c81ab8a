/**
 * Single-resource responses (`GET /data_sources/{id}` and siblings, resource-only activate/pause), which
 * nest `owner` and `org` objects, unlike the resource lists of flow responses (SRV
 * views/api/v1/data_sources/_show.json.jbuilder and siblings; docs/nexla-api.md §2.5).
 */
import type { ResourceStatus, SeedUser } from "../seed.js";
import { accessRoles } from "./access.js";
import { connectorOf } from "./render-flow.js";
import type { ResourceRecord, Store } from "./store.js";

function typeSpecific(store: Store, resource: ResourceRecord): Record<string, unknown> {
  const node = store.nodeOf(resource);
  const parent = node.parent_node_id === null ? undefined : store.nodes.get(node.parent_node_id);
  const parentOf = (kind: string) => (parent?.resource_type === kind ? parent.resource_id : null);
  switch (resource.kind) {
    case "data_source":
      return {
        runtime_status: "IDLE",
        data_credentials_id: resource.data_credentials_id ?? null,
        source_type: connectorOf(resource),
      };
    case "data_set":
      return {
        data_source_id: parentOf("data_source"),
        parent_data_set_id: parentOf("data_set"),
        code_container_id: resource.code_container_id ?? null,
      };
    case "data_sink":
      return {
        runtime_status: "IDLE",
        data_set_id: parentOf("data_set"),
        data_credentials_id: resource.data_credentials_id ?? null,
        sink_type: connectorOf(resource),
      };
  }
}

export function renderSingleResource(
  store: Store,
  resource: ResourceRecord,
  viewer: SeedUser,
  status: (resource: ResourceRecord) => ResourceStatus,
): Record<string, unknown> {
  const owner = store.users.get(resource.owner_id);
  const org = store.orgs.get(resource.org_id);
  return {
    id: resource.id,
    origin_node_id: resource.origin_node_id,
    flow_node_id: resource.flow_node_id,
    parent_node_id: store.nodeOf(resource).parent_node_id,
    owner: owner && { id: owner.id, full_name: owner.name, email: owner.email },
    org: org && { id: org.id, name: org.name, email_domain: org.email_domain ?? null, email: null },
    access_roles: accessRoles(viewer, resource),
    name: resource.name,
    description: resource.description ?? null,
    status: status(resource),
    ...typeSpecific(store, resource),
  };
}
