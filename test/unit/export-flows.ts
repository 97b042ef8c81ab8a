/** A small flow for export's tests: source → set → two sinks, with the names and statuses given. */
import { decompose } from "../../src/export/decompose.js";
import { withDeleteOrder } from "../../src/export/delete-order.js";
import { nameAll } from "../../src/export/entries.js";
import type { FlowResponse } from "../../src/nexla/types.js";

export type Status = "ACTIVE" | "PAUSED";

/** Flow `i`: source → set → two sinks; sinks that disagree make it MIXED, written as named sub-flows. */
export function flowOf(i: number, names: readonly string[], statuses: readonly Status[]): FlowResponse {
  const origin = 100 * (i + 1);
  const res = (id: number, node: number, k: number) => ({
    id,
    owner_id: 2,
    org_id: 2,
    flow_node_id: node,
    origin_node_id: origin,
    status: statuses[k] ?? "ACTIVE",
    name: names[k + 1] ?? null,
  });
  const node = (id: number, parent: number | null, key: string, rid: number, children: unknown[] = []) => ({
    id,
    parent_node_id: parent,
    origin_node_id: origin,
    [key]: rid,
    children,
  });
  const sinks = [
    node(origin + 3, origin + 2, "data_sink_id", 3000 + i),
    node(origin + 4, origin + 2, "data_sink_id", 4000 + i),
  ];
  return {
    flows: [
      {
        ...node(origin, null, "data_source_id", 1000 + i, [
          node(origin + 2, origin, "data_set_id", 2000 + i, sinks),
        ]),
        name: names[0] ?? null,
        status: statuses[0] ?? "ACTIVE",
      },
    ],
    data_sources: [res(1000 + i, origin, 0)],
    data_sets: [res(2000 + i, origin + 2, 1)],
    data_sinks: [res(3000 + i, origin + 3, 2), res(4000 + i, origin + 4, 3)],
  } as unknown as FlowResponse;
}

/** What makes Nexla refuse a delete, on a flow's origin (docs/nexla-api.md §4 items 1–2). */
export interface Links {
  /** `rag` for a RAG flow. */
  readonly flowType?: string;
  /** Origins of the flows linked to this one. */
  readonly linkedFlows?: readonly number[];
  /** For a derived flow: the node of the shared nexset it derives from (in another flow). */
  readonly parent?: number;
}

/** `response` with its origin's `flow_type`, `linked_flows` and parent set as `links` says. */
export function withLinks(response: FlowResponse, links: Links): FlowResponse {
  const [origin, ...rest] = response.flows;
  return {
    ...response,
    flows: [
      {
        ...origin!,
        ...(links.flowType === undefined ? {} : { flow_type: links.flowType }),
        ...(links.linkedFlows === undefined ? {} : { linked_flows: links.linkedFlows }),
        ...(links.parent === undefined ? {} : { parent_node_id: links.parent }),
      },
      ...rest,
    ],
  };
}

export const whole: Status[] = ["PAUSED", "PAUSED", "PAUSED", "PAUSED"];
/** Its two sinks differ: written as two sub-flow Flows, below a source and a set no Flow declares. */
export const mixed: Status[] = ["ACTIVE", "ACTIVE", "ACTIVE", "PAUSED"];

/** Flow `i` (origin 100 × (i + 1)) named `name`, its sinks `a` and `b`, with `links`. */
export function flow(i: number, name: string, statuses: Status[], links: Links = {}): FlowResponse {
  return withLinks(flowOf(i, [name, "src", "set", "a", "b"], statuses), links);
}

/** docs-ingest (flow 700), linked to support-rag (flow 800), a RAG flow. */
export const docs = (statuses = whole, links: Links = { linkedFlows: [800] }) =>
  flow(6, "docs-ingest", statuses, links);
export const rag = (statuses = whole, links: Links = { flowType: "rag", linkedFlows: [700] }) =>
  flow(7, "support-rag", statuses, links);

/** The flows as export names and orders them, with dependsOn. */
export function exportOf(responses: readonly FlowResponse[]) {
  return withDeleteOrder(nameAll(responses.map((r) => decompose(r, false))));
}
