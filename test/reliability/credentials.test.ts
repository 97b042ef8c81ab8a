/**
 * No credential — the service key, the session tokens `POST /token` issues (random, so captured on the wire by
 * a TCP tap in front of the emulator), an access token given as secret stack config — appears in state (the
 * file backend's stack file, its backups and history), the CLI's output, its logs at the highest verbosity
 * (`-v=11 --logtostderr --logflow --debug`, set through the CLI's PULUMI_OPTION_* variables), the engine↔provider
 * gRPC log (PULUMI_DEBUG_GRPC, except that Pulumi writes decrypted stack config there), or error messages
 * (provoked by injected 401, 403 and 500 answers).
 */
import { readdir, readFile } from "node:fs/promises";
import { createServer, connect, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  originNodeOf,
  SERVICE_KEY,
  startLoadHarness,
  type LoadHarness,
  type Run,
  type RunOptions,
} from "./harness.js";

const FLOWS = 10;
const ACCESS_TOKEN = "emu-super-access-token";

interface Tap {
  readonly url: string;
  /** Bearer tokens sent and access tokens answered, as seen on the wire. */
  tokens(): Set<string>;
  close(): Promise<void>;
}

/** A TCP proxy to `port` that records both directions of every connection. */
async function tap(port: number): Promise<Tap> {
  const wire: { toServer: string; toClient: string }[] = [];
  const server: Server = createServer((client) => {
    const seen = { toServer: "", toClient: "" };
    wire.push(seen);
    const upstream = connect(port, "127.0.0.1");
    client.on("data", (chunk: Buffer) => (seen.toServer += chunk.toString("latin1")));
    upstream.on("data", (chunk: Buffer) => (seen.toClient += chunk.toString("latin1")));
    client.pipe(upstream).on("error", () => client.destroy());
    upstream.pipe(client).on("error", () => upstream.destroy());
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
  return {
    url,
    tokens() {
      const found = new Set<string>();
      for (const { toServer, toClient } of wire) {
        for (const m of toServer.matchAll(/^authorization: (?:Bearer|Basic) ([^\r\n]+)$/gim))
          found.add(m[1] ?? "");
        for (const m of toClient.matchAll(/"access_token":"([^"]+)"/g)) found.add(m[1] ?? "");
      }
      found.delete("");
      return found;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

let h: LoadHarness;
let wire: Tap;
beforeAll(async () => {
  h = await startLoadHarness({ flows: FLOWS, emulator: { rateLimits: false } });
  wire = await tap(h.api.port);
});
afterAll(async () => {
  await wire?.close();
  await h?.close();
});

/** Everything a user or a CI log could hold from these runs, by where it comes from. */
async function everything(runs: readonly Run[], grpcLog: string): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  runs.forEach((r, i) => {
    const { stdout = "", stderr = "", error = "" } = r.result ?? {};
    texts.set(
      `run ${i} (${r.result?.operation ?? "?"}): CLI output and error`,
      `${stdout}\n${stderr}\n${error}`,
    );
    texts.set(`run ${i}: the runner's own output`, r.stdout + r.stderr);
  });
  const files = [
    ...(await filesUnder(join(h.workDir, ".pulumi-state"))),
    ...(await filesUnder(join(h.workDir, ".pulumi-home"))),
    grpcLog,
  ];
  for (const file of files) texts.set(file, await readFile(file, "utf8").catch(() => ""));
  return texts;
}

function debugEnv(grpcLog: string): Record<string, string> {
  return {
    NEXLA_API_URL: wire.url,
    PULUMI_OPTION_VERBOSE: "11",
    PULUMI_OPTION_LOGTOSTDERR: "true",
    PULUMI_OPTION_LOGFLOW: "true",
    PULUMI_OPTION_DEBUG: "true",
    PULUMI_DEBUG_GRPC: grpcLog,
    PULUMI_CONTINUE_ON_ERROR: "true",
  };
}

/** Where each secret was found (the source's name), with what precedes it there to tell which line holds it. */
function leaks(sources: Map<string, string>, secrets: Iterable<string>): { where: string; after: string }[] {
  const found: { where: string; after: string }[] = [];
  for (const secret of secrets) {
    for (const [where, text] of sources) {
      const at = text.indexOf(secret);
      if (at >= 0) found.push({ where, after: text.slice(Math.max(0, at - 300), at) });
    }
  }
  return found;
}

const joined = (sources: Map<string, string>) => [...sources.values()].join("\n");

describe("credentials never leave the provider", () => {
  it("a service key and the session tokens it is exchanged for, through up with errors, refresh and destroy", async () => {
    const grpcLog = join(h.workDir, "grpc-service-key.log");
    const options: RunOptions = {
      flows: FLOWS,
      status: "PAUSED",
      stack: "service-key",
      env: debugEnv(grpcLog),
    };

    const flow = (k: number) => `/flows/${originNodeOf(k)}`;
    h.emulator.control.injectFault({
      method: "GET",
      path: flow(1),
      status: 500,
      body: { message: "boom" },
      times: Infinity,
    });
    // Coalesced reads fail too (a 500 is not retried), so each Flow is read on its own and meets its fault.
    h.emulator.control.injectFault({
      method: "GET",
      path: "/flows",
      status: 500,
      body: { message: "boom" },
      times: Infinity,
    });
    h.emulator.control.injectFault({ method: "PUT", path: `${flow(2)}/pause`, status: 403 });
    // A 401 on every try: the client renews the token once, then reports it.
    h.emulator.control.injectFault({ method: "GET", path: flow(3), status: 401, times: 2 });
    const failing = await h.run("up", options);
    expect(failing.result?.ok).toBe(false);
    for (const message of [
      `Could not read flow ${originNodeOf(1)} (GET ${flow(1)}): Nexla answered 500 Internal Server Error: "boom".`,
      `Could not pause flow ${originNodeOf(2)} (PUT ${flow(2)}/pause?full_tree=1): Nexla answered 403 Forbidden.`,
      `Could not read flow ${originNodeOf(3)} (GET ${flow(3)}): Nexla answered 401 Unauthorized, also with a new session token.`,
    ]) {
      expect(failing.result?.error).toContain(message);
    }
    h.emulator.control.clearFaults();
    const runs = [
      failing,
      await h.run("up", options),
      await h.run("preview-refresh", options),
      await h.run("destroy", options),
    ];
    for (const run of runs.slice(1)) expect(run.result?.error).toBeUndefined();

    const tokens = wire.tokens();
    expect(tokens.has(SERVICE_KEY)).toBe(true);
    const sessionTokens = [...tokens].filter((t) => t !== SERVICE_KEY);
    expect(sessionTokens.length).toBeGreaterThanOrEqual(2); // one per process, and the renewal after the 401
    const sources = await everything(runs, grpcLog);
    const haystack = joined(sources);
    // The logs really are at debug verbosity, and the provider's own log lines are in them.
    expect(haystack).toContain('"level":"DEBUG"');
    expect(haystack).toContain("/pulumirpc.ResourceProvider/Create");
    expect(haystack).toContain(
      `[pulumi-nexla flow-4] flow ${originNodeOf(4)}: PUT /flows/${originNodeOf(4)}/pause?full_tree=1`,
    );
    expect(leaks(sources, tokens)).toEqual([]);
  });

  it("an access token given as secret stack config", async () => {
    const grpcLog = join(h.workDir, "grpc-access-token.log");
    const options: RunOptions = {
      flows: FLOWS,
      status: "PAUSED",
      stack: "access-token",
      env: { ...debugEnv(grpcLog), NEXLA_SERVICE_KEY: "" },
      config: { "nexla:accessToken": { value: ACCESS_TOKEN, secret: true } },
    };
    h.emulator.control.reset();
    // With an access token a 401 is final: the message says what to do, without the token.
    h.emulator.control.injectFault({ method: "PUT", path: `/flows/${originNodeOf(5)}/pause`, status: 401 });
    const failing = await h.run("up", options);
    expect(failing.result?.error).toContain(
      `Could not pause flow ${originNodeOf(5)} (PUT /flows/${originNodeOf(5)}/pause?full_tree=1): Nexla answered 401 Unauthorized. The access token is invalid or expired`,
    );
    const runs = [
      failing,
      await h.run("up", options),
      await h.run("preview-refresh", options),
      await h.run("destroy", options),
    ];
    for (const run of runs.slice(1)) expect(run.result?.error).toBeUndefined();
    expect(wire.tokens().has(ACCESS_TOKEN)).toBe(true);
    // Pulumi's own gRPC trace (PULUMI_DEBUG_GRPC) records the decrypted stack config the engine hands to the
    // program and to every provider's CheckConfig/DiffConfig/Configure: a Pulumi limitation, not the
    // provider's. Credentials from the environment do not go there (the test above); everywhere else, the token
    // given as config is absent.
    const found = leaks(await everything(runs, grpcLog), [ACCESS_TOKEN]);
    expect(found.map((f) => f.where)).toEqual([grpcLog]);
    const calls = (await readFile(grpcLog, "utf8")).split("\n").filter((line) => line.includes(ACCESS_TOKEN));
    const methods = new Set(calls.map((line) => (JSON.parse(line) as { method: string }).method));
    expect([...methods].sort()).toEqual([
      "/pulumirpc.LanguageRuntime/Run",
      "/pulumirpc.ResourceMonitor/GetDeploymentInfo",
      "/pulumirpc.ResourceProvider/CheckConfig",
      "/pulumirpc.ResourceProvider/Configure",
      "/pulumirpc.ResourceProvider/DiffConfig",
    ]);
  });
});
