/**
 * End-to-end harness: the emulator in this process on 127.0.0.1, and each Pulumi operation run by the real
 * CLI in a child process (`node dist/tools/stack.js`), in a scratch directory inside the repository so the
 * provider process resolves `pulumi-nexla` as it would in a user's project.
 */
import { execFile } from "node:child_process";
import { chmod, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from "vitest";
import {
  createEmulator,
  isWrite,
  requestLine,
  type Emulator,
  type ResourceKind,
  type RunningEmulator,
  type Seed,
} from "pulumi-nexla/emulator";
import { flowToken } from "../../src/declaration/package-schema.js";
import { flowTypeToken } from "../../src/declaration/schema.js";
import { ensurePulumi } from "../../tools/pulumi-cli/ensure.mjs";
import type { OperationResult, Operation, StackOptions } from "../../tools/stack.js";
import type { DeclaredFlow, Door } from "../../tools/e2e-programs/declared.js";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);

export const credentials = {
  superKey: "emu-super-service-key",
  superToken: "emu-super-access-token",
  analystKey: "emu-analyst-service-key",
  analystToken: "emu-analyst-access-token",
} as const;

export interface Harness {
  readonly emulator: Emulator;
  readonly api: RunningEmulator;
  readonly workDir: string;
  /**
   * Runs one operation of an example program (or of `options.program`, then `example` names only the
   * project and its directory) on this harness's stack.
   */
  stack(example: string, operation: Operation, options?: StackRunOptions): Promise<OperationResult>;
  /** The emulator's write calls since the last `clearRequests`, as `METHOD path?query`. */
  writes(): string[];
  writeFile(name: string, text: string): Promise<string>;
  /**
   * Installs a copy of the built package (package.json + dist) as `node_modules/pulumi-nexla` of the stack's
   * directory, where the provider process loads it from, at the given version.
   */
  installPackageCopy(
    version: string,
  ): Promise<{ setVersion(v: string): Promise<void>; remove(): Promise<void> }>;
  close(): Promise<void>;
}

const declaredProgram = join(root, "dist/tools/e2e-programs/declared.js");

/** One operation of the `declared` program (tools/e2e-programs/declared.ts) on `stack`, declaring `flows`. */
export function runDeclared(
  h: Harness,
  stack: string,
  operation: Operation,
  flows: readonly DeclaredFlow[],
  options: Pick<StackRunOptions, "timeoutMs"> = {},
): Promise<OperationResult> {
  const config = { "declared:flows": { value: JSON.stringify(flows) } };
  return h.stack("declared", operation, { program: declaredProgram, stack, config, ...options });
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The providers this vitest project runs the safety and refusal tests against (vitest.config.ts). */
    doors: Door[];
  }
}

/** The providers the safety and refusal tests run against here: the project's (`e2e`: dynamic, `e2e-native`). */
export const doors: readonly Door[] = inject("doors");

/** The type token of a Flow in a stack's state, by the provider that serves it. */
export const flowTypeOf: Readonly<Record<Door, string>> = { dynamic: flowTypeToken, native: flowToken };

/** The type tokens of a Flow in a stack's state: the dynamic `Flow`'s and the native plugin's `nexla:index:Flow`. */
export const flowTypes: readonly string[] = Object.values(flowTypeOf);

/**
 * `h.declared` with every Flow served by `door` (tools/e2e-programs/declared.ts), each stack name prefixed with the
 * door: one file's tests run once per door on one harness.
 */
export function declaredThrough(h: Pick<SharedHarness, "declared">, door: Door): SharedHarness["declared"] {
  return (stack, operation, flows) =>
    h.declared(
      `${door}-${stack}`,
      operation,
      flows.map((flow) => ({ ...flow, door })),
    );
}

/** Every resource of the flow whose origin node is `origin`, in Nexla now, as `kind id STATUS`. */
export function resourcesOfFlow(h: Pick<Harness, "emulator">, origin: number): string[] {
  const s = h.emulator.control.state();
  const of = (kind: ResourceKind, list: Seed["data_sources"]) =>
    list
      .filter((r) => r.origin_node_id === origin)
      .sort((a, b) => a.id - b.id)
      .map((r) => `${kind} ${r.id} ${r.status}`);
  return [
    ...of("data_source", s.data_sources),
    ...of("data_set", s.data_sets),
    ...of("data_sink", s.data_sinks),
  ];
}

/**
 * Puts the native plugin in `dir` as `npm install pulumi-nexla` does: `node_modules/.bin/pulumi-resource-nexla`, a
 * link to the built main.js, made executable. Returns that .bin folder.
 */
export async function installNativePlugin(dir: string): Promise<string> {
  const bin = join(dir, "node_modules", ".bin");
  await mkdir(bin, { recursive: true });
  const main = join(root, "dist/provider/native/main.js");
  await chmod(main, 0o755);
  await symlink(main, join(bin, "pulumi-resource-nexla"));
  return bin;
}

/** Everything an operation said: its error, and the CLI's output (where the provider's log and diagnostics go). */
export const said = (r: OperationResult) => `${r.error ?? ""}\n${r.stdout}\n${r.stderr}`;

export interface StackRunOptions {
  readonly stack?: string;
  readonly config?: StackOptions["config"];
  readonly env?: Record<string, string>;
  /** Path of a compiled program module to run instead of `dist/examples/<example>/index.js`. */
  readonly program?: string;
  /** Kill the operation after this long (a watchdog for the fuzz: a hang fails it instead of stalling). */
  readonly timeoutMs?: number;
}

/** What the emulator of a harness starts from: the sample org unless `seed` says otherwise. */
export interface HarnessOptions {
  readonly settleMs?: number;
  readonly seed?: Seed;
}

/** A file's harness, as `useHarness` gives it. */
export interface SharedHarness extends Harness {
  /** One operation of the `declared` program on `stack`, declaring `flows` (`runDeclared` on this harness). */
  declared(stack: string, operation: Operation, flows: readonly DeclaredFlow[]): Promise<OperationResult>;
}

/**
 * The set-up of an e2e file: one harness, started before its tests and closed after them, usable from the
 * file's top level (its members are looked up when called). With `resetEachTest` (the default), each test
 * starts from the emulator's seed and ends by checking that no call reached a route the emulator does not
 * model (docs/design.md §8.4); files whose tests build on each other pass `false`.
 */
export function useHarness(
  options: HarnessOptions & { readonly resetEachTest?: boolean } = {},
): SharedHarness {
  const { resetEachTest = true, ...start } = options;
  let started: Harness | undefined;
  const h = (): Harness => {
    if (started === undefined) throw new Error("The e2e harness is used before its beforeAll started it.");
    return started;
  };
  beforeAll(async () => {
    started = await startHarness(start);
  });
  afterAll(async () => started?.close());
  if (resetEachTest) {
    beforeEach(() => h().emulator.control.reset());
    afterEach(() => expect(h().emulator.control.unhandled()).toEqual([]));
  }
  return {
    get emulator() {
      return h().emulator;
    },
    get api() {
      return h().api;
    },
    get workDir() {
      return h().workDir;
    },
    stack: (example, operation, o) => h().stack(example, operation, o),
    writes: () => h().writes(),
    writeFile: (name, text) => h().writeFile(name, text),
    installPackageCopy: (version) => h().installPackageCopy(version),
    close: () => h().close(),
    declared: (stack, operation, flows) => runDeclared(h(), stack, operation, flows),
  };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const { binDir } = ensurePulumi();
  const emulator = createEmulator({ rateLimits: false, ...options });
  const api = await emulator.listen({ port: 0 });
  await mkdir(join(root, ".pulumi-e2e"), { recursive: true });
  const workDir = await mkdtemp(join(root, ".pulumi-e2e", "run-"));
  // The native plugin, as npm installs it, on the CLI's PATH (the engine finds plugins there): programs that
  // declare a NativeFlow use it. It runs on this Node (22), first on PATH.
  const pluginBin = await installNativePlugin(workDir);
  // Its own package scope, as a user's project has: inside the repository, Node would otherwise resolve
  // `pulumi-nexla` to the repository itself (package self-reference) before looking in node_modules.
  await writeFile(
    join(workDir, "package.json"),
    JSON.stringify({ name: "pulumi-nexla-e2e", private: true, type: "module" }),
  );
  return {
    emulator,
    api,
    workDir,
    async stack(example, operation, o = {}) {
      // One directory per project: a workspace directory holds one Pulumi.yaml, hence one project name.
      const stackDir = join(workDir, example);
      await mkdir(stackDir, { recursive: true });
      const opts: StackOptions = {
        program: o.program ?? join(root, "dist/examples", example, "index.js"),
        project: example,
        stack: o.stack ?? "e2e",
        workDir: stackDir,
        pulumiBinDir: binDir,
        config: o.config ?? {},
        env: { NEXLA_API_URL: api.url, NEXLA_SERVICE_KEY: credentials.superKey, ...o.env },
      };
      const env = {
        ...process.env,
        PATH: [dirname(process.execPath), pluginBin, process.env["PATH"]].join(":"),
        NEXLA_API_URL: "",
        NEXLA_SERVICE_KEY: "",
        NEXLA_ACCESS_TOKEN: "",
      };
      const { stdout } = await run(
        process.execPath,
        [join(root, "dist/tools/stack.js"), JSON.stringify(opts), operation],
        {
          cwd: workDir,
          env,
          maxBuffer: 64 * 1024 * 1024,
          ...(o.timeoutMs === undefined ? {} : { timeout: o.timeoutMs, killSignal: "SIGKILL" as const }),
        },
      );
      return JSON.parse(stdout) as OperationResult;
    },
    writes() {
      return emulator.control.requests().filter(isWrite).map(requestLine);
    },
    async writeFile(name, text) {
      const path = join(workDir, name);
      await writeFile(path, text);
      return path;
    },
    async installPackageCopy(version) {
      const dir = join(workDir, "node_modules", "pulumi-nexla");
      await cp(join(root, "dist"), join(dir, "dist"), { recursive: true });
      const manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as Record<
        string,
        unknown
      >;
      const setVersion = (v: string) =>
        writeFile(join(dir, "package.json"), JSON.stringify({ ...manifest, version: v }));
      await setVersion(version);
      return { setVersion, remove: () => rm(dir, { recursive: true, force: true }) };
    },
    async close() {
      await api.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
