/**
 * Retries over HTTP against the emulator's injected faults: which answers are retried, how many attempts are
 * made (counted in the emulator's request log), what the log hook sees, and the waits the client asks its
 * clock for. The clock records each wait and returns at once, so no outcome depends on the wall clock; the
 * formula of the delays is specified in test/unit/client-retry.test.ts.
 */
import { createEmulator, type Emulator, type RunningEmulator } from "pulumi-nexla/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createNexlaClient, type NexlaClientOptions, type RequestInfo } from "../../src/nexla/index.js";
import { TestClock } from "../fixtures/clock.js";

let emu: Emulator;
let api: RunningEmulator;

beforeAll(async () => {
  emu = createEmulator({ rateLimits: false });
  api = await emu.listen({ port: 0 });
});
afterAll(async () => api.close());

/** The client's clock: the only sleeps it makes between retries go through it, and it records their waits. */
let clock: TestClock;
/** The waits the client asked for, in order. */
let waits: number[];

beforeEach(() => {
  emu.control.reset();
  clock = new TestClock();
  waits = clock.slept;
});

const clientWith = (options: Partial<NexlaClientOptions> = {}) =>
  createNexlaClient({
    baseUrl: api.url,
    auth: { accessToken: "emu-super-access-token" },
    rateLimit: false,
    retry: { baseDelayMs: 1, maxDelayMs: 20 },
    clock,
    ...options,
  });
/** Each wait is one of `exponentials` with equal jitter: at least half of it, at most all of it. */
const expectJitteredWaits = (exponentials: number[]) => {
  expect(waits).toHaveLength(exponentials.length);
  exponentials.forEach((exponential, i) => {
    expect(waits[i]).toBeGreaterThanOrEqual(exponential / 2);
    expect(waits[i]).toBeLessThanOrEqual(exponential);
  });
};
const clickstream = { kind: "flow", id: 200 } as const;
const statuses = () => emu.control.requests().map((r) => r.status);

describe("retried answers", () => {
  it("a 429 with Retry-After is retried after the time it asks for", async () => {
    emu.control.injectFault({
      method: "PUT",
      path: "/flows/*/pause",
      status: 429,
      headers: { "Retry-After": "1" },
    });
    await clientWith({ retry: { baseDelayMs: 1, maxDelayMs: 10_000 } }).pause(clickstream, "flow");
    expect(statuses()).toEqual([429, 200]);
    expect(waits).toEqual([1000]);
  });

  it("a Retry-After longer than maxDelayMs is still retried, after maxDelayMs (got alone would give up)", async () => {
    emu.control.injectFault({
      method: "PUT",
      path: "/flows/*/pause",
      status: 429,
      headers: { "Retry-After": "3600" },
    });
    await clientWith().pause(clickstream, "flow");
    expect(statuses()).toEqual([429, 200]);
    expect(waits).toEqual([20]);
  });

  it("a 429 without Retry-After is retried with exponential backoff", async () => {
    emu.control.injectFault({ method: "GET", path: "/flows/200", status: 429, times: 2 });
    await clientWith({ retry: { baseDelayMs: 1000, maxDelayMs: 10_000 } }).getFlow(clickstream);
    expect(statuses()).toEqual([429, 429, 200]);
    expectJitteredWaits([1000, 2000]);
  });

  it("the backoff doubles up to maxDelayMs and stays there", async () => {
    emu.control.injectFault({ path: "/flows/200", status: 503, times: 6 });
    await clientWith({ retry: { limit: 6, baseDelayMs: 1000, maxDelayMs: 5000 } }).getFlow(clickstream);
    expect(statuses()).toEqual([503, 503, 503, 503, 503, 503, 200]);
    expectJitteredWaits([1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it.each([502, 503, 504])("a %i is retried", async (status) => {
    emu.control.injectFault({ path: "/data_sets/2101/flow", status, times: 3 });
    await clientWith()
      .deleteFlow({ kind: "data_set", id: 2101 }, "downstream")
      .catch(() => undefined);
    expect(statuses().slice(0, 4)).toEqual([status, status, status, 405]);
  });

  it("a connection dropped after a PUT was performed is retried: activate and pause are idempotent", async () => {
    emu.control.injectFault({ method: "PUT", path: "/flows/200/pause", drop: true, after: true });
    const flow = await clientWith().pause(clickstream, "flow");
    expect(statuses()).toEqual([0, 200]);
    expect(new Set(flow.data_sets?.map((s) => s.status))).toEqual(new Set(["PAUSED"]));
  });

  it("a connection dropped before an answer is retried for DELETE too", async () => {
    emu.control.setStatus("data_source", 1100, "PAUSED", { cascade: true });
    emu.control.injectFault({ method: "DELETE", path: "/flows/200", drop: true });
    await clientWith().deleteFlow(clickstream, "flow");
    expect(statuses()).toEqual([0, 200]);
  });

  it("gives up after `limit` retries with the last answer's error", async () => {
    emu.control.injectFault({ path: "/flows/200", status: 503, times: Infinity });
    const error = await clientWith({ retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 5 } })
      .getFlow(clickstream)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "server", status: 503, attempts: 3 });
    expect(statuses()).toEqual([503, 503, 503]);
    expect(waits).toHaveLength(2);
  });
});

describe("answers that are not retried", () => {
  it.each([
    [500, "server"],
    [400, "validation"],
    [403, "forbidden"],
    [404, "not_found"],
    [405, "conflict"],
  ])("a %i is final (%s)", async (status, code) => {
    emu.control.injectFault({ path: "/flows/200/activate", status });
    await expect(clientWith().activate(clickstream, "flow")).rejects.toMatchObject({
      code,
      status,
      attempts: 1,
    });
    expect(statuses()).toEqual([status]);
    expect(waits).toEqual([]);
  });
});

describe("the log hook", () => {
  it("sees every attempt: method, path with query, status (none for a dropped one) and attempt number", async () => {
    const seen: RequestInfo[] = [];
    emu.control.injectFault({ method: "PUT", path: "/flows/200/pause", status: 503 });
    emu.control.injectFault({ method: "PUT", path: "/flows/200/pause", drop: true });
    await clientWith({ onRequest: (info) => seen.push(info) }).pause(clickstream, "flow");
    const call = { method: "PUT", path: "/flows/200/pause?full_tree=1" };
    expect(seen).toEqual([
      { ...call, status: 503, attempt: 1 },
      { ...call, status: undefined, attempt: 2 },
      { ...call, status: 200, attempt: 3 },
    ]);
  });

  it("sees token exchanges, and never a credential", async () => {
    const seen: RequestInfo[] = [];
    const client = clientWith({
      auth: { serviceKey: "emu-super-service-key" },
      onRequest: (i) => seen.push(i),
    });
    await client.getFlow(clickstream);
    expect(seen.map((i) => `${i.method} ${i.path} ${i.status}`)).toEqual([
      "POST /token 200",
      "GET /flows/200 200",
    ]);
    expect(JSON.stringify(seen)).not.toMatch(/emu-|Bearer|Basic/);
  });
});
