/**
 * Malformed or unexpected API answers, through the provider's methods (what the engine calls) over HTTP: a
 * front server on 127.0.0.1 passes each request to the emulator and, where a test says so, answers in its
 * place (or replaces the answer after the emulator acted) with a truncated JSON body, an HTML page, a flow
 * response missing what the planner needs, or a status Nexla does not have. Each one is a clear error that
 * names the call, never a crash, never a plan built on the bad answer, and never a flow dropped from state.
 * (The client's own messages for such bodies are in client-errors.test.ts.)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEmulator, type Emulator, type RunningEmulator } from "pulumi-nexla/emulator";
import * as provider from "../../provider/runtime.js";
import { newProviderProcess } from "../fixtures/provider-process.js";

interface Mangle {
  readonly status: number;
  readonly contentType: string;
  /** The body sent, or a function of the emulator's JSON answer. */
  readonly body: string | ((answer: unknown) => string);
  /** Let the emulator act first (the write happens), then answer with this instead. */
  readonly after?: boolean;
}

let emulator: Emulator;
let api: RunningEmulator;
let front: Server;
let frontUrl: string;
const mangles = new Map<string, Mangle>();
const saved = { ...process.env };

function send(res: ServerResponse, mangle: Mangle, answer: unknown): void {
  res.writeHead(mangle.status, { "Content-Type": mangle.contentType });
  res.end(typeof mangle.body === "string" ? mangle.body : mangle.body(answer));
}

/** Passes the request to the emulator in process, unless a mangle for it answers instead (once). */
async function pass(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const key = `${req.method} ${url.pathname}`;
  const mangle = mangles.get(key);
  mangles.delete(key);
  if (mangle !== undefined && mangle.after !== true) return send(res, mangle, undefined);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : []));
  const body = chunks.length > 0 ? { body: Buffer.concat(chunks) } : {};
  const request = new Request(new URL(url.pathname + url.search, api.url), {
    method: req.method ?? "GET",
    headers,
    ...body,
  });
  const answer = await emulator.fetch(request);
  const text = await answer.text();
  if (mangle !== undefined) return send(res, mangle, text === "" ? undefined : JSON.parse(text));
  res.writeHead(answer.status, { "Content-Type": answer.headers.get("content-type") ?? "application/json" });
  res.end(text);
}

beforeAll(async () => {
  emulator = createEmulator({ rateLimits: false });
  api = await emulator.listen({ port: 0 });
  front = createServer((req, res) => void pass(req, res).catch(() => res.destroy()));
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  delete process.env["NEXLA_SERVICE_KEY"];
  Object.assign(process.env, { NEXLA_API_URL: frontUrl, NEXLA_ACCESS_TOKEN: "emu-super-access-token" });
});
afterAll(async () => {
  process.env = saved;
  await new Promise((resolve) => front.close(resolve));
  await api.close();
});
beforeEach(() => {
  emulator.control.reset();
  mangles.clear();
  newProviderProcess(); // each test is an operation of its own
});

const base = { scope: "flow", convergeTimeoutSeconds: 5 } as const;
const writes = () => emulator.control.requests().filter((r) => r.method !== "GET");
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => Promise.reject(new Error("expected a failure")),
    (error: unknown) => error as Error,
  );
const html = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";

const checkUrl =
  "Check that NEXLA_API_URL is Nexla's API base URL (for example https://dataops.nexla.io/nexla-api).";

/** The emulator's flow answer with `edit` applied, as the body sent in its place. */
const edited = (edit: (flow: Record<string, { status?: string }[]>) => void) => (answer: unknown) => {
  const flow = answer as Record<string, { status?: string }[]>;
  edit(flow);
  return JSON.stringify(flow);
};

describe("refresh (read) never mistakes a bad answer for a deleted flow", () => {
  it("truncated JSON is an error naming the call, and the flow stays in state", async () => {
    const { id, outs } = await provider.create({ ...base, flowId: 100, status: "ACTIVE" });
    const truncated = '{"flows":[{"id":100,';
    mangles.set("GET /flows/100", { status: 200, contentType: "application/json", body: truncated });
    const error = await failure(provider.read(id, outs ?? {}));
    expect(error.message).toBe(
      `Could not read flow 100 (GET /flows/100): Nexla answered 200 with a body that is not JSON: ${JSON.stringify(truncated)}. ${checkUrl}`,
    );
  });

  it("an empty 200 answer is an error naming the call", async () => {
    const { id, outs } = await provider.create({ ...base, flowId: 100, status: "ACTIVE" });
    mangles.set("GET /flows/100", { status: 200, contentType: "application/json", body: "" });
    const error = await failure(provider.read(id, outs ?? {}));
    expect(error.message).toBe(
      `Could not read flow 100 (GET /flows/100): Nexla answered 200 without the "flows" list of a flow response. ${checkUrl}`,
    );
  });

  // Nexla's own 404 has an empty body (docs/nexla-api.md §5.1); an HTML 404 comes from something else at NEXLA_API_URL
  // (a proxy, a UI host). Read as "gone", it would make a refresh drop every flow from state.
  it("an HTML 404 page (not Nexla's empty 404) is an error, not a deleted flow", async () => {
    const { id, outs } = await provider.create({ ...base, flowId: 100, status: "ACTIVE" });
    mangles.set("GET /flows/100", {
      status: 404,
      contentType: "text/html",
      body: "<html><body>Not Found</body></html>",
    });
    const error = await failure(provider.read(id, outs ?? {}));
    expect(error.message).toBe(
      'Could not read flow 100 (GET /flows/100): Nexla answered 404 with a body that is not JSON: "<html><body>Not Found</body></html>". ' +
        checkUrl,
    );
    expect(emulator.control.state().data_sources.find((r) => r.id === 1000)?.status).toBe("ACTIVE");
  });
});

describe("create (adopt) plans nothing from a bad answer", () => {
  it("a flow response without `flows` is an error naming the call; no write", async () => {
    mangles.set("GET /flows/100", { status: 200, contentType: "application/json", body: '{"data":[]}' });
    const error = await failure(provider.create({ ...base, flowId: 100, status: "PAUSED" }));
    expect(error.message).toBe(
      `Could not read flow 100 (GET /flows/100): Nexla answered 200 without the "flows" list of a flow response. ${checkUrl}`,
    );
    expect(writes()).toEqual([]);
  });

  it("a resource without a status is an error naming the call and the resource; no write", async () => {
    const body = edited((flow) => delete flow["data_sources"]?.[0]?.status);
    mangles.set("GET /flows/100", { status: 200, contentType: "application/json", after: true, body });
    const error = await failure(provider.create({ ...base, flowId: 100, status: "PAUSED" }));
    expect(error.message).toBe(
      "Could not read flow 100 (GET /flows/100): the response is malformed: data_source 1000 of node 100 has no " +
        "status. This is a bug in pulumi-nexla or a change in Nexla's API: please report it with the response.",
    );
    expect(writes()).toEqual([]);
  });

  // Counted as neither active nor paused, it would make the scope look MIXED and the plan activate a flow
  // Nexla reports in a state nobody understands.
  it("a status Nexla does not have is an error naming it; no write", async () => {
    const body = edited((flow) => {
      const sink = flow["data_sinks"]?.[0];
      if (sink !== undefined) sink.status = "ARCHIVED";
    });
    mangles.set("GET /flows/100", { status: 200, contentType: "application/json", after: true, body });
    const error = await failure(provider.create({ ...base, flowId: 100, status: "ACTIVE" }));
    expect(error.message).toBe(
      'Could not read flow 100 (GET /flows/100): the response is malformed: data_sink 3000 of node 102 has the status "ARCHIVED", ' +
        "which is not one of INIT, PAUSED, ACTIVE, RATE_LIMITED. This is a bug in pulumi-nexla or a change in Nexla's API: please report it with the response.",
    );
    expect(writes()).toEqual([]);
  });
});

describe("a write whose answer is lost in an HTML page", () => {
  it("update reports the call as failed and keeps what Nexla now reports in state", async () => {
    const { id, outs } = await provider.create({ ...base, flowId: 100, status: "ACTIVE" });
    mangles.set("PUT /flows/100/pause", { status: 200, contentType: "text/html", after: true, body: html });
    const error = await failure(provider.update(id, outs ?? {}, { ...base, flowId: 100, status: "PAUSED" }));
    expect(error.message).toBe(
      'Could not pause flow 100 (PUT /flows/100/pause?full_tree=1): Nexla answered 200 with a body that is not JSON: "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></h". ' +
        `${checkUrl} Calls made: none; failed: PUT /flows/100/pause?full_tree=1; not made: none.`,
    );
    // The pause did happen: the state kept with the error says so, so the next up plans from the truth.
    expect((error as Error & { properties: Record<string, unknown> }).properties).toMatchObject({
      status: "PAUSED",
      dataSinks: [{ id: 3000, status: "PAUSED", ownerId: 2, orgId: 2 }],
    });
  });

  // The delete happened; only its answer is unreadable. Delete looks again rather than "restoring" what is gone.
  it("delete whose answer is unreadable but whose flow is gone succeeds", async () => {
    const { id, outs } = await provider.create({ ...base, flowId: 100, status: "ACTIVE" });
    mangles.set("DELETE /flows/100", { status: 200, contentType: "text/html", after: true, body: html });
    await expect(provider.delete(id, outs ?? {})).resolves.toBeUndefined();
    expect(writes().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "PUT /flows/100/pause 200",
      "DELETE /flows/100 200",
    ]);
  });
});
