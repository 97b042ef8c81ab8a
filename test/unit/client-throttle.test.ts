import { describe, expect, it } from "vitest";
import { Throttle, throttles, type Clock } from "../../src/nexla/internal/throttle.js";
import { TestClock } from "../fixtures/clock.js";

/** A clock whose sleeps jump time forward at once: the order and times of grants are what is checked. */
const jumpingClock = () => new TestClock();

async function grantTimes(count: number, acquire: () => Promise<void>, clock: Clock): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(Array.from({ length: count }, () => acquire().then(() => times.push(clock.now()))));
  return times;
}

describe("Throttle", () => {
  it("grants `limit` requests at once, then one more each time the oldest leaves the one-second window", async () => {
    const clock = jumpingClock();
    const throttle = new Throttle(3, clock);
    expect(await grantTimes(7, () => throttle.acquire(), clock)).toEqual([0, 0, 0, 1000, 1000, 1000, 2000]);
  });

  it("never lets more than `limit` into any 1000 ms window", async () => {
    const clock = jumpingClock();
    const throttle = new Throttle(12, clock);
    const times = await grantTimes(50, () => throttle.acquire(), clock);
    for (const start of times) {
      expect(times.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(12);
    }
  });
});

describe("Throttle.queuedMs", () => {
  it("is the wait of the requests not granted yet at the throttle's rate, and 0 once all are granted", async () => {
    // Time stands still and sleeps never end: the queue stays as it is while it is looked at.
    const still = new TestClock(0, "hold");
    const stuck = new Throttle(8, still, 1100);
    for (let i = 0; i < 24; i += 1) void stuck.acquire();
    await new Promise((resolve) => setImmediate(resolve));
    expect(stuck.queuedMs()).toBe(2200); // 8 granted at once, 16 waiting: two more windows of 1.1 s
    const clock = jumpingClock();
    const throttle = new Throttle(8, clock, 1100);
    await grantTimes(24, () => throttle.acquire(), clock);
    expect(throttle.queuedMs()).toBe(0);
  });

  it("is counted for writes only; 0 without limits", () => {
    const still = new TestClock(0, "hold");
    const buckets = throttles(
      { writesPerSecond: 1, readsPerSecond: 1, heavyReadsPerSecond: 1, marginMs: 0 },
      still,
    );
    for (let i = 0; i < 3; i += 1) void buckets.acquire("GET", "/flows");
    expect(buckets.writeQueueMs()).toBe(0);
    for (let i = 0; i < 3; i += 1) void buckets.acquire("PUT", "/flows/1/pause");
    expect(buckets.writeQueueMs()).toBe(3000);
    expect(throttles(false, still).writeQueueMs()).toBe(0);
  });
});

describe("throttles", () => {
  it("keeps writes, reads and GETs of data_set paths in separate buckets with Nexla's limits", async () => {
    const clock = jumpingClock();
    const buckets = throttles(
      { writesPerSecond: 8, readsPerSecond: 12, heavyReadsPerSecond: 5, marginMs: 100 },
      clock,
    );
    const atOnce = async (method: string, path: string, n: number) => {
      const start = clock.now();
      const times = await grantTimes(n, () => buckets.acquire(method, path), clock);
      return times.filter((t) => t === start).length;
    };
    expect(await atOnce("PUT", "/flows/1/pause", 10)).toBe(8);
    expect(await atOnce("GET", "/flows/1", 15)).toBe(12);
    expect(await atOnce("GET", "/data_sets/2101/flow", 8)).toBe(5);
  });

  it("keeps a margin: the next `limit` requests wait for the window plus the margin, not one second", async () => {
    const clock = jumpingClock();
    const buckets = throttles(
      { writesPerSecond: 2, readsPerSecond: 3, heavyReadsPerSecond: 1, marginMs: 100 },
      clock,
    );
    expect(await grantTimes(7, () => buckets.acquire("GET", "/flows/1"), clock)).toEqual([
      0, 0, 0, 1100, 1100, 1100, 2200,
    ]);
  });

  it("does nothing when turned off", async () => {
    const clock = jumpingClock();
    const off = throttles(false, clock);
    expect(new Set(await grantTimes(100, () => off.acquire("GET", "/flows"), clock))).toEqual(new Set([0]));
  });
});
