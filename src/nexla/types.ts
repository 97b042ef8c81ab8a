/**
 * Wire types of Nexla's flows API, as Nexla's server renders them (docs/nexla-api.md §2.3).
 * Fields the product does not read are typed loosely; unknown fields are kept, never rejected.
 */

/** The three resource kinds a flow node can hold, in the singular form of Nexla's `<kind>_id` keys. */
export type ResourceKind = "data_source" | "data_set" | "data_sink";

/** The plural collection name used in paths (`/data_sets/{id}/flow`) and in response lists. */
export type ResourceCollection = "data_sources" | "data_sets" | "data_sinks";

export const collectionOf: Readonly<Record<ResourceKind, ResourceCollection>> = {
  data_source: "data_sources",
  data_set: "data_sets",
  data_sink: "data_sinks",
};

export const resourceKinds: readonly ResourceKind[] = ["data_source", "data_set", "data_sink"];

/**
 * Stored statuses: `INIT | PAUSED | ACTIVE`, plus `RATE_LIMITED` on data sources and flow nodes
 * (docs/nexla-api.md §3). The type admits other strings because the client returns Nexla's answer as it
 * comes; the planner refuses a resource with any other status as a `malformed_response`
 * (src/planner/response.ts), so nothing is planned on a status Nexla cannot store.
 */
export type ResourceStatus = KnownResourceStatus | (string & {});

/**
 * The statuses Nexla's server can store: the client's vocabulary, shared by the planner and the provider. The
 * emulator keeps its own copy (it shares no code with the client); test/unit/status-vocabulary.test.ts keeps
 * them in step.
 */
export const knownResourceStatuses = ["INIT", "PAUSED", "ACTIVE", "RATE_LIMITED"] as const;
export type KnownResourceStatus = (typeof knownResourceStatuses)[number];

/** A flow node. Only the origin node carries `status`, `name` and the other flow-level fields. */
export interface FlowNode {
  readonly id: number;
  readonly parent_node_id: number | null;
  readonly origin_node_id: number;
  readonly data_source_id?: number;
  readonly data_set_id?: number;
  readonly data_sink_id?: number;
  readonly shared_origin_node_id?: number | null;
  readonly runtime_status?: string;
  readonly status?: ResourceStatus;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly project_id?: number | null;
  readonly flow_type?: string | null;
  readonly children?: readonly FlowNode[];
  readonly [key: string]: unknown;
}

/** One item of `data_sources`, `data_sets` or `data_sinks` in a flow response. */
export interface FlowResource {
  readonly id: number;
  readonly owner_id: number;
  readonly org_id: number;
  readonly flow_node_id: number;
  readonly origin_node_id: number;
  readonly status: ResourceStatus;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly runtime_status?: string;
  readonly [key: string]: unknown;
}

/** The body of `GET /flows/{id}`, `GET /{collection}/{id}/flow` and of activate, pause and change owner. */
export interface FlowResponse {
  readonly flows: readonly FlowNode[];
  readonly data_sources?: readonly FlowResource[];
  readonly data_sets?: readonly FlowResource[];
  readonly data_sinks?: readonly FlowResource[];
  readonly users?: readonly { readonly id: number; readonly email?: string; readonly name?: string }[];
  readonly orgs?: readonly { readonly id: number; readonly name?: string }[];
  readonly [key: string]: unknown;
}

/** The body of `POST /token`. */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: "Bearer";
  readonly expires_in: number;
  readonly user?: { readonly id: number; readonly email?: string } & Record<string, unknown>;
  readonly org?: ({ readonly id: number } & Record<string, unknown>) | null;
  readonly [key: string]: unknown;
}

/** The body of the single-resource GETs (`GET /data_sources/{id}` and its siblings). */
export interface ResourceResponse {
  readonly id: number;
  readonly flow_node_id?: number;
  readonly origin_node_id?: number;
  readonly status: ResourceStatus;
  readonly owner?: { readonly id: number } & Record<string, unknown>;
  readonly org?: { readonly id: number } & Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** The body of `PUT /flows/{id}` and `PUT /{collection}/{id}/flow` that changes a flow's owner. */
export interface ChangeOwnerBody {
  readonly owner_id: number;
  readonly org_id: number;
  readonly include_data_credentials: boolean;
  readonly include_code_containers: boolean;
}
