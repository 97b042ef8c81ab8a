import { describe, expect, it } from "vitest";
import { createEmulator, type EmulatorOptions } from "pulumi-nexla/emulator";
import { TestClock } from "../fixtures/clock.js";

/** A clock the test moves by hand (docs/design.md §8.12: time is faked, never measured). */
const fakeClock = (start = 1_700_000_000_000) => new TestClock(start);

function setup(options: EmulatorOptions = {}) {
  const emulator = createEmulator(options);
  const send = async (method: string, path: string, authorization?: string) => {
    const response = await emulator.request(path, {
      method,
      headers: authorization === undefined ? {} : { Authorization: authorization },
    });
    const text = await response.text();
    return {
      status: response.status,
      text,
      headers: response.headers,
      body: text.startsWith("{") ? JSON.parse(text) : undefined,
    };
  };
  return { emulator, send };
}

describe("authentication", () => {
  it("exchanges a service key sent as is after Basic for a fresh Bearer token", async () => {
    const { send } = setup();
    const { status, body } = await send("POST", "/token", "Basic emu-ops-service-key");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      token_type: "Bearer",
      expires_in: 3600,
      user: { id: 3, email: "ops@acme.example" },
      org_membership: { status: "ACTIVE" },
      org: { id: 2, name: "Acme Data" },
    });
    expect(body.access_token).not.toBe("emu-ops-access-token");
    expect((await send("GET", "/flows/300", `Bearer ${body.access_token}`)).status).toBe(200);
  });

  it("refuses an unknown or base64-encoded service key with an empty 401 (the SDKs send the key as is)", async () => {
    const { send } = setup();
    const encoded = Buffer.from("emu-ops-service-key").toString("base64");
    for (const header of ["Basic nope", `Basic ${encoded}`, "Bearer emu-ops-access-token", undefined]) {
      expect(await send("POST", "/token", header)).toMatchObject({ status: 401, text: "" });
    }
  });

  it("answers a missing or unknown token with an empty 401 and a malformed header with 400", async () => {
    const { send } = setup();
    expect(await send("GET", "/flows")).toMatchObject({ status: 401, text: "" });
    expect(await send("GET", "/flows", "Bearer wrong")).toMatchObject({ status: 401, text: "" });
    expect(await send("GET", "/flows", "emu-ops-access-token")).toMatchObject({
      status: 400,
      body: { message: "Invalid header format" },
    });
  });

  it("expires issued tokens after tokenTtlSeconds", async () => {
    const time = fakeClock();
    const { send } = setup({ clock: time.now, tokenTtlSeconds: 60 });
    const { body } = await send("POST", "/token", "Basic emu-analyst-service-key");
    await time.advance(59_999);
    expect((await send("GET", "/flows/100", `Bearer ${body.access_token}`)).status).toBe(200);
    await time.advance(1);
    expect(await send("GET", "/flows/100", `Bearer ${body.access_token}`)).toMatchObject({
      status: 401,
      text: "",
    });
  });

  it("logs out the presented token with an empty 200; seeded tokens come back on reset", async () => {
    const { emulator, send } = setup();
    expect(await send("POST", "/token/logout", "Bearer emu-ops-access-token")).toMatchObject({
      status: 200,
      text: "",
    });
    expect((await send("GET", "/flows", "Bearer emu-ops-access-token")).status).toBe(401);
    emulator.control.reset();
    expect((await send("GET", "/flows", "Bearer emu-ops-access-token")).status).toBe(200);
  });

  it("sets JSON, Pragma and Cache-Control headers on every answer, errors included", async () => {
    const { send } = setup();
    for (const answer of [
      await send("GET", "/flows", "Bearer emu-ops-access-token"),
      await send("GET", "/flows"),
    ]) {
      expect(answer.headers.get("Content-Type")).toMatch(/^application\/json/);
      expect([answer.headers.get("Pragma"), answer.headers.get("Cache-Control")]).toEqual([
        "no-cache",
        "no-store",
      ]);
    }
  });
});

describe("rate limits", () => {
  it("throttles a user's writes at 8 per second with 429, Retry-After and Rack::Attack's body, then recovers", async () => {
    const time = fakeClock(1_700_000_000_000);
    const { send } = setup({ clock: time.now });
    const pause = () => send("PUT", "/flows/300/pause", "Bearer emu-ops-access-token");
    for (let i = 0; i < 8; i += 1) expect((await pause()).status).toBe(200);
    const throttled = await pause();
    expect({
      status: throttled.status,
      text: throttled.text,
      retry: throttled.headers.get("Retry-After"),
    }).toEqual({
      status: 429,
      text: "Retry later",
      retry: "1",
    });
    expect((await send("GET", "/flows/300", "Bearer emu-ops-access-token")).status).toBe(200);
    expect((await send("PUT", "/flows/300/pause", "Bearer emu-analyst-access-token")).status).toBe(200);
    await time.advance(1000);
    expect((await pause()).status).toBe(200);
  });

  it("weighs GETs on data_set paths high (5 per second) and never limits /token", async () => {
    const { send } = setup({ clock: () => 0 });
    const get = () => send("GET", "/data_sets/2000/flow", "Bearer emu-ops-access-token");
    for (let i = 0; i < 5; i += 1) expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);
    for (let i = 0; i < 20; i += 1)
      expect((await send("POST", "/token", "Basic emu-ops-service-key")).status).toBe(200);
  });

  it("takes partial overrides and can be turned off", async () => {
    const limited = setup({ clock: () => 0, rateLimits: { light: 1 } });
    await limited.send("GET", "/flows", "Bearer emu-ops-access-token");
    expect((await limited.send("GET", "/flows", "Bearer emu-ops-access-token")).status).toBe(429);
    const free = setup({ clock: () => 0, rateLimits: false });
    for (let i = 0; i < 30; i += 1)
      expect((await free.send("GET", "/flows", "Bearer emu-ops-access-token")).status).toBe(200);
  });
});

describe("settling", () => {
  it("shows the old status on reads for settleMs after a change; the write's answer shows the new one", async () => {
    const time = fakeClock();
    const { send } = setup({ clock: time.now, settleMs: 500 });
    const written = await send("PUT", "/flows/100/pause", "Bearer emu-analyst-access-token");
    expect(written.body.flows[0].status).toBe("PAUSED");
    const read = () => send("GET", "/flows/100", "Bearer emu-analyst-access-token");
    expect((await read()).body.flows[0].status).toBe("ACTIVE");
    expect((await send("GET", "/data_sinks/3000", "Bearer emu-analyst-access-token")).body.status).toBe(
      "ACTIVE",
    );
    await time.advance(499);
    expect((await read()).body.data_sinks[0].status).toBe("ACTIVE");
    await time.advance(1);
    expect((await read()).body.data_sinks[0].status).toBe("PAUSED");
  });

  it("shows out-of-band changes at once, so drift tests need no waiting", async () => {
    const { emulator, send } = setup({ clock: () => 0, settleMs: 10_000 });
    emulator.control.setStatus("data_sink", 3000, "PAUSED");
    expect(
      (await send("GET", "/flows/100", "Bearer emu-analyst-access-token")).body.data_sinks[0].status,
    ).toBe("PAUSED");
  });
});
