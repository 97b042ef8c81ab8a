/**
 * Every error code, produced over real HTTP (the emulator, or a bare server for bodies the emulator cannot
 * send), with its message word for word; and no credential in any error, however it is printed.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { createEmulator, type Emulator, type RunningEmulator } from "pulumi-nexla/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createNexlaClient, type NexlaClientOptions, type NexlaError } from "../../src/nexla/index.js";
import { turn } from "../fixtures/clock.js";

let emu: Emulator;
let api: RunningEmulator;
const errors: unknown[] = [];

beforeAll(async () => {
  // A frozen clock: every request falls in the same rate-limit second, so the 13th GET is the one refused.
  emu = createEmulator({ clock: () => Date.parse("2026-11-28T10:00:00Z") });
  api = await emu.listen({ port: 0 });
});
afterAll(async () => api.close());
beforeEach(() => emu.control.reset());

const clientWith = (options: Partial<NexlaClientOptions> = {}) =>
  createNexlaClient({
    baseUrl: api.url,
    auth: { serviceKey: "emu-super-service-key" },
    rateLimit: false,
    retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
const analyst = { auth: { accessToken: "emu-analyst-access-token" } };

/** The rejection of `promise`, kept for the credential scan at the end. */
async function failure(promise: Promise<unknown>): Promise<NexlaError> {
  const error = await promise.then(
    () => Promise.reject(new Error("expected a failure")),
    (e: unknown) => e,
  );
  errors.push(error);
  return error as NexlaError;
}

describe("errors from Nexla's answers", () => {
  it("forbidden: pausing a flow of another org", async () => {
    const error = await failure(clientWith(analyst).pause({ kind: "flow", id: 500 }, "flow"));
    expect([error.code, error.message]).toEqual([
      "forbidden",
      "Could not pause flow 500 (PUT /flows/500/pause?full_tree=1): Nexla answered 403 Forbidden. Check that the credentials belong to a user who can operate this flow.",
    ]);
  });

  it("forbidden: changing the owner without being a super user", async () => {
    const body = { owner_id: 3, org_id: 2, include_data_credentials: false, include_code_containers: false };
    const error = await failure(clientWith(analyst).changeOwner({ kind: "data_set", id: 2101 }, body));
    expect(error.message).toBe(
      "Could not change the owner of flow of data_set 2101 (PUT /data_sets/2101/flow): Nexla answered 403 Forbidden. Changing a flow's owner needs a Nexla super user, and the new owner needs access to the flow's project and resources.",
    );
  });

  it("forbidden: a new owner without access (the preflight)", async () => {
    const body = { owner_id: 4, org_id: 3, include_data_credentials: false, include_code_containers: false };
    const error = await failure(clientWith().changeOwner({ kind: "flow", id: 100 }, body));
    expect(error.message).toBe(
      "Could not change the owner of flow 100 (PUT /flows/100): Nexla answered 403 Forbidden: \"New owner does not have management access to flow project\". Changing a flow's owner needs a Nexla super user, and the new owner needs access to the flow's project and resources.",
    );
  });

  it("not_found: a flow node that does not exist", async () => {
    const error = await failure(clientWith().getFlow({ kind: "flow", id: 999 }));
    expect([error.code, error.status, error.message]).toEqual([
      "not_found",
      404,
      "Could not read flow 999 (GET /flows/999): Nexla answered 404 Not Found. Check the id, and that NEXLA_API_URL points at the Nexla instance that holds it.",
    ]);
  });

  it("conflict: deleting an active flow lists what is still active", async () => {
    const error = await failure(clientWith().deleteFlow({ kind: "data_source", id: 1000 }, "flow"));
    expect([error.code, error.message]).toEqual([
      "conflict",
      'Could not delete flow of data_source 1000 (DELETE /data_sources/1000/flow?all=1): Nexla answered 405 Method Not Allowed: "Active flow resources must be paused before flow deletion!" (still active: data_source 1000, data_set 2000, data_sink 3000). Pause it first (every resource listed), then delete it.',
    ]);
    expect(error.body).toMatchObject({ data_sources: [1000], data_sets: [2000], data_sinks: [3000] });
  });

  it("validation: activating a flow whose source is rate limited", async () => {
    const error = await failure(clientWith().activate({ kind: "flow", id: 400 }, "flow"));
    expect([error.code, error.message]).toEqual([
      "validation",
      'Could not activate flow 400 (PUT /flows/400/activate?full_tree=1): Nexla answered 400 Bad Request: "Flow is rate limited". Its source is RATE_LIMITED: Nexla refuses to activate or pause it until the limit lifts, so wait, then run again.',
    ]);
  });

  it("rate_limited: Nexla's limiter still refuses after the retries", async () => {
    const client = clientWith({ retry: { limit: 0 } });
    const calls = Array.from({ length: 13 }, () =>
      client.getFlow({ kind: "flow", id: 200 }).catch((e: unknown) => e),
    );
    const refused = (await Promise.all(calls)).filter((r): r is NexlaError => r instanceof Error);
    errors.push(...refused);
    expect(refused.map((e) => [e.code, e.message])).toEqual([
      [
        "rate_limited",
        "Could not read flow 200 (GET /flows/200): Nexla answered 429 Too Many Requests. Wait a minute and run again with fewer operations at once.",
      ],
    ]);
  });

  it("server: a 5xx relays Nexla's message", async () => {
    const body = { message: "Request did not complete due to a service timeout" };
    emu.control.injectFault({ path: "/flows/200/pause", status: 500, body });
    const error = await failure(clientWith().pause({ kind: "flow", id: 200 }, "downstream"));
    expect([error.code, error.message]).toEqual([
      "server",
      'Could not pause flow 200 (PUT /flows/200/pause): Nexla answered 500 Internal Server Error: "Request did not complete due to a service timeout". Run again later; if it persists, check Nexla\'s status or contact Nexla support.',
    ]);
  });

  it("invalid_response: a JSON answer that is not a flow", async () => {
    emu.control.injectFault({ path: "/flows/200", status: 200, body: "<html>maintenance</html>" });
    const error = await failure(clientWith().getFlow({ kind: "flow", id: 200 }));
    expect([error.code, error.message]).toEqual([
      "invalid_response",
      'Could not read flow 200 (GET /flows/200): Nexla answered 200 without the "flows" list of a flow response. Check that NEXLA_API_URL is Nexla\'s API base URL (for example https://dataops.nexla.io/nexla-api).',
    ]);
  });
});

describe("credentials refused", () => {
  it("unauthorized: an access token Nexla does not know", async () => {
    const error = await failure(
      clientWith({ auth: { accessToken: "emu-revoked-token" } }).getFlow({ kind: "flow", id: 1 }),
    );
    expect([error.code, error.status, error.path]).toEqual(["unauthorized", 401, "/flows/1"]);
  });

  it("unauthorized: a service key Nexla does not know", async () => {
    const error = await failure(
      clientWith({ auth: { serviceKey: "emu-unknown-key" } }).getFlow({ kind: "flow", id: 1 }),
    );
    expect([error.code, error.status, error.path]).toEqual(["unauthorized", 401, "/token"]);
  });

  it("server: the exchange of a valid service key fails", async () => {
    emu.control.injectFault({ path: "/token", status: 500, times: 2 });
    const error = await failure(clientWith().getFlow({ kind: "flow", id: 1 }));
    expect(error.message).toBe(
      "Could not exchange the service key for a session token (POST /token): Nexla answered 500 Internal Server Error. Run again later; if it persists, check Nexla's status or contact Nexla support.",
    );
  });
});

describe("errors without a usable answer", () => {
  let bare: Server;
  let bareUrl: string;
  const bodies: Record<string, string> = {
    "/html/flows/1": "<!DOCTYPE html><html><body>Please sign in</body></html>",
    "/truncated/flows/1": '{"flows":[{"id":1,"children":[',
  };

  beforeAll(async () => {
    bare = createServer((req, res) => {
      res.writeHead(200, { "Content-Type": "text/html" }).end(bodies[req.url ?? ""] ?? "");
    });
    await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
    bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise((resolve) => bare.close(resolve)));

  it.each([
    ["html", '"<!DOCTYPE html><html><body>Please sign in</body></html>"'],
    ["truncated", '"{\\"flows\\":[{\\"id\\":1,\\"children\\":["'],
  ])("invalid_response: a %s body", async (kind, quoted) => {
    const client = clientWith({
      baseUrl: `${bareUrl}/${kind}`,
      auth: { accessToken: "emu-super-access-token" },
    });
    const error = await failure(client.getFlow({ kind: "flow", id: 1 }));
    expect([error.code, error.message]).toEqual([
      "invalid_response",
      `Could not read flow 1 (GET /flows/1): Nexla answered 200 with a body that is not JSON: ${quoted}. Check that NEXLA_API_URL is Nexla's API base URL (for example https://dataops.nexla.io/nexla-api).`,
    ]);
  });

  it("network: nothing listens at the URL", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const client = clientWith({
      baseUrl: `http://127.0.0.1:${port}`,
      auth: { accessToken: "emu-super-access-token" },
    });
    const error = await failure(client.pause({ kind: "flow", id: 200 }, "flow"));
    expect([error.code, error.message]).toEqual([
      "network",
      "Could not pause flow 200 (PUT /flows/200/pause?full_tree=1): the connection failed (ECONNREFUSED) after 2 attempts. Check NEXLA_API_URL and the network, then run again.",
    ]);
  });

  it("network: no answer within the timeout", async () => {
    // got's timeout, the client's wait between attempts and the emulator's latency all run on timers that only
    // the test moves, 10 ms at a time: a 50 ms timeout passes long before a 60 s answer, however busy the machine.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      emu.control.injectFault({ path: "/flows/200", latencyMs: 60_000, times: 2 });
      let settled = false;
      const pending = failure(clientWith({ timeoutMs: 50 }).getFlow({ kind: "flow", id: 200 })).finally(
        () => (settled = true),
      );
      while (!settled) {
        await vi.advanceTimersByTimeAsync(10);
        await turn();
      }
      const error = await pending;
      expect([error.code, error.message]).toEqual([
        "network",
        "Could not read flow 200 (GET /flows/200): no answer within 50 ms after 2 attempts. Check NEXLA_API_URL and the network, then run again.",
      ]);
      expect(vi.getTimerCount()).toBe(2); // the two answers, still 60 s away
    } finally {
      await vi.runAllTimersAsync();
      vi.useRealTimers();
    }
  });
});

describe("credentials", () => {
  it("appear in no error: not in its message, stack, JSON, inspection or hidden properties", () => {
    expect(errors.length).toBeGreaterThanOrEqual(16);
    for (const error of errors) {
      const views = [
        String(error),
        (error as Error).stack ?? "",
        JSON.stringify(error),
        inspect(error, { depth: Infinity }),
        inspect(error, { depth: Infinity, showHidden: true }),
      ].join("\n");
      // Seeded keys and tokens, and every token the emulator issues, start with "emu-".
      expect(views).not.toMatch(/emu-|Bearer|Basic|authorization/i);
    }
  });
});
