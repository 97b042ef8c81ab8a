/**
 * Pulumi operations on stacks of generated flows (bench/programs/many-flows), through the real CLI, against the
 * emulator with Nexla's default per-user rate limits. Each operation runs in a child process, as in the tests;
 * its HTTP calls are counted from the emulator's request log and set against the minimum the operation needs.
 */
import { execFile, spawn } from "node:child_process";
import { cp, mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { createEmulator, generateSeed, type RequestLogEntry } from "../src/emulator/index.js";
import type { Operation, OperationResult, StackOptions } from "../tools/stack.js";

export type Status = "ACTIVE" | "PAUSED";

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
  /** The engine's parallelism; undefined for the CLI's default. */
  readonly parallel: number | undefined;
  readonly ms: number;
  readonly calls: Calls;
  /** The fewest calls that do the job (see `minimum` in index.ts). */
  readonly minimum: { readonly reads: number; readonly writes: number };
  /** From the first API call to the last answer's arrival, in ms (0 without calls). */
  readonly apiWindowMs: number;
  readonly ok: boolean;
}

/** One run of a Pulumi operation on the bench's stack of generated flows. */
export interface Run {
  /** The row's name. */
  readonly name: string;
  readonly operation: Operation;
  /** The status each flow k (1-based) is declared with. */
  readonly statusOf: (k: number) => Status;
  /** The engine's parallelism (PULUMI_PARALLEL); the CLI's default (4 × CPUs) when undefined. */
  readonly parallel?: number | undefined;
  /** The stack to run it on: a new name is a stack with no state (an `up` from scratch). @default "bench" */
  readonly stack?: string;
  /** Whose service key the provider uses. @default "owner": Ada, who owns every generated flow */
  readonly user?: "owner" | "operator";
  /** Extra environment for the CLI and the provider (PULUMI_SKIP_CHECKPOINTS). */
  readonly env?: Readonly<Record<string, string>>;
  /** Put the emulator back to its seed first (every flow ACTIVE, as after `generateSeed`). */
  readonly reset?: boolean;
  /** Run another process that keeps one CPU busy all along (a slower machine). */
  readonly load?: boolean;
}

export interface StackBench {
  run(run: Run): Promise<Measure>;
  close(): Promise<void>;
}

/**
 * Service keys of the sample org: Ada (user 2) owns every generated flow; Otto (user 3), a member of her org,
 * operates them without owning them (GET /flows lists them only with access_role=operator).
 */
const serviceKeys = { owner: "emu-analyst-service-key", operator: "emu-ops-service-key" } as const;

interface Options {
  readonly project: BenchProject;
  readonly binDir: string;
  readonly flows: number;
  readonly minimum: (run: Run) => { reads: number; writes: number };
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
  const { project, binDir, flows } = options;
  const emulator = createEmulator({ seed: generateSeed({ flows }) });
  const api = await emulator.listen({ port: 0 });
  const workDir = await mkdtemp(join(project.dir, `stack-${flows}-`));
  const program = join(project.dir, "many-flows.js");
  const stackJs = join(project.dir, "stack.js");
  return {
    async run(run) {
      const { operation, statusOf, parallel } = run;
      if (run.reset === true) emulator.control.reset();
      const statuses = Object.fromEntries(Array.from({ length: flows }, (_, i) => [i + 1, statusOf(i + 1)]));
      const stackOptions: StackOptions = {
        program,
        project: "many-flows",
        stack: `${run.stack ?? "bench"}-${flows}`,
        workDir,
        pulumiBinDir: binDir,
        config: {
          "many-flows:flows": { value: String(flows) },
          "many-flows:statusOf": { value: JSON.stringify(statuses) },
        },
        env: {
          NEXLA_API_URL: api.url,
          NEXLA_SERVICE_KEY: serviceKeys[run.user ?? "owner"],
          ...(parallel === undefined ? {} : { PULUMI_PARALLEL: String(parallel) }),
          ...run.env,
        },
      };
      emulator.control.clearRequests();
      const load =
        run.load === true ? spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }) : undefined;
      const began = performance.now();
      let stdout: string;
      try {
        ({ stdout } = await promisify(execFile)(
          process.execPath,
          [stackJs, JSON.stringify(stackOptions), operation],
          {
            cwd: workDir,
            env: { ...process.env, NEXLA_SERVICE_KEY: "", NEXLA_ACCESS_TOKEN: "" },
            maxBuffer: 1 << 28,
          },
        ));
      } finally {
        load?.kill();
      }
      const ms = performance.now() - began;
      const result = JSON.parse(stdout) as OperationResult;
      if (!result.ok) {
        process.stderr.write(
          `bench: ${operation} on ${flows} flows failed: ${result.error ?? ""}\n${result.stderr.slice(-4000)}\n`,
        );
      }
      const log = emulator.control.requests();
      const apiWindowMs = log.length === 0 ? 0 : (log.at(-1)?.time ?? 0) - (log[0]?.time ?? 0);
      return {
        flows,
        name: run.name,
        parallel,
        ms,
        calls: countCalls(log),
        minimum: options.minimum(run),
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

export interface BenchProject {
  /** A folder outside the checkout with the packed package and @pulumi/pulumi installed by npm. */
  readonly dir: string;
  close(): Promise<void>;
}

/**
 * A user's project for the bench: `npm pack` of the checkout installed with `@pulumi/pulumi` into a new folder
 * under the OS temp folder (nothing of the checkout's `node_modules` above it), with the bench program and the
 * stack runner (tools/stack.ts) beside them, so both load the installed package and its own `@pulumi/pulumi`.
 * Linked from the checkout instead, Pulumi's serializer would store the provider's code in every Flow's state
 * rather than a reference to the installed package (provider/shim.cts), and the checkpoints the engine writes
 * around every step would have a size no user has.
 */
export async function benchProject(root: string): Promise<BenchProject> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), "pulumi-nexla-bench-")));
  // Not npm's own variables from `npm run bench`: this is a user's install.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_|^INIT_CWD$/.test(k)));
  const run = (command: string, args: string[], cwd: string) =>
    promisify(execFile)(command, args, { cwd, env, maxBuffer: 1 << 26 });
  try {
    const manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as {
      version: string;
      devDependencies: Record<string, string>;
    };
    // `npm run bench` has just built dist/.
    await run("npm", ["pack", "--ignore-scripts", "--pack-destination", dir], root);
    await writeFile(
      join(dir, "package.json"),
      JSON.stringify({ name: "bench", version: "0.0.0", private: true, type: "module" }),
    );
    await run(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        join(dir, `pulumi-nexla-${manifest.version}.tgz`),
        `@pulumi/pulumi@${manifest.devDependencies["@pulumi/pulumi"]}`,
      ],
      dir,
    );
    await cp(join(root, "dist/bench/programs/many-flows.js"), join(dir, "many-flows.js"));
    await cp(join(root, "dist/tools/stack.js"), join(dir, "stack.js"));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, close: () => rm(dir, { recursive: true, force: true }) };
}

/** The Pulumi CLI's directory, from tools/pulumi-cli/ensure.mjs (plain JS, outside the compiled tree). */
export async function pulumiBinDir(root: string): Promise<{ binDir: string; version: string }> {
  const { ensurePulumi } = (await import(pathToFileURL(join(root, "tools/pulumi-cli/ensure.mjs")).href)) as {
    ensurePulumi: (o: { log: (line: string) => void }) => { binDir: string; version: string };
  };
  return ensurePulumi({ log: () => undefined });
}
