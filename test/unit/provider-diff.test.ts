import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../src/declaration/schema.js";
import { diffFlow, inputsFromOutputs } from "../../src/declaration/state.js";

const stored = {
  flowId: 200,
  scope: "flow",
  status: "ACTIVE",
  owner: { ownerId: 2, orgId: 2, includeDataCredentials: false, includeCodeContainers: false },
  originNodeId: 200,
  dataSinks: [{ id: 3100, status: "ACTIVE", ownerId: 2, orgId: 2 }],
};
const none = { changes: false, repointed: false };

describe("diff", () => {
  it("sees no change when Nexla reports what is declared", () => {
    expect(diffFlow(stored, { flowId: 200, scope: "flow", status: "ACTIVE", owner: stored.owner })).toEqual(
      none,
    );
  });

  it("ignores ownership when it is not declared, and the include flags, which Nexla does not report", () => {
    expect(diffFlow(stored, { flowId: 200, status: "ACTIVE" })).toEqual(none);
    const flags = { ...stored.owner, includeDataCredentials: true };
    expect(diffFlow(stored, { flowId: 200, status: "ACTIVE", owner: flags })).toEqual(none);
  });

  it("updates when the observed status differs, MIXED included", () => {
    expect(diffFlow({ ...stored, status: "MIXED" }, { flowId: 200, status: "ACTIVE" }).changes).toBe(true);
    expect(diffFlow(stored, { flowId: 200, status: "PAUSED" })).toEqual({ ...none, changes: true });
  });

  it("updates when the owner or org differs", () => {
    const owner = { ownerId: 3, orgId: 2 };
    expect(diffFlow(stored, { flowId: 200, status: "ACTIVE", owner })).toEqual({ ...none, changes: true });
    expect(
      diffFlow({ ...stored, owner: undefined }, { flowId: 200, status: "ACTIVE", owner: stored.owner })
        .changes,
    ).toBe(true);
  });

  // That the engine is never told to replace (what the provider's diff answers) is in
  // test/integration/provider-methods.test.ts: FlowDiff has no `replaces` to get wrong.
  it("re-points the Flow when the anchor or the scope changes", () => {
    const repointed = { changes: true, repointed: true };
    expect(diffFlow(stored, { dataSourceId: 1100, status: "ACTIVE" })).toEqual(repointed);
    expect(diffFlow(stored, { flowId: 200, scope: "downstream", status: "ACTIVE" })).toEqual(repointed);
  });

  it("updates when a refresh found the anchor in another flow, so up cannot pass it by as in sync", () => {
    const moved = { ...stored, anchorMovedTo: 100 };
    expect(diffFlow(moved, { flowId: 200, scope: "flow", status: "ACTIVE", owner: stored.owner })).toEqual({
      changes: true,
      repointed: false,
    });
  });

  it("treats unknown values in preview as changes, and an unknown anchor as an in-place change", () => {
    expect(diffFlow(stored, { flowId: UNKNOWN, status: "ACTIVE" })).toEqual({
      changes: true,
      repointed: true,
    });
    expect(diffFlow(stored, { flowId: 200, status: UNKNOWN }).changes).toBe(true);
  });
});

describe("state written by an older version", () => {
  it("reads back with the defaults check fills in", () => {
    expect(inputsFromOutputs({ flowId: 100, status: "ACTIVE" })).toEqual({
      flowId: 100,
      status: "ACTIVE",
      scope: "flow",
      convergeTimeoutSeconds: 120,
    });
  });
});
