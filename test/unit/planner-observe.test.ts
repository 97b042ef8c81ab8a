import { describe, expect, it } from "vitest";
import type { Anchor, Scope } from "../../src/nexla/paths.js";
import type { FlowResponse } from "../../src/nexla/types.js";
import { isPlannerError, observe, type ObservedFlow } from "../../src/planner/index.js";
import { capped, flowResponse, orders, small, spec } from "./planner-fixtures.js";
import { catchError } from "../fixtures/thrown.js";

const ids = (observed: ObservedFlow) => observed.resources.map((r) => `${r.kind} ${r.id}`);
const see = (anchor: Anchor, scope: Scope, response: FlowResponse = flowResponse(orders)) =>
  observe(response, anchor, scope);

describe("observe: which resources a scope covers", () => {
  it("covers the whole flow from its origin, depth first, when the scope is the flow", () => {
    const observed = see({ kind: "data_set", id: 2101 }, "flow");
    expect(observed).toMatchObject({ originNodeId: 200, anchorNodeId: 202, name: "orders" });
    expect(ids(observed)).toEqual([
      "data_source 1000",
      "data_set 2100",
      "data_set 2101",
      "data_sink 3100",
      "data_source 1001",
      "data_set 2102",
      "data_sink 3101",
      "data_sink 3102",
    ]);
  });

  it("covers the anchor's subtree only, down through a sink that feeds a dependent source, downstream", () => {
    const observed = see({ kind: "data_set", id: 2101 }, "downstream");
    expect(ids(observed)).toEqual([
      "data_set 2101",
      "data_sink 3100",
      "data_source 1001",
      "data_set 2102",
      "data_sink 3101",
    ]);
  });

  it("never covers a flow derived from a shared nexset, which has an origin of its own", () => {
    const observed = see({ kind: "flow", id: 201 }, "downstream");
    expect(ids(observed)).not.toContain("data_set 4100");
    expect(ids(observed)).not.toContain("data_sink 4200");
    expect(observed.flowResources.map((r) => r.id)).not.toContain(4100);
  });

  it("finds the anchor by flow node id or by the id of the resource its node holds", () => {
    const anchors: Anchor[] = [
      { kind: "flow", id: 203 },
      { kind: "data_sink", id: 3100 },
    ];
    for (const anchor of anchors) expect(see(anchor, "downstream").anchorNodeId).toBe(203);
    expect(see({ kind: "data_source", id: 1001 }, "downstream").anchorNodeId).toBe(204);
  });

  it("reports each resource's kind, id, node, status, owner and org from the resource lists", () => {
    expect(see({ kind: "data_sink", id: 3100 }, "downstream").resources.slice(0, 2)).toEqual([
      { kind: "data_sink", id: 3100, flowNodeId: 203, status: "PAUSED", ownerId: 2, orgId: 2 },
      { kind: "data_source", id: 1001, flowNodeId: 204, status: "ACTIVE", ownerId: 2, orgId: 2 },
    ]);
  });
});

describe("observe: status", () => {
  it("is MIXED when a sink is paused under an active flow, though the flow's own status says ACTIVE", () => {
    expect(see({ kind: "flow", id: 200 }, "flow", flowResponse(small("ACTIVE", "PAUSED"))).status).toBe(
      "MIXED",
    );
    expect(see({ kind: "flow", id: 200 }, "flow").status).toBe("MIXED");
  });

  it("is ACTIVE when every resource in scope is, even if others outside it are not", () => {
    expect(see({ kind: "flow", id: 200 }, "flow", flowResponse(small("ACTIVE"))).status).toBe("ACTIVE");
    expect(see({ kind: "data_sink", id: 3102 }, "downstream").status).toBe("ACTIVE");
  });

  it("is PAUSED when every resource in scope is PAUSED or INIT", () => {
    expect(see({ kind: "flow", id: 200 }, "flow", flowResponse(small("PAUSED", "INIT"))).status).toBe(
      "PAUSED",
    );
    expect(see({ kind: "data_sink", id: 3101 }, "downstream").status).toBe("PAUSED");
  });

  it("is MIXED, never ACTIVE, with a RATE_LIMITED source in scope, which it reports", () => {
    const observed = see({ kind: "flow", id: 400 }, "flow", flowResponse(capped));
    expect(observed.status).toBe("MIXED");
    expect(observed.rateLimited).toEqual([{ kind: "data_source", id: 1300 }]);
  });

  it("reports a RATE_LIMITED origin for a downstream scope too: Nexla refuses activate and pause for it", () => {
    const observed = see({ kind: "data_set", id: 2300 }, "downstream", flowResponse(capped));
    expect(observed.status).toBe("ACTIVE");
    expect(observed.rateLimited).toEqual([{ kind: "data_source", id: 1300 }]);
    expect(see({ kind: "flow", id: 200 }, "flow").rateLimited).toEqual([]);
  });

  it("refuses a status Nexla's server cannot store rather than plan on it (docs/nexla-api.md §3)", () => {
    const odd = spec.src(200, 1000, { children: [spec.sink(201, 3100, { status: "ERROR" })] });
    expect(() => see({ kind: "flow", id: 200 }, "flow", flowResponse(odd))).toThrow(
      'the response is malformed: data_sink 3100 of node 201 has the status "ERROR", which is not one of INIT, PAUSED, ACTIVE, RATE_LIMITED.',
    );
  });
});

describe("observe: owner", () => {
  it("is the whole flow's single owner, leaving out flows derived from a shared nexset", () => {
    const observed = see({ kind: "data_sink", id: 3102 }, "downstream");
    expect(observed.owner).toEqual({ ownerId: 2, orgId: 2 });
    expect(observed.owners).toEqual([{ ownerId: 2, orgId: 2 }]);
  });

  it("is undefined when the flow's resources have several owners, even if the scope has one", () => {
    const mixed = spec.src(200, 1000, {
      children: [spec.set(201, 2100, { owner: [3, 2] }), spec.sink(202, 3100, { owner: [2, 5] })],
    });
    const observed = see({ kind: "data_set", id: 2100 }, "downstream", flowResponse(mixed));
    expect(observed.owner).toBeUndefined();
    expect(observed.owners).toEqual([
      { ownerId: 2, orgId: 2 },
      { ownerId: 3, orgId: 2 },
      { ownerId: 2, orgId: 5 },
    ]);
  });

  it("takes the flow's name from the origin node, or null when it has none", () => {
    const response = flowResponse(small("ACTIVE"));
    const [origin] = response.flows;
    const unnamed = { ...response, flows: [{ ...origin!, name: null }] };
    expect(see({ kind: "flow", id: 200 }, "flow", unnamed).name).toBeNull();
  });
});

describe("observe: errors", () => {
  it("says the anchor is not in the flow when the response does not contain it", () => {
    const failure = catchError(() => see({ kind: "data_set", id: 4100 }, "flow"));
    expect(isPlannerError(failure, "anchor_not_in_flow")).toBe(true);
    expect(failure).toHaveProperty(
      "message",
      "Could not read flow of data_set 4100 (GET /data_sets/4100/flow): Nexla answered with flow 200, which " +
        "does not contain data_set 4100. Run again; if it persists, this is a bug in pulumi-nexla: please " +
        "report it with the response.",
    );
  });

  const good = flowResponse(small("ACTIVE"));
  const [origin] = good.flows;
  const child = origin!.children![0]!;
  const withChild = (node: object): FlowResponse => ({
    ...good,
    flows: [{ ...origin!, children: [node as never] }],
  });
  const malformed: [string, unknown, string][] = [
    ["no flows list", { data_sources: [] }, "it has no `flows` list"],
    ["an empty flows list", { flows: [] }, "its `flows` list is empty"],
    ["a child first", { ...good, flows: [child] }, "flows[0] is node 201, which is not an origin node"],
    ["a node without id", withChild({ origin_node_id: 200 }), "a node has no id"],
    [
      "two resources on a node",
      withChild({ ...child, data_sink_id: 3100 }),
      "node 201 names more than one resource",
    ],
    ["a node twice", withChild({ ...origin!, children: [] }), "node 200 appears more than once"],
    ["a node without resource", withChild({ id: 201, origin_node_id: 200 }), "node 201 names no resource"],
    [
      "a resource missing from its list",
      { ...good, data_sets: [] },
      "data_set 2100 of node 201 is not in `data_sets`",
    ],
    [
      "a resource without owner",
      { ...good, data_sinks: [{ ...good.data_sinks![0]!, owner_id: undefined }] },
      "data_sink 3100 of node 202 has no owner_id or org_id",
    ],
  ];

  it.each(malformed)("reports a malformed response: %s", (_, response, detail) => {
    const failure = catchError(() => see({ kind: "flow", id: 200 }, "flow", response as FlowResponse));
    expect(isPlannerError(failure, "malformed_response")).toBe(true);
    expect(failure).toHaveProperty(
      "message",
      `Could not read flow 200 (GET /flows/200): the response is malformed: ${detail}. This is a bug in ` +
        "pulumi-nexla or a change in Nexla's API: please report it with the response.",
    );
  });
});
