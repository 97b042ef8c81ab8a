/**
 * How each flow operation is addressed. Pure: the client sends these calls and the planner names them, so a
 * preview shows exactly the request that `up` will make.
 */
import { collectionOf, type ChangeOwnerBody, type ResourceKind } from "./types.js";

/** Where a flow is addressed from: a flow node id, or one of the flow's resources. */
export type Anchor =
  { readonly kind: "flow"; readonly id: number } | { readonly kind: ResourceKind; readonly id: number };

/**
 * `flow 200`, or `flow of data_set 2101`: how messages name the flow an anchor addresses (the client's errors
 * and the planner's alike).
 */
export function flowLabel(anchor: Anchor): string {
  return anchor.kind === "flow" ? `flow ${anchor.id}` : `flow of ${anchor.kind} ${anchor.id}`;
}

/** `"flow"`: the whole flow from its origin; `"downstream"`: the anchor node and everything below it. */
export type Scope = "flow" | "downstream";

export type FlowAction = "get" | "activate" | "pause" | "delete" | "change_owner";

export interface FlowCall {
  readonly method: "GET" | "PUT" | "DELETE";
  /** Path relative to the API base URL, without query string. */
  readonly path: string;
  /** Query parameters, in the order they are sent. */
  readonly query: Readonly<Record<string, string>>;
  readonly body?: ChangeOwnerBody;
}

/** `/flows/{id}` or `/{collection}/{id}/flow`. */
export function flowBasePath(anchor: Anchor): string {
  return anchor.kind === "flow" ? `/flows/${anchor.id}` : `/${collectionOf[anchor.kind]}/${anchor.id}/flow`;
}

/**
 * Whole-flow scope is a query parameter: `full_tree=1` on `/flows/{id}`, `all=1` on the resource forms.
 * Nexla's server reads either on every flow action (SRV flows#activate, #destroy); the guide shows `all` on
 * data sets and `full_tree` on flows, so each form sends the name the guide shows for it. The published
 * OpenAPI declares `all` as a path parameter, which is wrong (docs/nexla-api.md §7).
 */
export function scopeQuery(anchor: Anchor, scope: Scope): Record<string, string> {
  if (scope === "downstream") return {};
  return anchor.kind === "flow" ? { full_tree: "1" } : { all: "1" };
}

export function flowCall(anchor: Anchor, action: FlowAction, scope: Scope, body?: ChangeOwnerBody): FlowCall {
  const base = flowBasePath(anchor);
  switch (action) {
    case "get":
      return { method: "GET", path: base, query: {} };
    case "activate":
    case "pause":
      return { method: "PUT", path: `${base}/${action}`, query: scopeQuery(anchor, scope) };
    case "delete":
      return { method: "DELETE", path: base, query: scopeQuery(anchor, scope) };
    case "change_owner":
      if (body === undefined) throw new TypeError("change_owner needs a body");
      // Ownership is whole-flow in Nexla whatever node is addressed (SRV flow_node.rb#flow_chown!).
      return { method: "PUT", path: base, query: {}, body };
  }
}

/** `PUT /flows/5/pause?full_tree=1`: how a call is shown in previews, logs and error messages. */
export function describeCall(call: FlowCall): string {
  const qs = new URLSearchParams(call.query).toString();
  return `${call.method} ${call.path}${qs === "" ? "" : `?${qs}`}`;
}

/**
 * The single-resource calls: `GET /{collection}/{id}`, and resource-only `PUT /{collection}/{id}/activate|pause`,
 * which change that resource alone and answer with it (SRV data_sources#activate and siblings; docs/nexla-api.md §2.1).
 */
export function resourceCall(kind: ResourceKind, id: number, action: "get" | "activate" | "pause"): FlowCall {
  const base = `/${collectionOf[kind]}/${id}`;
  return action === "get"
    ? { method: "GET", path: base, query: {} }
    : { method: "PUT", path: `${base}/${action}`, query: {} };
}

export interface ListFlowsOptions {
  /** Leave out the resource lists: "can improve response time significantly" (OA). @default false */
  readonly flowsOnly?: boolean;
  /** 1-based page of origin nodes; without `page` and `perPage` Nexla returns every flow (docs/nexla-api.md §5.3). */
  readonly page?: number;
  /** Flows per page; Nexla's default is 10 once either paging parameter is given. */
  readonly perPage?: number;
  /**
   * List the flows the user holds at least this role on (`access_role`): `owner` (Nexla's default: the flows the
   * user owns), `admin`, `operator` or `collaborator`, each including the roles above it (docs/nexla-api.md §2.2).
   */
  readonly accessRole?: AccessRole;
  /** Only this org's flows (`org_id`): super users only (Nexla answers 405 to anyone else), 100 to a page. */
  readonly orgId?: number;
}

/** The roles Nexla's `access_role` list parameter takes, lowest first. */
export type AccessRole = "collaborator" | "operator" | "admin" | "owner";

/**
 * `GET /flows`, with `flows_only`, `page`, `per_page`, `access_role` and `org_id` as query parameters, in that
 * order; `access_role` only when it is not Nexla's default (`owner`).
 */
export function listCall(options: ListFlowsOptions = {}): FlowCall {
  const query: Record<string, string> = {};
  if (options.flowsOnly === true) query["flows_only"] = "1";
  if (options.page !== undefined) query["page"] = String(options.page);
  if (options.perPage !== undefined) query["per_page"] = String(options.perPage);
  if (options.accessRole !== undefined && options.accessRole !== "owner")
    query["access_role"] = options.accessRole;
  if (options.orgId !== undefined) query["org_id"] = String(options.orgId);
  return { method: "GET", path: "/flows", query };
}
