/**
 * The provider's safety judgements, without Nexla: contradicting Flows (overlap.ts) and what a refresh stores
 * (state.ts). The same rules run through the real CLI in test/e2e/safety.test.ts.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  declare,
  forgetDeclarations,
  forgetStored,
  placed,
  refuseContradictionsIn,
  refuseContradictionsStored,
  rememberStored,
  type Declared,
  declarations,
} from "../../provider/internal/overlap.js";
import { releaseNote } from "../../provider/internal/release.js";
import { movedOutputs, refreshedInputs, refreshedOutputs, toOutputs } from "../../src/declaration/state.js";
import type { FlowInputs } from "../../src/declaration/schema.js";
import { observe } from "../../src/planner/index.js";
import { flowResponse, orders } from "./planner-fixtures.js";

const response = flowResponse(orders);
const whole: Declared = {
  urn: "u::whole",
  name: "whole",
  anchor: { kind: "flow", id: 200 },
  scope: "flow",
  status: "ACTIVE",
};
const archive: Declared = {
  urn: "u::archive",
  name: "archive",
  anchor: { kind: "data_set", id: 2101 },
  scope: "downstream",
  status: "PAUSED",
};
const place = (d: Declared) => placed(d, observe(response, d.anchor, d.scope));

afterEach(() => {
  forgetDeclarations();
  forgetStored();
});

describe("Flows that contradict each other", () => {
  it("are refused from a fresh read, naming both Flows and every shared resource", () => {
    declare(archive);
    expect(() => refuseContradictionsIn(place(whole), response)).toThrowErrorMatchingInlineSnapshot(
      `[Error: Flows "whole" (node 200, scope flow) and "archive" (data_set 2101, scope downstream) overlap in flow 200 and declare different statuses: "whole" ACTIVE, "archive" PAUSED. Shared: data_set 2101, data_sink 3100, data_source 1001, data_set 2102, data_sink 3101. Nothing was changed. Declare each resource in one Flow only, or give both the same status.]`,
    );
  });

  it("are refused from the scopes stored in state, whichever of the two is diffed second", () => {
    rememberStored(place(archive));
    expect(() => refuseContradictionsStored(place(whole), rememberStored(place(whole)))).toThrow(
      /"whole" .* and "archive" .* Shared: data_set 2101, data_sink 3100/,
    );
    forgetStored();
    rememberStored(place(whole));
    expect(() => refuseContradictionsStored(place(archive), rememberStored(place(archive)))).toThrow(
      /"archive" .* and "whole" .* Shared: data_set 2101, data_sink 3100/,
    );
  });

  it("are allowed when they agree, or do not overlap", () => {
    declare({ ...archive, status: "ACTIVE" });
    expect(() => refuseContradictionsIn(place(whole), response)).not.toThrow();
    forgetDeclarations();
    // data_sink 3102 is a sibling branch of data_set 2101's subtree: no shared resource.
    declare({
      urn: "u::other",
      name: "other",
      anchor: { kind: "data_sink", id: 3102 },
      scope: "downstream",
      status: "ACTIVE",
    });
    expect(() => refuseContradictionsIn(place(archive), response)).not.toThrow();
  });

  it("ignore a Flow anchored in another flow, including one derived from a shared nexset", () => {
    declare({
      urn: "u::elsewhere",
      name: "elsewhere",
      anchor: { kind: "flow", id: 100 },
      scope: "flow",
      status: "PAUSED",
    });
    declare({
      urn: "u::derived",
      name: "derived",
      anchor: { kind: "data_set", id: 4100 },
      scope: "flow",
      status: "PAUSED",
    });
    expect(() => refuseContradictionsIn(place(whole), response)).not.toThrow();
  });

  it("are refused when two Flows in one flow declare different owners, whatever their scopes", () => {
    declare({ ...archive, status: "ACTIVE", owner: { ownerId: 3, orgId: 2 } });
    const sink = { ...whole, anchor: { kind: "data_sink", id: 3102 }, scope: "downstream" } as const;
    expect(() =>
      refuseContradictionsIn(place({ ...sink, owner: { ownerId: 2, orgId: 2 } }), response),
    ).toThrow(/both in flow 200 and declare different owners \(2\/org 2 and 3\/org 2\)/);
  });
});

describe("what a refresh stores", () => {
  const inputs = { flowId: 200, scope: "flow", status: "ACTIVE", convergeTimeoutSeconds: 120 } as FlowInputs;
  const stored = toOutputs(inputs, observe(response, { kind: "flow", id: 200 }, "flow"));

  it("keeps the declared status as input when the scope is MIXED, never MIXED itself", () => {
    const outs = refreshedOutputs({ ...stored }, observe(response, { kind: "flow", id: 200 }, "flow"));
    expect(outs.status).toBe("MIXED");
    expect(outs.declaredStatus).toBe("ACTIVE");
    expect(refreshedInputs(outs)).toMatchObject({ status: "ACTIVE" });
    const declaredPaused = refreshedOutputs(
      { ...stored, declaredStatus: "PAUSED", status: "MIXED" },
      observe(response, { kind: "flow", id: 200 }, "flow"),
    );
    expect(refreshedInputs(declaredPaused)).toMatchObject({ status: "PAUSED" });
  });

  it("adopts the observed status as input when a program could declare it", () => {
    const paused = flowResponse({ ...orders, status: "PAUSED", children: [] });
    const outs = refreshedOutputs({ ...stored }, observe(paused, { kind: "flow", id: 200 }, "flow"));
    expect(refreshedInputs(outs)).toMatchObject({ status: "PAUSED" });
  });

  it("falls back to the origin's status for MIXED state written by the older version", () => {
    const old = { ...stored, status: "MIXED", declaredStatus: undefined };
    const outs = refreshedOutputs(old, observe(response, { kind: "flow", id: 200 }, "flow"));
    expect(refreshedInputs(outs)).toMatchObject({ status: "ACTIVE" });
  });

  it("marks an anchor found in another flow and keeps everything else as stored", () => {
    const outs = movedOutputs({ ...stored }, 100);
    expect(outs).toMatchObject({ anchorMovedTo: 100, originNodeId: 200, declaredStatus: "ACTIVE" });
    expect(refreshedInputs(outs)).toEqual({
      flowId: 200,
      scope: "flow",
      status: "ACTIVE",
      convergeTimeoutSeconds: 120,
    });
  });
});

describe("a removed Flow's delete releases what another Flow of the operation declares", () => {
  const flow200 = { kind: "flow", id: 200 } as const;
  const doomed = (anchor: Declared["anchor"], scope: Declared["scope"]) =>
    releaseNote("old", anchor, scope, response, observe(response, anchor, scope));

  it("deletes as before when no Flow declares any of it (destroy, or a flow nothing declares now)", () => {
    expect(doomed(flow200, "flow")).toBeUndefined();
    declare({ ...whole, urn: "u::elsewhere", anchor: { kind: "flow", id: 100 } });
    expect(doomed(flow200, "flow")).toBeUndefined();
    // A sibling branch: data_sink 3102 shares nothing with data_set 2101's subtree.
    declare({ ...archive, urn: "u::sink", name: "sink", anchor: { kind: "data_sink", id: 3102 } });
    expect(doomed({ kind: "data_set", id: 2101 }, "downstream")).toBeUndefined();
  });

  it("a rename: the new Flow declares all of it, so nothing is deleted, and it says who declares it", () => {
    declare({ ...whole, urn: "u::orders-eu", name: "orders-eu", anchor: { kind: "data_source", id: 1000 } });
    expect(doomed(flow200, "flow")).toBe(
      `flow 200 is declared by "orders-eu": "old" released it, nothing deleted.`,
    );
  });

  it("a split: nothing of the flow is deleted, and the note names what is left undeclared and how to delete it", () => {
    declare({ ...archive, urn: "u::a", name: "a" });
    declare({ ...archive, urn: "u::b", name: "b", anchor: { kind: "data_sink", id: 3102 } });
    expect(doomed(flow200, "flow")).toBe(
      'flow 200 is declared in part by "a" (data_set 2101, data_sink 3100, data_source 1001, data_set 2102, ' +
        'data_sink 3101) and "b" (data_sink 3102): "old" released it, nothing of it deleted. Left undeclared in ' +
        "Nexla: data_source 1000, data_set 2100. data_source 1000, data_set 2100 lie above declared resources: " +
        "Nexla's delete cascades downstream, so they can be deleted only with them, by removing the Flows that " +
        "declare them too.",
    );
    forgetDeclarations();
    declare({ ...archive, urn: "u::a", name: "a" });
    expect(doomed(flow200, "flow")).toContain(
      "Left undeclared in Nexla: data_source 1000, data_set 2100, data_sink 3102. To delete data_sink 3102 " +
        "(and what lies below) on purpose, declare each in a Flow of its own (e.g. { dataSinkId: 3102, scope: " +
        '"downstream", status: "PAUSED" }), run `pulumi up`, then remove that Flow. data_source 1000, data_set ' +
        "2100 lie above declared resources",
    );
  });

  it("a sub-flow merged into a whole-flow Flow is released", () => {
    declare(whole);
    expect(doomed({ kind: "data_set", id: 2101 }, "downstream")).toBe(
      `the sub-flow from data_set 2101 in flow 200 is declared by "whole": "old" released it, nothing deleted.`,
    );
  });

  it("tells Flows of one name apart by URN: one under a component does not replace the other", () => {
    declare({ ...archive, urn: "urn:…::Flow::twin", name: "twin" });
    declare({
      ...archive,
      urn: "urn:…::Component$pulumi-nodejs:dynamic/nexla:Flow::twin",
      name: "twin",
      anchor: { kind: "data_sink", id: 3102 },
    });
    expect(declarations()).toHaveLength(2);
    expect(doomed({ kind: "data_sink", id: 3102 }, "downstream")).toContain('declared by "twin"');
    // Released by the Flow "twin" at the root: the one under the component is named with its URN.
    expect(
      releaseNote(
        "twin",
        { kind: "data_sink", id: 3102 },
        "downstream",
        response,
        observe(response, { kind: "data_sink", id: 3102 }, "downstream"),
      ),
    ).toBe(
      'the sub-flow from data_sink 3102 in flow 200 is declared by "twin" ("urn:…::Component$pulumi-nodejs:dynamic/nexla:Flow::twin"): "twin" released it, nothing deleted.',
    );
    expect(doomed({ kind: "data_set", id: 2101 }, "downstream")).toContain('declared by "twin"');
  });

  it("quotes names so that none can end the line it is in or read differently than it is", () => {
    declare({ ...whole, urn: "u::evil", name: "evil\u2028x\u202e\n" });
    expect(doomed(flow200, "flow")).toContain(String.raw`"evil\u{2028}x\u{202E}\n"`);
  });
});
