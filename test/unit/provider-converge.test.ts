/** Converge, then confirm, on a clock the test moves: no test here waits on the wall clock. */
import { describe, expect, it } from "vitest";
import { confirmedBy, converge } from "../../provider/internal/execute.js";
import type { FlowInputs } from "../../src/declaration/schema.js";
import type { NexlaClient } from "../../src/nexla/index.js";
import { flowResponse, small } from "./planner-fixtures.js";
import { TestClock } from "../fixtures/clock.js";

/** A clock whose sleep moves time on at once, recording each delay asked for. */
const fakeClock = () => new TestClock();

const inputs = (timeout: number) =>
  ({ flowId: 200, scope: "flow", status: "ACTIVE", convergeTimeoutSeconds: timeout }) as FlowInputs;
const anchor = { kind: "flow", id: 200 } as const;
const answering = (...answers: unknown[]) =>
  ({ tryGetFlow: async () => (answers.length > 1 ? answers.shift() : answers[0]) }) as unknown as NexlaClient;

describe("converge", () => {
  it("returns as soon as Nexla reports the declared state, with capped backoff between polls", async () => {
    const clock = fakeClock();
    const client = answering(
      flowResponse(small("PAUSED")),
      flowResponse(small("PAUSED")),
      flowResponse(small("ACTIVE")),
    );
    const observed = await converge(client, inputs(120), anchor, clock);
    expect(observed.status).toBe("ACTIVE");
    expect(clock.slept).toEqual([100, 200]);
  });

  it("gives up on 404s after 10 s (100 + 200 + … + 5000 ms of polls: 11 s), saying how long it waited, not the timeout", async () => {
    const clock = fakeClock();
    await expect(converge(answering(undefined), inputs(120), anchor, clock)).rejects.toThrow(
      "Could not confirm flow 200: Nexla accepted the calls, but for 11 s after them it no longer finds the flow. " +
        "Run `pulumi refresh` to see what is left.",
    );
  });

  it("names what did not get there when the timeout passes", async () => {
    const clock = fakeClock();
    await expect(
      converge(answering(flowResponse(small("ACTIVE", "PAUSED"))), inputs(30), anchor, clock),
    ).rejects.toThrow(
      "Could not confirm flow 200: Nexla accepted the calls, but after 30 s data_sink 3100 is PAUSED (desired " +
        "ACTIVE). Check the flow in Nexla, or raise convergeTimeoutSeconds if it settles slowly.",
    );
    expect(clock.now()).toBeLessThanOrEqual(30_000);
  });
});

describe("confirmedBy: the write's own answer as the first confirmation", () => {
  it("confirms when the answer already shows the declared state", () => {
    expect(confirmedBy(flowResponse(small("ACTIVE")), inputs(30), anchor)?.status).toBe("ACTIVE");
  });

  it("does not confirm an answer that still shows another state: converge polls then", () => {
    expect(confirmedBy(flowResponse(small("ACTIVE", "PAUSED")), inputs(30), anchor)).toBeUndefined();
  });

  it("does not confirm without an answer, or on one that is not this flow", () => {
    expect(confirmedBy(undefined, inputs(30), anchor)).toBeUndefined();
    expect(confirmedBy({ flows: [] }, inputs(30), anchor)).toBeUndefined();
    expect(confirmedBy(flowResponse(small("ACTIVE")), inputs(30), { kind: "flow", id: 999 })).toBeUndefined();
  });
});
