/** The emulator over real HTTP on 127.0.0.1, port 0: the socket wrapper, dropped connections, control routes. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, sampleSeed, type RunningEmulator, type Seed } from "pulumi-nexla/emulator";
import { emulatorForFile } from "../fixtures/emulator.js";

const emulator = emulatorForFile();
let api: RunningEmulator;

beforeAll(async () => {
  api = await emulator.listen({ port: 0 });
});
afterAll(async () => {
  await api.close();
});

const auth = {
  Authorization: "Bearer emu-analyst-access-token",
  Accept: "application/vnd.nexla.api.v1+json",
};
const control = (method: string, path: string, body?: unknown) =>
  fetch(`${api.url}/_emulator${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
  });

describe("over HTTP", () => {
  it("serves the API at a base URL without a trailing slash", async () => {
    expect(api.url).toBe(`http://127.0.0.1:${api.port}`);
    const response = await fetch(`${api.url}/flows/100`, { headers: auth });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { flows: { id: number }[] }).flows[0]?.id).toBe(100);
  });

  it("builds Link headers from the address the client used", async () => {
    const response = await fetch(`${api.url}/flows?per_page=1`, { headers: auth });
    expect(response.headers.get("Link")).toBe(`<${api.url}/flows?per_page=1&page=2>; rel="Next"`);
  });

  it("drops the connection without an answer, before or after performing the write", async () => {
    emulator.control.injectFault({ method: "PUT", path: "/flows/*/pause", drop: true, after: true });
    await expect(fetch(`${api.url}/flows/100/pause`, { method: "PUT", headers: auth })).rejects.toThrow(
      "fetch failed",
    );
    expect(emulator.control.state().data_sinks.find((s) => s.id === 3000)?.status).toBe("PAUSED");
    expect((await fetch(`${api.url}/flows/100`, { headers: auth })).status).toBe(200);
  });

  it("closes cleanly, and is closed afterwards", async () => {
    const other = await createEmulator().listen();
    await fetch(`${other.url}/flows`, { headers: auth });
    await other.close();
    await expect(fetch(`${other.url}/flows`, { headers: auth })).rejects.toThrow();
  });
});

describe("control routes", () => {
  it('inject and clear faults, with a string path and times as "Infinity"', async () => {
    const injected = await control("POST", "/faults", { path: "/flows/100", status: 503, times: "Infinity" });
    expect(injected.status).toBe(204);
    for (let i = 0; i < 3; i += 1)
      expect((await fetch(`${api.url}/flows/100`, { headers: auth })).status).toBe(503);
    await control("DELETE", "/faults");
    expect((await fetch(`${api.url}/flows/100`, { headers: auth })).status).toBe(200);
    expect((await control("POST", "/faults", { path: "/flows/100" })).status).toBe(400);
  });

  it("list and clear requests, and list unhandled ones", async () => {
    await fetch(`${api.url}/flows/100?flows_only=1`, { headers: auth });
    await fetch(`${api.url}/not/modelled`, { headers: auth });
    const requests = (await (await control("GET", "/requests")).json()) as { path: string; query: object }[];
    expect(requests.map((r) => r.path)).toEqual(["/flows/100", "/not/modelled"]);
    expect(requests[0]?.query).toEqual({ flows_only: "1" });
    expect(await (await control("GET", "/unhandled")).json()).toEqual([
      expect.objectContaining({ path: "/not/modelled" }),
    ]);
    await control("DELETE", "/requests");
    expect(await (await control("GET", "/requests")).json()).toEqual([]);
    expect(emulator.control.unhandled()).toEqual([]);
  });

  it("change statuses, owners and flows out of band, and show the state", async () => {
    expect(
      (await control("POST", "/resources/data_sets/2100/status", { status: "PAUSED", cascade: true })).status,
    ).toBe(204);
    expect((await control("POST", "/flows/300/owner", { owner_id: 2, org_id: 2 })).status).toBe(204);
    expect((await control("DELETE", "/flows/100")).status).toBe(204);
    const state = (await (await control("GET", "/state")).json()) as Seed;
    expect(state.data_sinks.filter((s) => s.origin_node_id === 200).map((s) => s.status)).toEqual([
      "PAUSED",
      "PAUSED",
      "PAUSED",
    ]);
    expect(state.data_sources.find((s) => s.id === 1200)?.owner_id).toBe(2);
    expect(state.flow_nodes.some((n) => n.origin_node_id === 100)).toBe(false);
    const missing = await control("POST", "/resources/data_sinks/1/status", { status: "PAUSED" });
    expect([missing.status, await missing.json()]).toEqual([404, { message: "There is no data_sink 1." }]);
  });

  it("reset to the creation seed or to a seed in the body, and explain a bad seed", async () => {
    await control("DELETE", "/flows/100");
    expect((await control("POST", "/reset")).status).toBe(204);
    expect(await (await control("GET", "/state")).json()).toEqual(sampleSeed);
    const bad = await control("POST", "/reset", { ...sampleSeed, users: [] });
    const body = (await bad.json()) as { message: string; problems: string[] };
    expect(bad.status).toBe(400);
    expect(body.problems).toContain("projects[0] (id 10): owner_id 2 is not in users");
  });

  it("need no token and are not rate limited or logged", async () => {
    const limited = createEmulator({ rateLimits: { light: 1 }, clock: () => 0 });
    const server = await limited.listen();
    try {
      for (let i = 0; i < 5; i += 1) expect((await fetch(`${server.url}/_emulator/state`)).status).toBe(200);
      expect(limited.control.requests()).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
