/**
 * Reliability harness: the emulator in this process on 127.0.0.1 with a big generated seed and Nexla's default
 * rate limits, and each Pulumi operation run by the real CLI in a child process (`node dist/tools/stack.js`) of
 * its own process group, so a test can interrupt it as Ctrl+C (SIGINT to the group) or a killed CI job
 * (SIGKILL to the group) would. The program is bench/programs/many-flows (one Flow per generated flow): a
 * run's `door` says which provider serves them, the dynamic `Flow` or `NativeFlow` on the native plugin, which is
 * on the CLI's PATH as npm installs it (test/e2e/harness.ts).
 */
import { execFile, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  createEmulator,
  generateSeed,
  type Emulator,
  type EmulatorOptions,
  type RequestLogEntry,
  type RunningEmulator,
} from "pulumi-nexla/emulator";
import { ensurePulumi } from "../../tools/pulumi-cli/ensure.mjs";
import { offlineEnv, type Operation, type OperationResult, type StackOptions } from "../../tools/stack.js";
import type { Door } from "../../tools/e2e-programs/declared.js";
import { flowTypeOf, installNativePlugin } from "../e2e/harness.js";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const SERVICE_KEY = "emu-super-service-key";
export const PROJECT = "many-flows";

export const originNodeOf = (k: number) => 100_000 + 10 * k;

export interface RunOptions {
  readonly stack?: string;
  readonly flows: number;
  readonly status?: "ACTIVE" | "PAUSED";
  readonly statusOf?: Readonly<Record<number, "ACTIVE" | "PAUSED">>;
  readonly env?: Readonly<Record<string, string>>;
  readonly config?: StackOptions["config"];
  /** The provider serving the program's Flows (config `many-flows:door`). @default "dynamic" */
  readonly door?: Door;
}

/** What a child run gave: the runner's result (when it got to print one), exit, and wall time. */
export interface Run {
  readonly result: OperationResult | undefined;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The runner's own stdout and stderr (the CLI's output is inside `result`). */
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface Running {
  readonly pid: number;
  readonly done: Promise<Run>;
  /**
   * SIGINT goes to the runner's process group, as Ctrl+C in a terminal: the runner and the pulumi CLI (the
   * CLI starts each provider plugin in a process group of its own). SIGKILL goes to every process of the run
   * (its session), as when a CI job is killed.
   */
  kill(signal: "SIGINT" | "SIGKILL"): void;
  /** Processes of the run still alive (e.g. a provider plugin the CLI did not stop). */
  leftovers(): number[];
}

export interface LoadHarness {
  readonly emulator: Emulator;
  readonly api: RunningEmulator;
  readonly workDir: string;
  start(operation: Operation, options: RunOptions): Running;
  run(operation: Operation, options: RunOptions): Promise<Run>;
  /**
   * Runs the pulumi CLI itself in the stack's directory, with the same credentials, for what the stack runner
   * cannot do (`cancel`, `refresh --clear-pending-creates`): exit code and output.
   */
  cli(args: readonly string[]): Promise<{ code: number; output: string }>;
  /** Every API request since the harness started or `clearRequests`, across emulator restarts. */
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** Stops the emulator and starts a new one on the same port from its data file (`dataFile` required). */
  restart(gapMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface LoadHarnessOptions {
  readonly flows?: number;
  readonly emulator?: Omit<EmulatorOptions, "seed">;
  readonly seedStatus?: "ACTIVE" | "PAUSED";
}

export async function startLoadHarness(options: LoadHarnessOptions = {}): Promise<LoadHarness> {
  const { binDir } = ensurePulumi({ log: () => undefined });
  const seed = generateSeed({ flows: options.flows ?? 200, status: options.seedStatus ?? "ACTIVE" });
  const emulatorOptions: EmulatorOptions = { seed, ...options.emulator };
  let emulator = createEmulator(emulatorOptions);
  let api = await emulator.listen({ port: 0 });
  const port = api.port;
  const earlier: RequestLogEntry[] = [];
  await mkdir(join(root, ".pulumi-e2e"), { recursive: true });
  const workDir = await mkdtemp(join(root, ".pulumi-e2e", "reliability-"));
  // Its own package scope, as a user's project has (see test/e2e/harness.ts).
  await writeFile(
    join(workDir, "package.json"),
    JSON.stringify({ name: "pulumi-nexla-reliability", private: true, type: "module" }),
  );
  // The native plugin on the PATH of every run and of `cli` (a refresh of a stack of NativeFlows needs it too),
  // on this Node (22), first on PATH: the engine starts it only for a program that declares a NativeFlow.
  const path = [dirname(process.execPath), await installNativePlugin(workDir), process.env["PATH"]].join(":");
  const sessions = new Set<number>();

  const start = (operation: Operation, o: RunOptions): Running => {
    const config: Record<string, { value: string; secret?: boolean }> = {
      "many-flows:flows": { value: String(o.flows) },
      "many-flows:status": { value: o.status ?? "ACTIVE" },
      "many-flows:statusOf": { value: JSON.stringify(o.statusOf ?? {}) },
      "many-flows:door": { value: o.door ?? "dynamic" },
      ...o.config,
    };
    const stackOptions: StackOptions = {
      program: join(root, "dist/bench/programs/many-flows.js"),
      project: PROJECT,
      stack: o.stack ?? "load",
      workDir,
      pulumiBinDir: binDir,
      config,
      env: { NEXLA_API_URL: api.url, NEXLA_SERVICE_KEY: SERVICE_KEY, ...o.env },
    };
    const env = {
      ...process.env,
      PATH: path,
      NEXLA_API_URL: "",
      NEXLA_SERVICE_KEY: "",
      NEXLA_ACCESS_TOKEN: "",
    };
    const began = performance.now();
    const child = spawn(
      process.execPath,
      [join(root, "dist/tools/stack.js"), JSON.stringify(stackOptions), operation],
      { cwd: workDir, env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
    );
    const pid = child.pid ?? -1;
    sessions.add(pid);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const done = new Promise<Run>((resolveRun, rejectRun) => {
      child.on("close", async (code, signal) => {
        // The pulumi CLI outlives a killed runner while it cancels; the run is over when the group is gone.
        if (process.env["RELIABILITY_DEBUG"])
          console.error(new Date().toISOString(), "runner closed", pid, code, signal);
        try {
          await groupGone(pid, operation);
        } catch (error) {
          rejectRun(error as Error);
          return;
        }
        const last = stdout.trim().split("\n").pop() ?? "";
        let result: OperationResult | undefined;
        try {
          result = JSON.parse(last) as OperationResult;
        } catch {
          result = undefined;
        }
        resolveRun({ result, code, signal, stdout, stderr, ms: performance.now() - began });
      });
    });
    const kill = (signal: "SIGINT" | "SIGKILL") => {
      for (const target of signal === "SIGINT" ? [-pid] : sessionPids(pid)) signalQuietly(target, signal);
    };
    return { pid, done, kill, leftovers: () => sessionPids(pid) };
  };

  const harness: LoadHarness = {
    get emulator() {
      return emulator;
    },
    get api() {
      return api;
    },
    workDir,
    start,
    run: (operation, o) => start(operation, o).done,
    async cli(args) {
      const env = {
        ...process.env,
        ...offlineEnv(workDir, binDir),
        PATH: `${binDir}:${path}`,
        NEXLA_API_URL: api.url,
        NEXLA_SERVICE_KEY: SERVICE_KEY,
        NEXLA_ACCESS_TOKEN: "",
      };
      try {
        const { stdout, stderr } = await promisify(execFile)(join(binDir, "pulumi"), [...args], {
          cwd: workDir,
          env,
        });
        return { code: 0, output: stdout + stderr };
      } catch (error) {
        const e = error as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof e.code === "number" ? e.code : 1, output: (e.stdout ?? "") + (e.stderr ?? "") };
      }
    },
    requests: () => [...earlier, ...emulator.control.requests()],
    clearRequests() {
      earlier.length = 0;
      emulator.control.clearRequests();
    },
    async restart(gapMs = 0) {
      if (emulatorOptions.dataFile === undefined) throw new Error("restart needs emulator.dataFile");
      earlier.push(...emulator.control.requests());
      await api.close();
      await new Promise((r) => setTimeout(r, gapMs));
      emulator = createEmulator(emulatorOptions);
      api = await emulator.listen({ port });
    },
    async close() {
      for (const sid of sessions) for (const pid of sessionPids(sid)) signalQuietly(pid, "SIGKILL");
      await api.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/**
 * Live processes (zombies left out: a container's init may never reap them) whose process group (`pgrp`) or
 * session (`session`) is `id`. The runner is spawned detached, so it leads a group and a session of its own.
 */
function processesOf(field: "pgrp" | "session", id: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid pgrp session …; comm may hold spaces and parentheses.
      const [state, , pgrp, session] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (state !== "Z" && Number(field === "pgrp" ? pgrp : session) === id) pids.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

const sessionPids = (sid: number) => processesOf("session", sid);

function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Waits (at most two minutes) until no process of the run's group is left; then fails naming those left. */
function groupGone(pgid: number, operation: string): Promise<void> {
  return pollUntil(
    `every process of the ${operation} run (process group ${pgid}) to exit`,
    () => processesOf("pgrp", pgid).length === 0,
    { attempts: 1200, intervalMs: 100, seen: () => `still running: ${processesOf("pgrp", pgid).join(", ")}` },
  );
}

export interface PollOptions {
  /** Checks at most, `intervalMs` apart. @default 4800 (two minutes at the default interval) */
  readonly attempts?: number;
  /** @default 25 */
  readonly intervalMs?: number;
  /** What was seen instead, for the failure message (e.g. the count reached). */
  readonly seen?: () => string;
}

/**
 * Waits until `condition` holds, checking it at most `attempts` times; then fails naming what was awaited (and
 * what was seen), so no wait in a reliability test is unbounded or ends in an anonymous test timeout.
 */
export async function pollUntil(
  what: string,
  condition: () => boolean,
  options: PollOptions = {},
): Promise<void> {
  const { attempts = 4800, intervalMs = 25, seen } = options;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    if (condition()) return;
    if (attempt < attempts) await new Promise((r) => setTimeout(r, intervalMs));
  }
  const instead = seen === undefined ? "" : ` (seen: ${seen()})`;
  throw new Error(`Gave up waiting for ${what} after ${attempts} checks ${intervalMs} ms apart${instead}.`);
}

/** Requests other than the service-key exchange. */
export const apiCalls = (log: readonly RequestLogEntry[]) => log.filter((r) => !r.path.startsWith("/token"));

export const isWrite = (r: RequestLogEntry) => r.method !== "GET";

/** Status of every resource of generated flow k, in the emulator now (empty when the flow is gone). */
export function statusesOf(emulator: Emulator, k: number): string[] {
  const state = emulator.control.state();
  const origin = originNodeOf(k);
  return [
    ...state.data_sources.filter((r) => r.origin_node_id === origin),
    ...state.data_sets.filter((r) => r.origin_node_id === origin),
    ...state.data_sinks.filter((r) => r.origin_node_id === origin),
  ].map((r) => r.status);
}

/** A summary a test prints: calls by method and status, and retries (same call answered with an error). */
export function callSummary(log: readonly RequestLogEntry[]): string {
  const counts = new Map<string, number>();
  for (const r of log) {
    const key = `${r.method} ${r.status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort()
    .map(([k, n]) => `${k}: ${n}`)
    .join(", ");
}

/** The Flow resources in a checkpoint, and its pending operations. */
export interface Checkpoint {
  readonly checkpoint: {
    readonly latest?: {
      readonly resources?: readonly {
        readonly urn: string;
        readonly type: string;
        readonly id?: string;
        readonly outputs?: Record<string, unknown>;
      }[];
      readonly pending_operations?: readonly {
        readonly type: string;
        readonly resource: { readonly urn: string; readonly type: string };
      }[];
    };
  };
}

export { flowTypeOf };

/** The Flows of `door` in a checkpoint. */
export function flowResources(deployment: unknown, door: Door = "dynamic") {
  const latest = (deployment as Checkpoint).checkpoint.latest;
  return (latest?.resources ?? []).filter((r) => r.type === flowTypeOf[door]);
}

export function pendingOperations(deployment: unknown) {
  return (deployment as Checkpoint).checkpoint.latest?.pending_operations ?? [];
}
