/**
 * A hung API is never silence (issue 19): the CLI says what it is waiting for once an attempt has had no
 * answer for 5 s, and each failed attempt as it happens. The client announces each attempt as it is sent
 * (`onRequestStart`, checked against the emulator); the notice's timer is vitest's fake one, moved by the test.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createEmulator } from "pulumi-nexla/emulator";
import { createNexlaClient } from "../../src/nexla/client.js";
import { WAITING_NOTICE_MS, withProgress } from "../../src/export/cli.js";

afterEach(() => vi.useRealTimers());

describe("what the CLI says while it waits", () => {
  it("the client announces each attempt as it is sent, with its method and path", async () => {
    const emulator = createEmulator({ rateLimits: false });
    const api = await emulator.listen({ port: 0 });
    try {
      const started: string[] = [];
      const client = createNexlaClient({
        baseUrl: api.url,
        auth: { serviceKey: "emu-super-service-key" },
        onRequestStart: ({ method, path }) => started.push(`${method} ${path}`),
      });
      await client.tryGetFlow({ kind: "flow", id: 100 });
      expect(started).toEqual(["POST /token", "GET /flows/100"]);
    } finally {
      await api.close();
    }
  });

  it("names the call an attempt waits for after 5 s, and nothing for an attempt answered in time", () => {
    vi.useFakeTimers();
    const err: string[] = [];
    const options = withProgress({ auth: { serviceKey: "k" }, timeoutMs: 30_000 }, "export", {
      err: (line) => void err.push(line),
    });
    options.onRequestStart?.({ method: "GET", path: "/flows?page=1&per_page=100" });
    options.onRequestStart?.({ method: "GET", path: "/flows/100" });
    options.onRequest?.({ method: "GET", path: "/flows/100", status: 200, attempt: 1 });
    vi.advanceTimersByTime(WAITING_NOTICE_MS - 1);
    expect(err).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(err).toEqual([
      "pulumi-nexla export: waiting for GET /flows?page=1&per_page=100: no answer yet after 5 s (each attempt " +
        "waits up to 30 s, and is tried 5 times).",
    ]);
    options.onRequest?.({ method: "GET", path: "/flows?page=1&per_page=100", status: undefined, attempt: 1 });
    expect(err.at(-1)).toBe(
      "pulumi-nexla export: GET /flows?page=1&per_page=100 → no answer within 30 s (attempt 1 of 5).",
    );
  });
});
