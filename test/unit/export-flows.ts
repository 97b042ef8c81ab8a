/** A small flow for export's tests: source → set → two sinks, with the names and statuses given. */
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
