/**
 * A stack of 200 flows through the real Pulumi CLI, against the emulator with Nexla's default per-user rate
 * limits (writes 8/s, reads 12/s): `up` from scratch converges, then nothing is called that is not needed.
 * Figures (calls, 429s, wall time) are printed, never asserted; `npm run bench` reports them too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiCalls,
  callSummary,
  isWrite,
  originNodeOf,
  startLoadHarness,
  statusesOf,
  type LoadHarness,
  type Run,
} from "./harness.js";

const FLOWS = 200;
// Every odd flow is declared PAUSED; the seed has every flow ACTIVE, so half need one call each.
const statusOf = Object.fromEntries(
  Array.from({ length: FLOWS }, (_, i) => [i + 1, (i + 1) % 2 === 1 ? "PAUSED" : "ACTIVE"] as const),
);
const declared = (k: number) => statusOf[k] ?? "ACTIVE";
const options = { flows: FLOWS, statusOf };

let h: LoadHarness;
beforeAll(async () => {
  h = await startLoadHarness({ flows: FLOWS });
});
afterAll(async () => h?.close());

const call = (r: { method: string; path: string; query: Record<string, string> }) =>
  `${r.method} ${r.path}${Object.keys(r.query).length ? `?${new URLSearchParams(r.query)}` : ""}`;
const answered = (status: number) => apiCalls(h.requests()).filter((r) => r.status === status);

function report(name: string, run: Run): void {
  const log = apiCalls(h.requests());
  console.log(`${name}: ${Math.round(run.ms)} ms, ${log.length} calls (${callSummary(log)})`);
}

function expectOk(run: Run): void {
  expect(run.result?.error).toBeUndefined();
  expect(run.result?.ok).toBe(true);
}

describe("200 flows under Nexla's default rate limits", () => {
  it("up from scratch converges: every flow reaches its declared status, one write per flow out of sync", async () => {
    const up = await h.run("up", options);
    report("up from scratch", up);
    expectOk(up);
    expect(up.result?.changes).toEqual({ create: FLOWS + 1 });
    for (let k = 1; k <= FLOWS; k += 1) {
      expect(statusesOf(h.emulator, k), `flow ${k}`).toEqual(Array(3).fill(declared(k)));
    }
    const writes = apiCalls(h.requests()).filter((r) => isWrite(r) && r.status === 200);
    const expected = Array.from(
      { length: FLOWS / 2 },
      (_, i) => `PUT /flows/${originNodeOf(2 * i + 1)}/pause`,
    );
    expect(writes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(expected.sort());
    // Whatever was throttled was retried until answered: nothing failed for good, nothing went unanswered.
    expect(apiCalls(h.requests()).filter((r) => r.status !== 200 && r.status !== 429)).toEqual([]);
    expect(h.emulator.control.unhandled()).toEqual([]);
  });

  it("then preview shows no changes and makes no API call", async () => {
    h.clearRequests();
    const preview = await h.run("preview", options);
    report("preview", preview);
    expectOk(preview);
    expect(preview.result?.changes).toEqual({ same: FLOWS + 1 });
    expect(apiCalls(h.requests())).toEqual([]);
  });

  it("preview --refresh reads the flows together, never one twice, and writes nothing", async () => {
    h.clearRequests();
    const preview = await h.run("preview-refresh", options);
    report("preview --refresh", preview);
    expectOk(preview);
    expect(preview.result?.changes).toEqual({ same: FLOWS + 1 });
    // A refresh is one picture of Nexla: one list serves every Flow, at the engine's default parallelism too
    // (8 at a time on 2 CPUs). The super user's key, and flows Ada owns: the list of flows the user may operate.
    expect(answered(200).map(call)).toEqual(["GET /flows?access_role=operator"]);
    expect(apiCalls(h.requests()).filter(isWrite)).toEqual([]);
  });

  it("changing one flow's status makes exactly one write", async () => {
    h.clearRequests();
    const up = await h.run("up", { ...options, statusOf: { ...statusOf, 8: "PAUSED" } });
    report("up, one flow changed", up);
    expectOk(up);
    expect(up.result?.changes).toEqual({ same: FLOWS, update: 1 });
    expect(answered(200).filter(isWrite).map(call)).toEqual([
      `PUT /flows/${originNodeOf(8)}/pause?full_tree=1`,
    ]);
    expect(statusesOf(h.emulator, 8)).toEqual(["PAUSED", "PAUSED", "PAUSED"]);
  });

  it("destroy deletes every flow, pausing first only those still active", async () => {
    h.clearRequests();
    const destroy = await h.run("destroy", { ...options, statusOf: { ...statusOf, 8: "PAUSED" } });
    report("destroy", destroy);
    expectOk(destroy);
    expect(destroy.result?.changes).toEqual({ delete: FLOWS + 1 });
    for (let k = 1; k <= FLOWS; k += 1) expect(statusesOf(h.emulator, k), `flow ${k}`).toEqual([]);
    const writes = answered(200).filter(isWrite);
    const deletes = writes.filter((r) => r.method === "DELETE").map((r) => r.path);
    expect(deletes.sort()).toEqual(
      Array.from({ length: FLOWS }, (_, i) => `/flows/${originNodeOf(i + 1)}`).sort(),
    );
    const active = Array.from({ length: FLOWS }, (_, i) => i + 1).filter((k) => k % 2 === 0 && k !== 8);
    const pauses = writes.filter((r) => r.method === "PUT").map((r) => r.path);
    expect(pauses.sort()).toEqual(active.map((k) => `/flows/${originNodeOf(k)}/pause`).sort());
    expect(apiCalls(h.requests()).filter((r) => r.status !== 200 && r.status !== 429)).toEqual([]);
  });
});
