/**
 * Runs a Pulumi program with the real Pulumi CLI, offline: a local file backend, a passphrase secrets provider,
 * no update checks and no plugin downloads (docs/pulumi.md B3). The program is a module whose default export
 * is the program function (the shape of every example), run as an Automation API inline program: inline
 * programs need only `pulumi` and the dynamic-provider plugin, not the pulumi-language-nodejs host, which the
 * Go module proxy does not serve (docs/pulumi.md A7, B1).
 *
 * Used by the demo in process, and by the e2e tests through `node dist/tools/stack.js` (one process per run,
 * so every run loads the program afresh).
 */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation/index.js";

export type Operation =
  | "up"
  | "preview"
  | "preview-refresh"
  | "up-refresh"
  | "up-refresh-run-program"
  | "refresh"
  | "destroy"
  | "export";

export interface StackOptions {
  /** Path of the compiled program module (default export: the program function). */
  readonly program: string;
  /** Pulumi project name: the namespace of the program's config keys. */
  readonly project: string;
  readonly stack: string;
  /** Working directory of the stack; the provider process runs here, so it must resolve `pulumi-nexla`. */
  readonly workDir: string;
  /** Directory that holds the `pulumi` binary (tools/pulumi-cli/ensure.mjs). */
  readonly pulumiBinDir: string;
  /** Stack config; `secret: true` values are stored encrypted. */
  readonly config?: Readonly<Record<string, { readonly value: string; readonly secret?: boolean }>>;
  /** Extra environment for the CLI and the provider process (NEXLA_API_URL, credentials). */
  readonly env?: Readonly<Record<string, string>>;
  /** Called with each chunk of the CLI's output as it comes. */
  readonly onOutput?: (chunk: string) => void;
}

export interface OperationResult {
  readonly operation: Operation;
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: string;
  /** Counts by operation (`same`, `update`, `create`, `delete`, `replace`, `refresh`...). */
  readonly changes: Readonly<Record<string, number>>;
  readonly outputs?: Readonly<Record<string, unknown>>;
  /** `export` only: the stack's checkpoint as stored by the file backend, secrets encrypted. */
  readonly deployment?: unknown;
}

export const PASSPHRASE = "pulumi-nexla-local-passphrase";

export function offlineEnv(workDir: string, pulumiBinDir: string): Record<string, string> {
  return {
    PATH: `${pulumiBinDir}:${process.env["PATH"] ?? ""}`,
    PULUMI_HOME: join(workDir, ".pulumi-home"),
    PULUMI_BACKEND_URL: `file://${join(workDir, ".pulumi-state")}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
}

export async function openStack(options: StackOptions): Promise<Stack> {
  await mkdir(join(options.workDir, ".pulumi-state"), { recursive: true });
  const module = (await import(pathToFileURL(options.program).href)) as { default: () => Promise<unknown> };
  const program = async () => (await module.default()) as Record<string, unknown> | undefined;
  const pulumiCommand = await PulumiCommand.get({ root: join(options.pulumiBinDir, "..") });
  const stack = await LocalWorkspace.createOrSelectStack(
    { projectName: options.project, stackName: options.stack, program },
    {
      workDir: options.workDir,
      pulumiCommand,
      envVars: { ...offlineEnv(options.workDir, options.pulumiBinDir), ...options.env },
      secretsProvider: "passphrase",
    },
  );
  for (const [key, { value, secret }] of Object.entries(options.config ?? {})) {
    await stack.setConfig(key, { value, secret: secret ?? false });
  }
  return stack;
}

/**
 * The stack's checkpoint as the file backend stores it at rest (secrets encrypted). Automation API's
 * exportStack passes --show-secrets, so it cannot show what state really holds.
 */
export async function storedState(workDir: string, project: string, stack: string): Promise<unknown> {
  const file = join(workDir, ".pulumi-state", ".pulumi", "stacks", project, `${stack}.json`);
  return JSON.parse(await readFile(file, "utf8")) as unknown;
}

export async function run(
  stack: Stack,
  operation: Operation,
  onOutput?: (s: string) => void,
): Promise<OperationResult> {
  const common = { color: "never" as const, ...(onOutput ? { onOutput } : {}) };
  try {
    switch (operation) {
      case "up":
      case "up-refresh":
      case "up-refresh-run-program": {
        // `--refresh --run-program`: the program runs during the refresh too, and the refresh's reads share the
        // provider process with the update's writes.
        const r = await stack.up({
          ...common,
          refresh: operation !== "up",
          ...(operation === "up-refresh-run-program" ? { runProgram: true } : {}),
        });
        const outputs = Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, v.value]));
        return done(operation, r.stdout, r.stderr, r.summary.resourceChanges ?? {}, outputs);
      }
      case "preview":
      case "preview-refresh": {
        const r = await stack.preview({ ...common, refresh: operation === "preview-refresh", diff: true });
        return done(operation, r.stdout, r.stderr, r.changeSummary);
      }
      case "refresh": {
        const r = await stack.refresh(common);
        return done(operation, r.stdout, r.stderr, r.summary.resourceChanges ?? {});
      }
      case "destroy": {
        const r = await stack.destroy(common);
        return done(operation, r.stdout, r.stderr, r.summary.resourceChanges ?? {});
      }
      case "export": {
        const { workDir } = stack.workspace;
        const deployment = await storedState(
          workDir,
          (await stack.workspace.projectSettings()).name,
          stack.name,
        );
        return { operation, ok: true, stdout: "", stderr: "", changes: {}, deployment };
      }
    }
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message?: string };
    const message = e.message ?? String(error);
    return {
      operation,
      ok: false,
      stdout: e.stdout ?? "",
      stderr: e.stderr ?? "",
      error: message,
      changes: {},
    };
  }
}

function done(
  operation: Operation,
  stdout: string,
  stderr: string,
  changes: Readonly<Record<string, number | undefined>>,
  outputs?: Record<string, unknown>,
): OperationResult {
  const counts = Object.fromEntries(
    Object.entries(changes).filter(([, n]) => typeof n === "number"),
  ) as Record<string, number>;
  return { operation, ok: true, stdout, stderr, changes: counts, ...(outputs ? { outputs } : {}) };
}

/** `node dist/tools/stack.js '<StackOptions JSON>' <operation>`: prints the OperationResult as JSON. */
async function main(argv: readonly string[]): Promise<number> {
  const [json, operation] = argv;
  if (json === undefined || operation === undefined) {
    process.stderr.write(
      "usage: node dist/tools/stack.js '<options JSON>' <up|preview|preview-refresh|up-refresh|up-refresh-run-program|refresh|destroy|export>\n",
    );
    return 2;
  }
  const stack = await openStack(JSON.parse(json) as StackOptions);
  const result = await run(stack, operation as Operation);
  // Wait for the pipe to take it all: process.exit() right after a large write to a pipe truncates it.
  await new Promise<void>((resolve) => process.stdout.write(JSON.stringify(result) + "\n", () => resolve()));
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
