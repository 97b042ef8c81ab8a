/** One flow's view cut out of a `GET /flows` answer: what observe sees must be what a single GET would give. */
import { describe, expect, it } from "vitest";
import type { Anchor, Scope } from "../../src/nexla/paths.js";
import type { FlowResource, FlowResponse } from "../../src/nexla/types.js";
import { flowList, observe } from "../../src/planner/index.js";
import { capped, flowResponse, orders, small, spec } from "./planner-fixtures.js";

/** Flow 300 on its own: the nexset derived from flow 200's shared data_set 2100, of owner 9/org 9. */
const derived = spec.set(300, 4100, { owner: [9, 9], children: [spec.sink(301, 4200, { owner: [9, 9] })] });

/** `GET /flows` as Nexla renders it: every origin in `flows`, the resources of all of them in the lists. */
function listOf(...responses: FlowResponse[]): FlowResponse {
  const merged = (key: "data_sources" | "data_sets" | "data_sinks") => {
    const seen = new Map<number, FlowResource>();
    for (const r of responses) for (const item of r[key] ?? []) seen.set(item.id, item);
    return [...seen.values()];
  };
  return {
    flows: responses.flatMap((r) => r.flows),
    data_sources: merged("data_sources"),
    data_sets: merged("data_sets"),
    data_sinks: merged("data_sinks"),
    users: [],
    orgs: [],
  };
}

const single = {
  orders: flowResponse(orders),
  capped: flowResponse(capped, "partner-sftp"),
  derived: flowResponse(derived, "derived"),
};
const list = flowList(listOf(single.orders, single.capped, single.derived));

describe("flowList: one flow cut out of GET /flows", () => {
  const cases: [Anchor, Scope, FlowResponse][] = [
    [{ kind: "flow", id: 200 }, "flow", single.orders],
    [{ kind: "flow", id: 205 }, "downstream", single.orders],
    [{ kind: "data_set", id: 2101 }, "downstream", single.orders],
    [{ kind: "data_sink", id: 3102 }, "flow", single.orders],
    [{ kind: "data_source", id: 1001 }, "downstream", single.orders],
    [{ kind: "flow", id: 400 }, "flow", single.capped],
    [{ kind: "data_set", id: 2300 }, "downstream", single.capped],
    // Node 300 is rendered under flow 200 too, but it is the origin of flow 300: the cut is flow 300's.
    [{ kind: "flow", id: 300 }, "flow", single.derived],
    [{ kind: "data_sink", id: 4200 }, "flow", single.derived],
  ];
  it.each(cases)("observes %o (%s) exactly as the single GET does", (anchor, scope, response) => {
    expect(observe(list.flowOf(anchor)!, anchor, scope)).toEqual(observe(response, anchor, scope));
  });

  it("holds only the resources of the flow's own tree", () => {
    const view = list.flowOf({ kind: "flow", id: 400 })!;
    expect(view.flows.map((f) => f.id)).toEqual([400]);
    expect(view.data_sources?.map((r) => r.id)).toEqual([1300]);
    expect(view.data_sets?.map((r) => r.id)).toEqual([2300]);
    expect(view.data_sinks?.map((r) => r.id)).toEqual([3300]);
  });

  it("says nothing of an anchor the list does not show: the caller reads that flow on its own", () => {
    expect(list.flowOf({ kind: "flow", id: 999 })).toBeUndefined();
    expect(list.flowOf({ kind: "data_set", id: 999 })).toBeUndefined();
    // A node whose origin is not listed (a flow the user does not own is left out of GET /flows by default).
    expect(flowList(listOf(single.orders)).flowOf({ kind: "flow", id: 301 })).toBeUndefined();
    expect(list.size).toBe(3);
  });

  it("says nothing of anything when the answer is not a flow list", () => {
    for (const junk of [null, "x", {}, { flows: "x" }, { flows: [{ id: 1 }] }]) {
      expect(flowList(junk).flowOf({ kind: "flow", id: 1 })).toBeUndefined();
    }
    const badLists = { ...listOf(flowResponse(small("ACTIVE"))), data_sets: "x" };
    expect(flowList(badLists).flowOf({ kind: "flow", id: 200 })).toBeUndefined();
  });
});
