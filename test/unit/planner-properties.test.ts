import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FlowResponse } from "../../src/nexla/types.js";
import {
  isAt,
  isPlannerError,
  observe,
  plan,
  planDelete,
  type ObservedFlow,
  type ResourceRef,
  type Step,
} from "../../src/planner/index.js";
import { scenario, type Scenario } from "./planner-arbitraries.js";
import { execute, Refused } from "./planner-nexla-model.js";

const runs = { numRuns: 300 };
const key = (r: ResourceRef) => `${r.kind} ${r.id}`;

/** The plan for a scenario, or `undefined` when the planner refused it as rate limited (checked here). */
function planOf({ response, anchor, scope, desired }: Scenario): Step[] | undefined {
  const observed = observe(response, anchor, scope);
  try {
    return plan(desired, observed, anchor, scope);
  } catch (error) {
    // Only ever because a status change is needed and Nexla would refuse it.
    expect(isPlannerError(error, "rate_limited")).toBe(true);
    expect(observed.rateLimited.length).toBeGreaterThan(0);
    expect(observed.status).not.toBe(desired.status);
    return undefined;
  }
}

/** The resources whose status or owner a step changed, as Nexla's model performs it. */
function changed(before: ObservedFlow, after: ObservedFlow, step: Step): string[] {
  const now = new Map(after.flowResources.map((r) => [key(r), r]));
  if (step.action === "change_owner") {
    return before.flowResources
      .filter((r) => now.get(key(r))?.ownerId !== r.ownerId || now.get(key(r))?.orgId !== r.orgId)
      .map(key);
  }
  const target = step.action === "activate" ? "ACTIVE" : "PAUSED";
  return before.resources
    .filter((r) => !isAt(r.status, target) && isAt(now.get(key(r))?.status ?? "", target))
    .map(key);
}

describe("plan: properties", () => {
  it("plans nothing for a scope already in its observed state", () => {
    fc.assert(
      fc.property(scenario, ({ response, anchor, scope, desired }) => {
        const observed = observe(response, anchor, scope);
        fc.pre(observed.status !== "MIXED");
        const owner = observed.owner && desired.owner && { ...desired.owner, ...observed.owner };
        const same = owner ? { status: observed.status, owner } : { status: observed.status };
        expect(plan(same, observed, anchor, scope)).toEqual([]);
      }),
      runs,
    );
  });

  it("reaches the desired status and owner when Nexla performs the plan, and then plans nothing", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const steps = planOf(s);
        if (steps === undefined) return;
        const after = steps.reduce(
          (response: FlowResponse, step) => execute(response, step.call),
          s.response,
        );
        const observed = observe(after, s.anchor, s.scope);
        expect(observed.status).toBe(s.desired.status);
        if (s.desired.owner) {
          expect(observed.owner).toEqual({ ownerId: s.desired.owner.ownerId, orgId: s.desired.owner.orgId });
        }
        expect(plan(s.desired, observed, s.anchor, s.scope)).toEqual([]);
      }),
      runs,
    );
  });

  it("plans no step that changes nothing, and each step changes exactly what it says it affects", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        let response = s.response;
        for (const step of planOf(s) ?? []) {
          const before = observe(response, s.anchor, s.scope);
          response = execute(response, step.call);
          const did = changed(before, observe(response, s.anchor, s.scope), step);
          expect(did.length).toBeGreaterThan(0);
          expect(did).toEqual(step.affects.map(key));
        }
      }),
      runs,
    );
  });

  it("pauses before changing the owner when desired PAUSED, and changes the owner before activating", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const actions = (planOf(s) ?? []).map((step) => step.action);
        const order =
          s.desired.status === "PAUSED" ? ["pause", "change_owner"] : ["change_owner", "activate"];
        expect(actions).toEqual(order.filter((action) => actions.includes(action as Step["action"])));
      }),
      runs,
    );
  });
});

describe("planDelete: properties", () => {
  it("ends with exactly one delete, pausing first iff something in scope is ACTIVE, and Nexla accepts it", () => {
    fc.assert(
      fc.property(scenario, ({ response, anchor, scope }) => {
        const observed = observe(response, anchor, scope);
        const active = observed.resources.some((r) => r.status === "ACTIVE");
        let steps: Step[];
        try {
          steps = planDelete(observed, anchor, scope);
        } catch (error) {
          expect(isPlannerError(error, "rate_limited") && active && observed.rateLimited.length > 0).toBe(
            true,
          );
          return;
        }
        expect(steps.map((step) => step.action)).toEqual(active ? ["pause", "delete"] : ["delete"]);
        expect(steps.at(-1)?.affects).toEqual(observed.resources.map(({ kind, id }) => ({ kind, id })));
        expectAccepted(response, steps);
      }),
      runs,
    );
  });
});

/**
 * Nexla accepts every call. One refusal the planner does not foresee: deleting a flow one of whose nexsets
 * is shared and feeds a flow of its own (405, docs/nexla-api.md §2.4); the provider reports Nexla's message.
 */
function expectAccepted(response: FlowResponse, steps: readonly Step[]): void {
  try {
    steps.reduce((state: FlowResponse, step) => execute(state, step.call), response);
  } catch (error) {
    expect(error).toBeInstanceOf(Refused);
    expect((error as Error).message).toBe(
      "Flow cannot be deleted while shared nexsets have downstream flows",
    );
  }
}
