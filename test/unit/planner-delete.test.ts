import { describe, expect, it } from "vitest";
import type { Anchor, Scope } from "../../src/nexla/paths.js";
import { isPlannerError, observe, planDelete, renderPlan } from "../../src/planner/index.js";
import { capped, flowResponse, orders, small, spec, type NodeSpec } from "./planner-fixtures.js";

const deletion = (flow: NodeSpec, anchor: Anchor, scope: Scope) =>
  planDelete(observe(flowResponse(flow), anchor, scope), anchor, scope);

describe("planDelete", () => {
  it("pauses what is active first, then deletes every resource in the flow, managed here or not", () => {
    expect(renderPlan(deletion(orders, { kind: "flow", id: 200 }, "flow"))).toMatchInlineSnapshot(`
      [
        "PUT /flows/200/pause?full_tree=1  (pauses data_source 1000, data_set 2100, data_set 2101, data_source 1001, data_set 2102, data_sink 3102)",
        "DELETE /flows/200?full_tree=1  (deletes data_source 1000, data_set 2100, data_set 2101, data_sink 3100, data_source 1001, data_set 2102, data_sink 3101, data_sink 3102)",
      ]
    `);
  });

  it("deletes only the anchor's subtree downstream", () => {
    expect(renderPlan(deletion(orders, { kind: "data_set", id: 2101 }, "downstream"))).toMatchInlineSnapshot(`
      [
        "PUT /data_sets/2101/flow/pause  (pauses data_set 2101, data_source 1001, data_set 2102)",
        "DELETE /data_sets/2101/flow  (deletes data_set 2101, data_sink 3100, data_source 1001, data_set 2102, data_sink 3101)",
      ]
    `);
  });

  it("deletes at once when nothing in scope is active, INIT included", () => {
    const steps = deletion(small("PAUSED", "INIT"), { kind: "data_set", id: 2100 }, "flow");
    expect(steps.map((s) => s.action)).toEqual(["delete"]);
    expect(renderPlan(steps)).toEqual([
      "DELETE /data_sets/2100/flow?all=1  (deletes data_source 1000, data_set 2100, data_sink 3100)",
    ]);
  });

  it("says why it pauses and what the delete removes", () => {
    const steps = deletion(small("ACTIVE", "PAUSED"), { kind: "flow", id: 200 }, "flow");
    expect(steps.map((s) => s.reason)).toEqual([
      "2 of 3 resources in scope are ACTIVE; Nexla refuses to delete active resources (405)",
      "deletes all 3 resources in scope, managed by this stack or not",
    ]);
  });

  it("says so when the scope is a single resource", () => {
    const [step] = deletion(small("PAUSED"), { kind: "data_sink", id: 3100 }, "downstream");
    expect(step?.reason).toBe("deletes the only resource in scope, managed by this stack or not");
  });

  it("deletes a rate-limited flow with nothing else active: RATE_LIMITED is not ACTIVE", () => {
    const idle = spec.src(400, 1300, {
      status: "RATE_LIMITED",
      children: [spec.sink(401, 3300, { status: "PAUSED" })],
    });
    expect(renderPlan(deletion(idle, { kind: "flow", id: 400 }, "flow"))).toEqual([
      "DELETE /flows/400?full_tree=1  (deletes data_source 1300, data_sink 3300)",
    ]);
  });

  it("refuses to plan a delete whose pause Nexla would refuse, naming the resources and what to do", () => {
    let failure: unknown;
    try {
      deletion(capped, { kind: "flow", id: 400 }, "flow");
    } catch (error) {
      failure = error;
    }
    expect(isPlannerError(failure, "rate_limited")).toBe(true);
    expect(failure).toHaveProperty(
      "message",
      "Could not delete flow 400 (DELETE /flows/400?full_tree=1): Nexla refuses to delete active resources (405) " +
        "and data_set 2300 and data_sink 3300 are ACTIVE, but pausing them first fails while data_source 1300 is " +
        'RATE_LIMITED (400 "Flow is rate limited"). Wait until the rate limit lifts, or ask Nexla support to lift ' +
        "it, then run again; no call was made.",
    );
  });
});

describe("renderPlan", () => {
  it("renders no lines for no steps", () => {
    expect(renderPlan([])).toEqual([]);
  });
});
