/**
 * `npm run demo`: the product on one machine, offline. Finds or builds the Pulumi CLI (tools/pulumi-cli/
 * ensure.mjs), starts the Nexla API emulator in this process with its sample org, and runs the built gitops
 * example (dist/examples/gitops) as an inline program with a local file backend in a scratch folder
 * (tools/stack.ts), with a flows.yaml written there: orders and clickstream ACTIVE, billing-export PAUSED.
 * Steps: `up` adopts the three flows; data sink 3100 is paused out of band, as a person in Nexla's UI would;
 * `preview --refresh` must report that drift (the demo fails if it does not); `up --refresh` puts it back;
 * `destroy` pauses, then deletes the flows. After each step it prints the calls that changed Nexla, read
 * from the emulator's request log. Exits non-zero on any failure; always closes the emulator and deletes the
 * scratch folder.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createEmulator, isWrite, requestLine, type Emulator } from "../src/emulator/index.js";
import { openStack, run, type Operation, type OperationResult } from "./stack.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const say = (text: string) => process.stdout.write(`\n\x1b[1m== ${text}\x1b[0m\n`);
const note = (text: string) => process.stdout.write(`   ${text}\n`);

const flowsYaml = `flows:
  - name: orders
    flowId: 100
    status: ACTIVE
  - name: clickstream
    flowId: 200
    status: ACTIVE
  - name: billing-export
    dataSourceId: 1200
    status: PAUSED
`;

function writesSince(emulator: Emulator, from: number): string[] {
  return emulator.control
    .requests()
    .slice(from)
    .filter(isWrite)
    .map((r) => `${requestLine(r)} -> ${r.status}`);
}

async function main(): Promise<void> {
  const { ensurePulumi } = (await import(pathToFileURL(join(root, "tools/pulumi-cli/ensure.mjs")).href)) as {
    ensurePulumi: () => { binDir: string; version: string };
  };
  const cli = ensurePulumi();
  const emulator = createEmulator();
  const api = await emulator.listen({ port: 0 });
  const workDir = await mkdtemp(join(root, ".pulumi-demo-"));
  try {
    say(`Nexla API emulator with the sample org at ${api.url}; Pulumi CLI ${cli.version}`);
    note(
      "Credentials: the sample super user's service key, passed as NEXLA_SERVICE_KEY (never stored in state).",
    );
    await writeFile(join(workDir, "flows.yaml"), flowsYaml);
    note("Declared in flows.yaml: orders ACTIVE, clickstream ACTIVE, billing-export PAUSED.");
    const stack = await openStack({
      program: join(root, "dist/examples/gitops/index.js"),
      project: "gitops",
      stack: "demo",
      workDir,
      pulumiBinDir: cli.binDir,
      config: { "gitops:flowsFile": { value: join(workDir, "flows.yaml") } },
      env: { NEXLA_API_URL: api.url, NEXLA_SERVICE_KEY: "emu-super-service-key" },
    });
    const step = async (operation: Operation, title: string): Promise<OperationResult> => {
      say(title);
      const from = emulator.control.requests().length;
      const result = await run(stack, operation, (chunk) => process.stdout.write(chunk));
      if (!result.ok)
        throw new Error(`pulumi ${operation} failed: ${result.error ?? "see the output above"}`);
      const writes = writesSince(emulator, from);
      note(
        writes.length === 0
          ? "Calls that changed Nexla: none."
          : `Calls that changed Nexla:\n     ${writes.join("\n     ")}`,
      );
      return result;
    };

    await step("up", "pulumi up: adopt the three flows and make Nexla match flows.yaml");
    say("Someone pauses data sink 3100 of clickstream in Nexla's UI (out of band)");
    emulator.control.setStatus("data_sink", 3100, "PAUSED");
    const drift = await step("preview-refresh", "pulumi preview --refresh: what does Pulumi see now?");
    const updates = drift.changes["update"] ?? 0;
    if (updates < 1) throw new Error("preview --refresh did not report the out-of-band pause as a change");
    note(`Drift caught: ${updates} Flow would be updated back to its declared state.`);
    await step("up-refresh", "pulumi up --refresh: put it back");
    const sink = emulator.control.state().data_sinks.find((s) => s.id === 3100);
    note(`Data sink 3100 is ${sink?.status ?? "missing"} again.`);
    await step(
      "destroy",
      "pulumi destroy: remove the flows (each is paused, then deleted, as Nexla requires)",
    );
    say("Demo finished: up, drift caught, drift corrected, destroyed.");
  } finally {
    await api.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`\nDemo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
