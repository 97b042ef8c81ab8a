/**
 * Flow responses for the planner's tests, built from a compact tree the way Nexla's server renders them
 * (docs/nexla-api.md §2.3): the origin node carries status and name, child nodes only ids and
 * children, and statuses and owners live in the resource lists.
 */
import type {
  FlowNode,
  FlowResource,
  FlowResponse,
  ResourceKind,
  ResourceStatus,
} from "../../src/nexla/types.js";
import { collectionOf } from "../../src/nexla/types.js";

export interface NodeSpec {
  readonly node: number;
  readonly kind: ResourceKind;
  readonly id: number;
  /** @default "ACTIVE" */
  readonly status?: ResourceStatus;
  /** `[ownerId, orgId]`. @default [2, 2] */
  readonly owner?: readonly [number, number];
  /** Starts a flow of its own: a nexset derived from a shared nexset of this flow (docs/nexla-api.md §4). */
  readonly ownFlow?: boolean;
  readonly children?: readonly NodeSpec[];
}

type Lists = Record<"data_sources" | "data_sets" | "data_sinks", FlowResource[]>;

/** The response of `GET /flows/{root.node}`, as a super user sees it (derived flows' resources included). */
export function flowResponse(root: NodeSpec, name = "orders"): FlowResponse {
  const lists: Lists = { data_sources: [], data_sets: [], data_sinks: [] };
  const origin = render(root, null, root.node, lists);
  const head = { ...origin, status: root.status ?? "ACTIVE", name, flow_type: "streaming" };
  return { flows: [head], ...lists, users: [], orgs: [] };
}

function render(spec: NodeSpec, parent: number | null, origin: number, lists: Lists): FlowNode {
  const own = spec.ownFlow === true ? spec.node : origin;
  const [ownerId, orgId] = spec.owner ?? [2, 2];
  lists[collectionOf[spec.kind]].push({
    id: spec.id,
    owner_id: ownerId,
    org_id: orgId,
    flow_node_id: spec.node,
    origin_node_id: own,
    status: spec.status ?? "ACTIVE",
    name: `${spec.kind} ${spec.id}`,
  });
  return {
    id: spec.node,
    parent_node_id: parent,
    origin_node_id: own,
    [`${spec.kind}_id`]: spec.id,
    runtime_status: "IDLE",
    ...(spec.ownFlow === true ? { shared_origin_node_id: origin } : {}),
    children: (spec.children ?? []).map((child) => render(child, spec.node, own, lists)),
  };
}

const src = (node: number, id: number, more: Partial<NodeSpec> = {}): NodeSpec => ({
  node,
  id,
  kind: "data_source",
  ...more,
});
const set = (node: number, id: number, more: Partial<NodeSpec> = {}): NodeSpec => ({
  node,
  id,
  kind: "data_set",
  ...more,
});
const sink = (node: number, id: number, more: Partial<NodeSpec> = {}): NodeSpec => ({
  node,
  id,
  kind: "data_sink",
  ...more,
});
export const spec = { src, set, sink };

/**
 * Flow 200, "orders": two branches under data_set 2100, one of which runs deep through a sink that feeds a
 * dependent data source (the flow continues, docs/nexla-api.md §4), with a paused sink and an INIT sink, and
 * a nexset derived from shared data_set 2100 that starts flow 300 of another owner: never part of flow 200.
 *
 * ```text
 * 200 data_source 1000
 * └─ 201 data_set 2100
 *    ├─ 202 data_set 2101 ─ 203 data_sink 3100 (PAUSED) ─ 204 data_source 1001 ─ 205 data_set 2102
 *    │                                                   └─ 206 data_sink 3101 (INIT)
 *    ├─ 210 data_sink 3102
 *    └─ 300 data_set 4100 (own flow 300, owner 9/org 9) ─ 301 data_sink 4200
 * ```
 */
export const orders: NodeSpec = src(200, 1000, {
  children: [
    set(201, 2100, {
      children: [
        set(202, 2101, {
          children: [
            sink(203, 3100, {
              status: "PAUSED",
              children: [src(204, 1001, { children: [set(205, 2102), sink(206, 3101, { status: "INIT" })] })],
            }),
          ],
        }),
        sink(210, 3102),
        set(300, 4100, { ownFlow: true, owner: [9, 9], children: [sink(301, 4200, { owner: [9, 9] })] }),
      ],
    }),
  ],
});

/** Flow 400, "partner-sftp": its origin source hit its records cap. */
export const capped: NodeSpec = src(400, 1300, {
  status: "RATE_LIMITED",
  children: [set(401, 2300, { children: [sink(402, 3300)] })],
});

/** Flow 200 in its smallest useful shape: source → data_set 2100 → data_sink 3100, all of one status. */
export function small(status: ResourceStatus, sinkStatus: ResourceStatus = status): NodeSpec {
  return src(200, 1000, {
    status,
    children: [set(201, 2100, { status, children: [sink(202, 3100, { status: sinkStatus })] })],
  });
}
