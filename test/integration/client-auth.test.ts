/**
 * Authentication over HTTP against the emulator: the service-key exchange, its sharing between concurrent
 * calls, renewal before expiry and after a 401, and access tokens used as they are. Time is a fake clock
 * shared with the emulator, never waited for.
 */
import { createEmulator, type Emulator, type RunningEmulator } from "pulumi-nexla/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createNexlaClient, type NexlaAuth, type NexlaClient } from "../../src/nexla/index.js";
import { TestClock } from "../fixtures/clock.js";

const start = Date.parse("2026-11-28T10:00:00Z");
/** The emulator's time and the client's, apart so each side can expire a token without the other knowing. */
let time: { emulator: TestClock; client: TestClock };

let emu: Emulator;
let api: RunningEmulator;

beforeAll(async () => {
  emu = createEmulator({ rateLimits: false, tokenTtlSeconds: 3600, clock: () => time.emulator.now() });
  api = await emu.listen({ port: 0 });
});
afterAll(async () => api.close());
beforeEach(() => {
  emu.control.reset();
  time = { emulator: new TestClock(start), client: new TestClock(start) };
});

const clientWith = (auth: NexlaAuth): NexlaClient =>
  createNexlaClient({
    baseUrl: api.url,
    auth,
    rateLimit: false,
    retry: { baseDelayMs: 1, maxDelayMs: 10 },
    clock: time.client,
  });
const superKey = { serviceKey: "emu-super-service-key" };
const orders = { kind: "flow", id: 100 } as const;
const log = () => emu.control.requests().map((r) => `${r.method} ${r.path} ${r.status}`);
const advance = async (seconds: number) => {
  await time.emulator.advance(seconds * 1000);
  await time.client.advance(seconds * 1000);
};

describe("a service key", () => {
  it("is exchanged once at POST /token (Basic, the key as is), and concurrent calls share that exchange", async () => {
    const client = clientWith(superKey);
    await Promise.all([100, 200, 300, 400, 500].map((id) => client.getFlow({ kind: "flow", id })));
    expect(log().filter((l) => l.startsWith("POST"))).toEqual(["POST /token 200"]);
    expect(emu.control.requests().every((r) => r.userId === 1)).toBe(true);
  });

  it("is exchanged again a minute before the token expires, not after", async () => {
    const client = clientWith(superKey);
    await client.getFlow(orders);
    await advance(3539);
    await client.getFlow(orders);
    await advance(2);
    await client.getFlow(orders);
    expect(log()).toEqual([
      "POST /token 200",
      "GET /flows/100 200",
      "GET /flows/100 200",
      "POST /token 200",
      "GET /flows/100 200",
    ]);
  });

  it("gets a new token and retries once when a call answers 401", async () => {
    const client = clientWith(superKey);
    emu.control.injectFault({ method: "GET", path: "/flows/100", status: 401 });
    await expect(client.getFlow(orders)).resolves.toMatchObject({ flows: [{ id: 100 }] });
    expect(log()).toEqual(["POST /token 200", "GET /flows/100 401", "POST /token 200", "GET /flows/100 200"]);
  });

  it("recovers when Nexla ends the session before the client expected", async () => {
    const client = clientWith(superKey);
    await client.getFlow(orders);
    await time.emulator.advance(3601 * 1000); // expired for Nexla; the client still thinks it has minutes left
    await client.pause(orders, "flow");
    expect(log()).toEqual([
      "POST /token 200",
      "GET /flows/100 200",
      "PUT /flows/100/pause 401",
      "POST /token 200",
      "PUT /flows/100/pause 200",
    ]);
  });

  it("renews once for a burst of 401s from concurrent calls", async () => {
    const client = clientWith(superKey);
    await client.getFlow(orders);
    await time.emulator.advance(3601 * 1000);
    await Promise.all([100, 200, 300, 400, 500].map((id) => client.getFlow({ kind: "flow", id })));
    expect(log().filter((l) => l.startsWith("POST"))).toEqual(["POST /token 200", "POST /token 200"]);
  });

  it("fails with unauthorized when the call answers 401 with the new token too", async () => {
    const client = clientWith(superKey);
    emu.control.injectFault({ method: "GET", path: "/flows/100", status: 401, times: 2 });
    await expect(client.getFlow(orders)).rejects.toThrow(
      "Could not read flow 100 (GET /flows/100): Nexla answered 401 Unauthorized, also with a new session token. Check that the service key's user is still active in Nexla and may use the API.",
    );
    expect(log()).toEqual(["POST /token 200", "GET /flows/100 401", "POST /token 200", "GET /flows/100 401"]);
  });

  it("that Nexla refuses fails at the exchange, and the call is never sent", async () => {
    const client = clientWith({ serviceKey: "not-a-service-key" });
    const error = await client.pause(orders, "flow").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "unauthorized", status: 401, method: "POST", path: "/token" });
    expect((error as Error).message).toBe(
      "Could not exchange the service key for a session token (POST /token): Nexla answered 401 Unauthorized. Check NEXLA_SERVICE_KEY: Nexla does not accept it (mistyped, rotated or revoked).",
    );
    expect(log()).toEqual(["POST /token 401"]);
  });

  it("exchange is retried like other calls when Nexla is briefly unavailable", async () => {
    const client = clientWith(superKey);
    emu.control.injectFault({ method: "POST", path: "/token", status: 503 });
    await client.getFlow(orders);
    expect(log()).toEqual(["POST /token 503", "POST /token 200", "GET /flows/100 200"]);
  });
});

describe("an access token", () => {
  it("is sent as a Bearer token as is, with no exchange", async () => {
    await clientWith({ accessToken: "emu-analyst-access-token" }).getFlow(orders);
    expect(emu.control.requests().map((r) => [r.method, r.path, r.userId])).toEqual([
      ["GET", "/flows/100", 2],
    ]);
  });

  it("that Nexla refuses is an unauthorized error saying how to get a new one, without a retry", async () => {
    const client = clientWith({ accessToken: "expired-access-token" });
    await expect(client.activate({ kind: "data_set", id: 2101 }, "downstream")).rejects.toThrow(
      "Could not activate flow of data_set 2101 (PUT /data_sets/2101/flow/activate): Nexla answered 401 Unauthorized. The access token is invalid or expired: log in to Nexla, open /token on its UI host to get a new one and set NEXLA_ACCESS_TOKEN, or set NEXLA_SERVICE_KEY instead, whose session tokens are renewed automatically.",
    );
    expect(log()).toEqual(["PUT /data_sets/2101/flow/activate 401"]);
  });
});
