import { describe, expect, it } from "vitest";
import type { Anchor, Scope } from "../../src/nexla/paths.js";
import {
  isPlannerError,
  observe,
  plan,
  renderPlan,
  type Desired,
  type DesiredOwner,
  type DesiredStatus,
} from "../../src/planner/index.js";
import { capped, flowResponse, small, spec, type NodeSpec } from "./planner-fixtures.js";
import { catchError } from "../fixtures/thrown.js";

const owners: Record<string, DesiredOwner | undefined> = {
  "not declared": undefined,
  same: { ownerId: 2, orgId: 2, includeDataCredentials: false, includeCodeContainers: false },
  different: { ownerId: 3, orgId: 2, includeDataCredentials: true, includeCodeContainers: false },
};
/** Flow 200: data_source 1000 → data_set 2100 → data_sink 3100, owned by 2/org 2. */
const flows: Record<string, NodeSpec> = {
  ACTIVE: small("ACTIVE"),
  PAUSED: small("PAUSED"),
  MIXED: small("ACTIVE", "PAUSED"),
};

function desired(status: DesiredStatus, owner: DesiredOwner | undefined): Desired {
  return owner === undefined ? { status } : { status, owner };
}

/** Every desired status × observed status × owner, as the lines a preview shows. */
function table(anchor: Anchor, scope: Scope): Record<string, string[]> {
  const rows: Record<string, string[]> = {};
  for (const want of ["ACTIVE", "PAUSED"] as const) {
    for (const [state, flow] of Object.entries(flows)) {
      for (const [which, owner] of Object.entries(owners)) {
        const observed = observe(flowResponse(flow), anchor, scope);
        rows[`want ${want}, is ${state}, owner ${which}`] = renderPlan(
          plan(desired(want, owner), observed, anchor, scope),
        );
      }
    }
  }
  return rows;
}

describe("plan: every combination", () => {
  it("addresses a whole flow by its node with full_tree=1", () => {
    expect(table({ kind: "flow", id: 200 }, "flow")).toMatchInlineSnapshot(`
      {
        "want ACTIVE, is ACTIVE, owner different": [
          "PUT /flows/200  (changes owner to 3/org 2 of data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want ACTIVE, is ACTIVE, owner not declared": [],
        "want ACTIVE, is ACTIVE, owner same": [],
        "want ACTIVE, is MIXED, owner different": [
          "PUT /flows/200  (changes owner to 3/org 2 of data_source 1000, data_set 2100, data_sink 3100)",
          "PUT /flows/200/activate?full_tree=1  (activates data_sink 3100)",
        ],
        "want ACTIVE, is MIXED, owner not declared": [
          "PUT /flows/200/activate?full_tree=1  (activates data_sink 3100)",
        ],
        "want ACTIVE, is MIXED, owner same": [
          "PUT /flows/200/activate?full_tree=1  (activates data_sink 3100)",
        ],
        "want ACTIVE, is PAUSED, owner different": [
          "PUT /flows/200  (changes owner to 3/org 2 of data_source 1000, data_set 2100, data_sink 3100)",
          "PUT /flows/200/activate?full_tree=1  (activates data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want ACTIVE, is PAUSED, owner not declared": [
          "PUT /flows/200/activate?full_tree=1  (activates data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want ACTIVE, is PAUSED, owner same": [
          "PUT /flows/200/activate?full_tree=1  (activates data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want PAUSED, is ACTIVE, owner different": [
          "PUT /flows/200/pause?full_tree=1  (pauses data_source 1000, data_set 2100, data_sink 3100)",
          "PUT /flows/200  (changes owner to 3/org 2 of data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want PAUSED, is ACTIVE, owner not declared": [
          "PUT /flows/200/pause?full_tree=1  (pauses data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want PAUSED, is ACTIVE, owner same": [
          "PUT /flows/200/pause?full_tree=1  (pauses data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want PAUSED, is MIXED, owner different": [
          "PUT /flows/200/pause?full_tree=1  (pauses data_source 1000, data_set 2100)",
          "PUT /flows/200  (changes owner to 3/org 2 of data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want PAUSED, is MIXED, owner not declared": [
          "PUT /flows/200/pause?full_tree=1  (pauses data_source 1000, data_set 2100)",
        ],
        "want PAUSED, is MIXED, owner same": [
          "PUT /flows/200/pause?full_tree=1  (pauses data_source 1000, data_set 2100)",
        ],
        "want PAUSED, is PAUSED, owner different": [
          "PUT /flows/200  (changes owner to 3/org 2 of data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want PAUSED, is PAUSED, owner not declared": [],
        "want PAUSED, is PAUSED, owner same": [],
      }
    `);
  });

  it("addresses a whole flow by a data set with all=1", () => {
    expect(table({ kind: "data_set", id: 2100 }, "flow")).toMatchInlineSnapshot(`
      {
        "want ACTIVE, is ACTIVE, owner different": [
          "PUT /data_sets/2100/flow  (changes owner to 3/org 2 of data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want ACTIVE, is ACTIVE, owner not declared": [],
        "want ACTIVE, is ACTIVE, owner same": [],
        "want ACTIVE, is MIXED, owner different": [
          "PUT /data_sets/2100/flow  (changes owner to 3/org 2 of data_source 1000, data_set 2100, data_sink 3100)",
          "PUT /data_sets/2100/flow/activate?all=1  (activates data_sink 3100)",
        ],
        "want ACTIVE, is MIXED, owner not declared": [
          "PUT /data_sets/2100/flow/activate?all=1  (activates data_sink 3100)",
        ],
        "want ACTIVE, is MIXED, owner same": [
          "PUT /data_sets/2100/flow/activate?all=1  (activates data_sink 3100)",
        ],
        "want ACTIVE, is PAUSED, owner different": [
          "PUT /data_sets/2100/flow  (changes owner to 3/org 2 of data_source 1000, data_set 2100, data_sink 3100)",
          "PUT /data_sets/2100/flow/activate?all=1  (activates data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want ACTIVE, is PAUSED, owner not declared": [
          "PUT /data_sets/2100/flow/activate?all=1  (activates data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want ACTIVE, is PAUSED, owner same": [
          "PUT /data_sets/2100/flow/activate?all=1  (activates data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want PAUSED, is ACTIVE, owner different": [
          "PUT /data_sets/2100/flow/pause?all=1  (pauses data_source 1000, data_set 2100, data_sink 3100)",
          "PUT /data_sets/2100/flow  (changes owner to 3/org 2 of data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want PAUSED, is ACTIVE, owner not declared": [
          "PUT /data_sets/2100/flow/pause?all=1  (pauses data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want PAUSED, is ACTIVE, owner same": [
          "PUT /data_sets/2100/flow/pause?all=1  (pauses data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want PAUSED, is MIXED, owner different": [
          "PUT /data_sets/2100/flow/pause?all=1  (pauses data_source 1000, data_set 2100)",
          "PUT /data_sets/2100/flow  (changes owner to 3/org 2 of data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want PAUSED, is MIXED, owner not declared": [
          "PUT /data_sets/2100/flow/pause?all=1  (pauses data_source 1000, data_set 2100)",
        ],
        "want PAUSED, is MIXED, owner same": [
          "PUT /data_sets/2100/flow/pause?all=1  (pauses data_source 1000, data_set 2100)",
        ],
        "want PAUSED, is PAUSED, owner different": [
          "PUT /data_sets/2100/flow  (changes owner to 3/org 2 of data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want PAUSED, is PAUSED, owner not declared": [],
        "want PAUSED, is PAUSED, owner same": [],
      }
    `);
  });

  it("addresses a downstream scope without a query, and changes the owner of the whole flow", () => {
    expect(table({ kind: "data_set", id: 2100 }, "downstream")).toMatchInlineSnapshot(`
      {
        "want ACTIVE, is ACTIVE, owner different": [
          "PUT /data_sets/2100/flow  (changes owner to 3/org 2 of data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want ACTIVE, is ACTIVE, owner not declared": [],
        "want ACTIVE, is ACTIVE, owner same": [],
        "want ACTIVE, is MIXED, owner different": [
          "PUT /data_sets/2100/flow  (changes owner to 3/org 2 of data_source 1000, data_set 2100, data_sink 3100)",
          "PUT /data_sets/2100/flow/activate  (activates data_sink 3100)",
        ],
        "want ACTIVE, is MIXED, owner not declared": [
          "PUT /data_sets/2100/flow/activate  (activates data_sink 3100)",
        ],
        "want ACTIVE, is MIXED, owner same": [
          "PUT /data_sets/2100/flow/activate  (activates data_sink 3100)",
        ],
        "want ACTIVE, is PAUSED, owner different": [
          "PUT /data_sets/2100/flow  (changes owner to 3/org 2 of data_source 1000, data_set 2100, data_sink 3100)",
          "PUT /data_sets/2100/flow/activate  (activates data_set 2100, data_sink 3100)",
        ],
        "want ACTIVE, is PAUSED, owner not declared": [
          "PUT /data_sets/2100/flow/activate  (activates data_set 2100, data_sink 3100)",
        ],
        "want ACTIVE, is PAUSED, owner same": [
          "PUT /data_sets/2100/flow/activate  (activates data_set 2100, data_sink 3100)",
        ],
        "want PAUSED, is ACTIVE, owner different": [
          "PUT /data_sets/2100/flow/pause  (pauses data_set 2100, data_sink 3100)",
          "PUT /data_sets/2100/flow  (changes owner to 3/org 2 of data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want PAUSED, is ACTIVE, owner not declared": [
          "PUT /data_sets/2100/flow/pause  (pauses data_set 2100, data_sink 3100)",
        ],
        "want PAUSED, is ACTIVE, owner same": [
          "PUT /data_sets/2100/flow/pause  (pauses data_set 2100, data_sink 3100)",
        ],
        "want PAUSED, is MIXED, owner different": [
          "PUT /data_sets/2100/flow/pause  (pauses data_set 2100)",
          "PUT /data_sets/2100/flow  (changes owner to 3/org 2 of data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want PAUSED, is MIXED, owner not declared": [
          "PUT /data_sets/2100/flow/pause  (pauses data_set 2100)",
        ],
        "want PAUSED, is MIXED, owner same": [
          "PUT /data_sets/2100/flow/pause  (pauses data_set 2100)",
        ],
        "want PAUSED, is PAUSED, owner different": [
          "PUT /data_sets/2100/flow  (changes owner to 3/org 2 of data_source 1000, data_set 2100, data_sink 3100)",
        ],
        "want PAUSED, is PAUSED, owner not declared": [],
        "want PAUSED, is PAUSED, owner same": [],
      }
    `);
  });

  it("addresses a flow by its data source or a data sink the same way", () => {
    const lines = (anchor: Anchor, scope: Scope, status: DesiredStatus) =>
      renderPlan(plan({ status }, observe(flowResponse(flows["MIXED"]!), anchor, scope), anchor, scope));
    expect([
      ...lines({ kind: "data_source", id: 1000 }, "flow", "PAUSED"),
      ...lines({ kind: "data_source", id: 1000 }, "downstream", "ACTIVE"),
      ...lines({ kind: "data_sink", id: 3100 }, "flow", "ACTIVE"),
      ...lines({ kind: "data_sink", id: 3100 }, "downstream", "ACTIVE"),
    ]).toMatchInlineSnapshot(`
      [
        "PUT /data_sources/1000/flow/pause?all=1  (pauses data_source 1000, data_set 2100)",
        "PUT /data_sources/1000/flow/activate  (activates data_sink 3100)",
        "PUT /data_sinks/3100/flow/activate?all=1  (activates data_sink 3100)",
        "PUT /data_sinks/3100/flow/activate  (activates data_sink 3100)",
      ]
    `);
  });
});

describe("plan: steps", () => {
  const anchor: Anchor = { kind: "flow", id: 200 };

  it("names the call, the reason and what changes, and sends the include flags with an owner change", () => {
    const observed = observe(flowResponse(flows["MIXED"]!), anchor, "flow");
    expect(plan(desired("PAUSED", owners["different"]), observed, anchor, "flow")).toEqual([
      {
        action: "pause",
        call: { method: "PUT", path: "/flows/200/pause", query: { full_tree: "1" } },
        reason: "2 of 3 resources in scope are ACTIVE; desired PAUSED",
        affects: [
          { kind: "data_source", id: 1000 },
          { kind: "data_set", id: 2100 },
        ],
      },
      {
        action: "change_owner",
        call: {
          method: "PUT",
          path: "/flows/200",
          query: {},
          body: { owner_id: 3, org_id: 2, include_data_credentials: true, include_code_containers: false },
        },
        reason: "owner is 2/org 2; desired 3/org 2",
        affects: [
          { kind: "data_source", id: 1000 },
          { kind: "data_set", id: 2100 },
          { kind: "data_sink", id: 3100 },
        ],
      },
    ]);
  });

  it("counts each status it finds when the resources to change differ", () => {
    const flow = spec.src(200, 1000, {
      status: "PAUSED",
      children: [spec.sink(201, 3100, { status: "INIT" })],
    });
    const [step] = plan({ status: "ACTIVE" }, observe(flowResponse(flow), anchor, "flow"), anchor, "flow");
    expect(step?.reason).toBe("2 of 2 resources in scope are not ACTIVE (1 PAUSED, 1 INIT); desired ACTIVE");
  });

  it("changes the owner of a flow whose resources have several owners, only on those that differ", () => {
    const flow = spec.src(200, 1000, { children: [spec.sink(201, 3100, { owner: [3, 2] })] });
    const observed = observe(flowResponse(flow), anchor, "flow");
    const [step] = plan(desired("ACTIVE", owners["different"]), observed, anchor, "flow");
    expect(step?.reason).toBe("owners are mixed (2/org 2, 3/org 2); desired 3/org 2");
    expect(step?.affects).toEqual([{ kind: "data_source", id: 1000 }]);
  });

  it("does not change the owner for the include flags alone: Nexla does not report them", () => {
    const observed = observe(flowResponse(flows["ACTIVE"]!), anchor, "flow");
    const flags = { ownerId: 2, orgId: 2, includeDataCredentials: true, includeCodeContainers: true };
    expect(plan(desired("ACTIVE", flags), observed, anchor, "flow")).toEqual([]);
  });
});

describe("plan: rate-limited flows", () => {
  const response = flowResponse(capped);

  it("refuses to plan an activate Nexla would refuse, naming the source and what to do", () => {
    const anchor: Anchor = { kind: "data_set", id: 2300 };
    const failure = catchError(() =>
      plan({ status: "ACTIVE" }, observe(response, anchor, "flow"), anchor, "flow"),
    );
    expect(isPlannerError(failure, "rate_limited")).toBe(true);
    expect(failure).toMatchObject({ resources: [{ kind: "data_source", id: 1300 }] });
    expect(failure).toHaveProperty(
      "message",
      "Could not activate flow of data_set 2300 (PUT /data_sets/2300/flow/activate?all=1): data_source 1300 is " +
        'RATE_LIMITED, and Nexla refuses to activate or pause a flow whose source is rate limited (400 "Flow is ' +
        'rate limited"). Every other resource in scope already is ACTIVE. Wait until the rate limit lifts, or ' +
        "ask Nexla support to lift it, then run again; no call was made.",
    );
  });

  it("refuses a pause of a downstream scope too, since Nexla checks the flow's origin", () => {
    const anchor: Anchor = { kind: "flow", id: 401 };
    const observed = observe(response, anchor, "downstream");
    const failure = catchError(() => plan({ status: "PAUSED" }, observed, anchor, "downstream"));
    expect(failure).toHaveProperty(
      "message",
      "Could not pause flow 401 (PUT /flows/401/pause): data_source 1300 is RATE_LIMITED, and Nexla refuses to " +
        'activate or pause a flow whose source is rate limited (400 "Flow is rate limited"). Wait until the rate ' +
        "limit lifts, or ask Nexla support to lift it, then run again; no call was made.",
    );
  });

  it("still changes the owner when the status is already as declared", () => {
    const anchor: Anchor = { kind: "flow", id: 401 };
    const observed = observe(response, anchor, "downstream");
    const steps = plan(desired("ACTIVE", owners["different"]), observed, anchor, "downstream");
    expect(renderPlan(steps)).toEqual([
      "PUT /flows/401  (changes owner to 3/org 2 of data_source 1300, data_set 2300, data_sink 3300)",
    ]);
  });
});
