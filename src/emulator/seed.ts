/**
 * The emulator's whole state, in a JSON-serializable form: what `createEmulator({ seed })` starts from, what
 * `control.state()` returns and what `dataFile` holds. Field names follow Nexla's wire names (snake_case).
 */

/** The three resource kinds a flow node can hold (docs/nexla-api.md §4). */
export type ResourceKind = "data_source" | "data_set" | "data_sink";

/**
 * Stored statuses: `INIT | PAUSED | ACTIVE` on every resource, `RATE_LIMITED` on data sources only
 * (SRV alembic schema, docs/nexla-api.md §3). The emulator's own copy of Nexla's vocabulary (it shares no
 * code with the client); test/unit/status-vocabulary.test.ts keeps the copies in step.
 */
export const resourceStatuses = ["INIT", "PAUSED", "ACTIVE", "RATE_LIMITED"] as const;
export type ResourceStatus = (typeof resourceStatuses)[number];

export interface SeedOrg {
  readonly id: number;
  readonly name: string;
  /** @default null */
  readonly email_domain?: string | null;
  /**
   * The org's cluster status (SRV org.rb Cluster_Status). While `MIGRATING`, data sources of the org can be
   * neither activated nor paused: 405 (SRV data_source.rb#activate!, #pause!; docs/nexla-api.md §2.4). @default "ACTIVE"
   */
  readonly cluster_status?: ClusterStatus;
  /**
   * The org tier's limit on active data sources, dependent sources not counted (SRV org_tier.rb
   * #validate_data_source_activate; docs/nexla-api.md §2.4). Absent or null: unlimited.
   */
  readonly active_source_limit?: number | null;
}

/** SRV org.rb Cluster_Status. */
export const clusterStatuses = ["ACTIVE", "MIGRATING"] as const;
export type ClusterStatus = (typeof clusterStatuses)[number];

export interface SeedUser {
  readonly id: number;
  readonly email: string;
  readonly name: string;
  /** Orgs the user is a member of; the first one is the user's default org (the `org` of `POST /token`). */
  readonly org_ids: readonly number[];
  /** Super users may read and operate every flow and are the only ones who may change a flow's owner. */
  readonly super_user: boolean;
  /** Exchanged at `POST /token` (`Authorization: Basic <service_key>`) for an access token. */
  readonly service_key: string;
  /** A session token accepted as `Authorization: Bearer <access_token>`; it does not expire. */
  readonly access_token: string;
  /**
   * Orgs the user is an admin of (a subset of `org_ids`): an org admin sees flows derived from the org's shared
   * nexsets within the org (SRV render_builder.rb#load_resources, flow_node.rb#can_traverse?). @default []
   */
  readonly admin_org_ids?: readonly number[];
}

export interface SeedProject {
  readonly id: number;
  readonly org_id: number;
  readonly owner_id: number;
  readonly name: string;
  /** @default "" */
  readonly description?: string;
  /** Users who can manage the project, besides its owner and super users (the change-owner preflight). */
  readonly member_ids: readonly number[];
}

/** A data credential or a code container: owned, and usable by its owner and by `shared_with`. */
export interface SeedSharedResource {
  readonly id: number;
  readonly name: string;
  /** Data credentials: the connector, rendered as `credentials_type`. @default "s3" */
  readonly credentials_type?: string;
  readonly owner_id: number;
  readonly org_id: number;
  readonly shared_with: readonly number[];
}

/**
 * A flow node. A node is an origin iff `id === origin_node_id`; origins have `parent_node_id: null` and
 * carry the flow-level `name`, `description` and `project_id`. Each node holds exactly one resource.
 */
export interface SeedFlowNode {
  readonly id: number;
  readonly parent_node_id: number | null;
  readonly origin_node_id: number;
  readonly resource_type: ResourceKind;
  readonly resource_id: number;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly project_id?: number | null;
  /** Origins only; rendered when set. `"rag"` marks a RAG flow (SRV FlowNode Flow_Types). */
  readonly flow_type?: string | null;
  /**
   * Derived origins only: the origin of the flow whose shared nexset this flow derives from. Such an origin is
   * a data set whose `parent_node_id` is the shared data set's node in that other flow (SRV
   * flow_node.rb#reset_flow_origin; docs/nexla-api.md §4). @default null
   */
  readonly shared_origin_node_id?: number | null;
  /**
   * Origins only: the origins of the flows this flow is linked to (SRV FlowLink, link type linked_flow; a link
   * is symmetric, so it is listed on either side). A link to a flow whose `flow_type` is "rag" makes Nexla refuse
   * to delete this flow (SRV flow_links_concern.rb#linked_rag_flow_ids; docs/nexla-api.md §2.4). @default []
   */
  readonly linked_flow_ids?: readonly number[];
}

/** A data source, data set or data sink. Ids are unique per kind (each kind has its own id space). */
export interface SeedResource {
  readonly id: number;
  readonly name: string;
  /** @default null */
  readonly description?: string | null;
  readonly status: ResourceStatus;
  readonly owner_id: number;
  readonly org_id: number;
  readonly flow_node_id: number;
  readonly origin_node_id: number;
  /** Sources and sinks only. */
  readonly data_credentials_id?: number | null;
  /** Data sets only. */
  readonly code_container_id?: number | null;
  /**
   * Sources and sinks: the connector, rendered as `source_type` / `sink_type` (docs/nexla-api.md §2.3, 2.5;
   * Nexla's SDK models require it). @default "s3"
   */
  readonly connector_type?: string;
}

/** The whole state. Every list may be empty; ids are unique within each list. */
export interface Seed {
  readonly orgs: readonly SeedOrg[];
  readonly users: readonly SeedUser[];
  readonly projects: readonly SeedProject[];
  readonly data_credentials: readonly SeedSharedResource[];
  readonly code_containers: readonly SeedSharedResource[];
  readonly flow_nodes: readonly SeedFlowNode[];
  readonly data_sources: readonly SeedResource[];
  readonly data_sets: readonly SeedResource[];
  readonly data_sinks: readonly SeedResource[];
}

/** The plural list name of a kind, as in paths (`/data_sets/{id}/flow`) and in flow responses. */
export const collectionOf = {
  data_source: "data_sources",
  data_set: "data_sets",
  data_sink: "data_sinks",
} as const satisfies Record<ResourceKind, string>;

export type ResourceCollection = (typeof collectionOf)[ResourceKind];

export const resourceKinds: readonly ResourceKind[] = ["data_source", "data_set", "data_sink"];
