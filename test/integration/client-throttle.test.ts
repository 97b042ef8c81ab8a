/**
 * The client-side throttle against the emulator's rate limiter (Nexla's per-user defaults, on): concurrent
 * calls of one client never exceed a weight's limit in a second, so Nexla never answers 429. Time is a manual
 * clock shared by the client and the emulator; it moves only when the test advances it.
 */
import { createEmulator, type Emulator, type RunningEmulator } from "pulumi-nexla/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createNexlaClient, type NexlaClient } from "../../src/nexla/index.js";
import { TestClock, turn } from "../fixtures/clock.js";

let clock: TestClock;
let emu: Emulator;
let api: RunningEmulator;
let client: NexlaClient;

beforeAll(async () => {
  emu = createEmulator({ clock: () => clock.now() });
  api = await emu.listen({ port: 0 });
});
afterAll(async () => api.close());
beforeEach(() => {
  clock = new TestClock(Date.parse("2026-11-28T10:00:00Z"), "hold");
  emu.control.reset();
  client = createNexlaClient({ baseUrl: api.url, auth: { accessToken: "emu-super-access-token" }, clock });
});

const sentPerKind = () => {
  const counts: Record<string, number> = {};
  for (const r of emu.control.requests()) {
    const kind = r.method !== "GET" ? "writes" : r.path.includes("data_set") ? "heavy reads" : "reads";
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
};

/** Lets every callback already queued run (promise jobs, I/O, immediates): a bounded number of turns. */
async function drainEventLoop(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await turn();
}

/**
 * Waits until `total` requests reached the emulator and `held` throttles (one per request weight with callers
 * left) sleep on the clock. A throttle sleeps only when its window is full, and the clock moves only when the
 * test advances it, so then nothing more can leave: the count checked after is final, not a sample in time.
 */
async function settledAt(total: number, held = 1): Promise<void> {
  await vi.waitFor(() => {
    expect(emu.control.requests().length).toBe(total);
    expect(clock.sleeping).toBe(held);
  });
  await drainEventLoop();
  expect(emu.control.requests().length).toBe(total);
  expect(clock.sleeping).toBe(held);
}

describe("the client throttle", () => {
  it("sends 12 reads per 1.1 s (Nexla's limit with the 100 ms margin) and holds the rest until the window moves", async () => {
    const calls = Promise.all(Array.from({ length: 30 }, () => client.getFlow({ kind: "flow", id: 100 })));
    await settledAt(12);
    await clock.advance(1000);
    await settledAt(12); // one second is not enough: the margin keeps them back
    await clock.advance(100);
    await settledAt(24);
    await clock.advance(1100);
    expect(await calls).toHaveLength(30);
    expect(emu.control.requests().filter((r) => r.status !== 200)).toEqual([]);
  });

  it("keeps writes (8/s), reads (12/s) and data_set reads (5/s) in separate budgets, like Nexla", async () => {
    const calls = Promise.all([
      ...Array.from({ length: 10 }, () => client.pause({ kind: "flow", id: 200 }, "downstream")),
      ...Array.from({ length: 14 }, () => client.getFlow({ kind: "flow", id: 100 })),
      ...Array.from({ length: 7 }, () => client.getFlow({ kind: "data_set", id: 2101 })),
    ]);
    await settledAt(25, 3);
    expect(sentPerKind()).toEqual({ writes: 8, reads: 12, "heavy reads": 5 });
    await clock.advance(1100);
    await calls;
    expect(sentPerKind()).toEqual({ writes: 10, reads: 14, "heavy reads": 7 });
    expect(emu.control.requests().filter((r) => r.status === 429)).toEqual([]);
  });

  it("without it, a burst of 20 reads meets 8 of Nexla's 429s", async () => {
    const unthrottled = createNexlaClient({
      baseUrl: api.url,
      auth: { accessToken: "emu-super-access-token" },
      rateLimit: false,
      retry: { limit: 0 },
      clock,
    });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => unthrottled.getFlow({ kind: "flow", id: 100 })),
    );
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(8);
  });
});
