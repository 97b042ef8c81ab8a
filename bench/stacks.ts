/**
 * Pulumi operations on stacks of generated flows (bench/programs/many-flows), through the real CLI, against the
 * emulator with Nexla's default per-user rate limits. Each operation runs in a child process, as in the tests;
 * its HTTP calls are counted from the emulator's request log and set against the minimum the operation needs.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { createEmulator, generateSeed, type RequestLogEntry } from "../src/emulator/index.js";
import type { Operation, OperationResult, StackOptions } from "../tools/stack.js";

type Status = "ACTIVE" | "PAUSED";

export interface Calls {
  readonly reads: number;
  readonly writes: number;
  /** Answers 429 (throttled by the emulator's per-user limits), counted in reads and writes too. */
  readonly throttled: number;
  readonly tokens: number;
}

export interface Measure {
  readonly flows: number;
  readonly name: string;
  readonly ms: number;
  readonly calls: Calls;
  /** The fewest calls that do the job (see `minimum` in index.ts). */
  readonly minimum: { readonly reads: number; readonly writes: number };
  /** From the first API call to the last answer's arrival, in ms (0 without calls). */
  readonly apiWindowMs: number;
  readonly ok: boolean;
}

export interface StackBench {
  /** `parallel`: the engine's parallelism (PULUMI_PARALLEL); the CLI's default (4 × CPUs) when undefined. */
  run(
    name: string,
    operation: Operation,
    statusOf: (k: number) => Status,
    parallel?: number,
  ): Promise<Measure>;
  close(): Promise<void>;
}

interface Options {
  readonly root: string;
  readonly binDir: string;
  readonly flows: number;
  readonly minimum: (name: string) => { reads: number; writes: number };
}

export function countCalls(log: readonly RequestLogEntry[]): Calls {
  const api = log.filter((r) => !r.path.startsWith("/token"));
  return {
    reads: api.filter((r) => r.method === "GET").length,
    writes: api.filter((r) => r.method !== "GET").length,
    throttled: api.filter((r) => r.status === 429).length,
    tokens: log.length - api.length,
  };
}

export async function stackBench(options: Options): Promise<StackBench> {
  const { root, binDir, flows } = options;
  const emulator = createEmulator({ seed: generateSeed({ flows }) });
  const api = await emulator.listen({ port: 0 });
  await mkdir(join(root, ".pulumi-e2e"), { recursive: true });
  const workDir = await mkdtemp(join(root, ".pulumi-e2e", `bench-${flows}-`));
  // Its own package scope, as a user's project has (test/e2e/harness.ts).
  await writeFile(
    join(workDir, "package.json"),
    JSON.stringify({ name: "bench", private: true, type: "module" }),
  );
  const stackJs = join(root, "dist/tools/stack.js");
  return {
    async run(name, operation, statusOf, parallel) {
      const statuses = Object.fromEntries(Array.from({ length: flows }, (_, i) => [i + 1, statusOf(i + 1)]));
      const stackOptions: StackOptions = {
        program: join(root, "dist/bench/programs/many-flows.js"),
        project: "many-flows",
        stack: `bench-${flows}`,
        workDir,
        pulumiBinDir: binDir,
        config: {
          "many-flows:flows": { value: String(flows) },
          "many-flows:statusOf": { value: JSON.stringify(statuses) },
        },
        env: {
          NEXLA_API_URL: api.url,
          NEXLA_SERVICE_KEY: "emu-super-service-key",
          ...(parallel === undefined ? {} : { PULUMI_PARALLEL: String(parallel) }),
        },
      };
      emulator.control.clearRequests();
      const began = performance.now();
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [stackJs, JSON.stringify(stackOptions), operation],
        {
          cwd: workDir,
          env: { ...process.env, NEXLA_SERVICE_KEY: "", NEXLA_ACCESS_TOKEN: "" },
          maxBuffer: 1 << 28,
        },
      );
      const ms = performance.now() - began;
      const result = JSON.parse(stdout) as OperationResult;
      const log = emulator.control.requests();
      const apiWindowMs = log.length === 0 ? 0 : (log.at(-1)?.time ?? 0) - (log[0]?.time ?? 0);
      return {
        flows,
        name,
        ms,
        calls: countCalls(log),
        minimum: options.minimum(name),
        apiWindowMs,
        ok: result.ok,
      };
    },
    async close() {
      await api.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

/** The Pulumi CLI's directory, from tools/pulumi-cli/ensure.mjs (plain JS, outside the compiled tree). */
export async function pulumiBinDir(root: string): Promise<{ binDir: string; version: string }> {
  const { ensurePulumi } = (await import(pathToFileURL(join(root, "tools/pulumi-cli/ensure.mjs")).href)) as {
    ensurePulumi: (o: { log: (line: string) => void }) => { binDir: string; version: string };
  };
  return ensurePulumi({ log: () => undefined });
}
