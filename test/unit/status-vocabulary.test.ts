/**
 * Nexla's status vocabulary has one copy per layer that may not share code: the client's (used by the planner
 * and the provider) and the emulator's. This keeps them in step, and the provider's declarable and observed
 * statuses consistent with the planner's judgement.
 */
import { describe, expect, it } from "vitest";
import { FlowStatus, ObservedFlowStatus } from "../../src/declaration/schema.js";
import { resourceStatuses as emulatorStatuses } from "../../src/emulator/seed.js";
import { knownResourceStatuses } from "../../src/nexla/types.js";
import { deriveStatus, isAt } from "../../src/planner/index.js";

describe("the status vocabulary", () => {
  it("is the same in the client and the emulator", () => {
    expect([...emulatorStatuses].sort()).toEqual([...knownResourceStatuses].sort());
  });

  it("gives every status Nexla stores a meaning for both declarable statuses, RATE_LIMITED neither", () => {
    const meaning = knownResourceStatuses.map((s) => [s, isAt(s, "ACTIVE"), isAt(s, "PAUSED")]);
    expect(meaning).toEqual([
      ["INIT", false, true],
      ["PAUSED", false, true],
      ["ACTIVE", true, false],
      ["RATE_LIMITED", false, false],
    ]);
  });

  it("lets a Flow declare exactly the statuses a scope can be in, and report MIXED and UNKNOWN beside them", () => {
    const resource = (status: string) =>
      ({ kind: "data_set", id: 1, flowNodeId: 1, status, ownerId: 1, orgId: 1 }) as const;
    const derived = new Set(
      knownResourceStatuses.flatMap((a) =>
        knownResourceStatuses.map((b) => deriveStatus([resource(a), resource(b)])),
      ),
    );
    expect([...derived].sort()).toEqual(["ACTIVE", "MIXED", "PAUSED"]);
    expect(Object.values(FlowStatus).sort()).toEqual(["ACTIVE", "PAUSED"]);
    expect(Object.values(ObservedFlowStatus).sort()).toEqual([...derived, "UNKNOWN"].sort());
  });
});
