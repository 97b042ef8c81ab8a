import { afterEach, describe, expect, it, vi } from "vitest";
import { createEmulator } from "pulumi-nexla/emulator";

const emulator = createEmulator({ rateLimits: false, clock: () => 42 });
afterEach(() => {
  vi.useRealTimers();
  emulator.control.reset();
});

const auth = { Authorization: "Bearer emu-analyst-access-token" };
const get = (path: string) => emulator.request(path, { headers: auth });
const put = (path: string) => emulator.request(path, { method: "PUT", headers: auth });
const sinkStatus = (id: number) => emulator.control.state().data_sinks.find((s) => s.id === id)?.status;

describe("faults", () => {
  it("answers with the injected status, body and headers as many times as asked, then normally", async () => {
    emulator.control.injectFault({
      path: "/flows/100",
      status: 503,
      body: { message: "down" },
      headers: { "Retry-After": "1" },
      times: 2,
    });
    for (let i = 0; i < 2; i += 1) {
      const response = await get("/flows/100");
      expect([response.status, response.headers.get("Retry-After"), await response.json()]).toEqual([
        503,
        "1",
        { message: "down" },
      ]);
    }
    expect((await get("/flows/100")).status).toBe(200);
  });

  it("matches `*` segments and methods, first fault first", async () => {
    emulator.control.injectFault({ method: "put", path: "/flows/*/pause", status: 502 });
    emulator.control.injectFault({ path: /^\/flows\/\d+\/pause$/, status: 504, times: Infinity });
    expect((await get("/flows/100")).status).toBe(200);
    expect((await emulator.request("/flows/100/pause", { headers: auth })).status).toBe(504);
    expect((await put("/flows/100/pause")).status).toBe(502);
    expect((await put("/flows/100/pause")).status).toBe(504);
    expect((await put("/flows/100/pause")).status).toBe(504);
    emulator.control.clearFaults();
    expect((await put("/flows/100/pause")).status).toBe(200);
  });

  it("with after: performs the write, then answers with the fault (the answer was lost)", async () => {
    emulator.control.injectFault({ path: "/flows/100/pause", status: 500, after: true });
    const response = await put("/flows/100/pause");
    expect([response.status, await response.text()]).toEqual([500, ""]);
    expect(sinkStatus(3000)).toBe("PAUSED");
  });

  it("drops the connection in process as a rejected fetch, with or without the write", async () => {
    emulator.control.injectFault({ path: "/flows/100/pause", drop: true });
    await expect(put("/flows/100/pause")).rejects.toThrow(TypeError);
    expect(sinkStatus(3000)).toBe("ACTIVE");
    emulator.control.injectFault({ path: "/flows/100/pause", drop: true, after: true });
    await expect(put("/flows/100/pause")).rejects.toThrow("fetch failed");
    expect(sinkStatus(3000)).toBe("PAUSED");
    expect(emulator.control.requests().map((r) => r.status)).toEqual([0, 0]);
  });

  it("delays by latencyMs and then handles the request normally", async () => {
    vi.useFakeTimers();
    emulator.control.injectFault({ path: "/flows/100", latencyMs: 5000 });
    let done = false;
    const pending = get("/flows/100").then((r) => ((done = true), r));
    await vi.advanceTimersByTimeAsync(4999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).status).toBe(200);
  });

  it("refuses a fault that would do nothing or cannot be matched", () => {
    expect(() => emulator.control.injectFault({ path: "/flows/100" })).toThrow(
      "a fault needs status, drop or latencyMs",
    );
    expect(() => emulator.control.injectFault({ path: "/flows/100", status: 99, times: 0 })).toThrow(
      "Invalid fault: status must be an integer from 200 to 599; times must be a whole number >= 1 or Infinity.",
    );
  });
});

describe("request log", () => {
  it("records method, path, query, status, user and time, and never a credential", async () => {
    await emulator.request("/flows?flows_only=1&api_key=secret-1", { headers: auth });
    await emulator.request("/token", {
      method: "POST",
      headers: { Authorization: "Basic emu-ops-service-key" },
    });
    await emulator.request("/_emulator/state");
    expect(emulator.control.requests()).toEqual([
      {
        method: "GET",
        path: "/flows",
        query: { flows_only: "1", api_key: "[redacted]" },
        status: 200,
        userId: 2,
        time: 42,
      },
      { method: "POST", path: "/token", query: {}, status: 200, userId: 3, time: 42 },
    ]);
    const logged = JSON.stringify(emulator.control.requests());
    for (const secret of ["emu-analyst-access-token", "emu-ops-service-key", "secret-1"])
      expect(logged).not.toContain(secret);
    emulator.control.clearRequests();
    expect(emulator.control.requests()).toEqual([]);
  });

  it("answers routes it does not model with an empty 404 and records them as unhandled", async () => {
    const response = await emulator.request("/data_maps/7", { headers: auth });
    expect([response.status, await response.text()]).toEqual([404, ""]);
    await get("/flows/100");
    expect(emulator.control.unhandled()).toEqual([
      expect.objectContaining({ method: "GET", path: "/data_maps/7", status: 404 }),
    ]);
  });
});
