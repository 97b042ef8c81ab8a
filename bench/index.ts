/**
 * `npm run bench`: figures, printed, never asserted (docs/design.md §2). Three parts:
 * 1. HTTP calls per Pulumi operation on 200 flows, next to the fewest calls that do the job;
 * 2. wall time of `up` and `preview --refresh` on 50 and 200 flows, next to the lower bound that Nexla's
 *    per-user rate limits set (light reads 12/s, writes 8/s), and where the rest of the time goes;
 * 3. emulator throughput on flow reads and writes, next to a minimal Node.js HTTP server.
 * Runs against the emulator on 127.0.0.1 with the real Pulumi CLI; takes about four minutes on 2 cores.
 */
import { cpus } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { pulumiBinDir, stackBench, type Measure } from "./stacks.js";
import { throughput } from "./throughput.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const READS_PER_SECOND = 12;
const WRITES_PER_SECOND = 8;

/** Seed: every flow ACTIVE. Declared: odd flows PAUSED, so half need one write; `changed` flips flow 2. */
const declared = (k: number) => (k % 2 === 1 ? "PAUSED" : "ACTIVE");
const changed = (k: number) => (k === 2 ? "PAUSED" : declared(k));

/**
 * The fewest calls each operation needs. Up from scratch: read each flow once (Flow adopts what exists), write
 * once per flow out of sync. In sync: nothing. A refresh: one read per flow. A one-flow change: read it, write
 * it. Destroy: read each flow (state may be stale), pause those active (Nexla refuses to delete them), delete.
 */
function minimum(flows: number) {
  const outOfSync = Math.ceil(flows / 2);
  const table: Record<string, { reads: number; writes: number }> = {
    "up (from scratch)": { reads: flows, writes: outOfSync },
    preview: { reads: 0, writes: 0 },
    "up (no change)": { reads: 0, writes: 0 },
    "preview --refresh": { reads: flows, writes: 0 },
    "up (one flow changed)": { reads: 1, writes: 1 },
    destroy: { reads: flows, writes: flows + (flows - outOfSync - 1) },
  };
  return (name: string) => table[name] ?? { reads: 0, writes: 0 };
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const bound = (reads: number, writes: number) =>
  Math.max(reads / READS_PER_SECOND, writes / WRITES_PER_SECOND);

function ratio(m: Measure): string {
  const actual = m.calls.reads + m.calls.writes;
  const least = m.minimum.reads + m.minimum.writes;
  if (least === 0) return actual === 0 ? "1 (0 = 0)" : `${actual} calls, none needed`;
  return (actual / least).toFixed(2);
}

function printCalls(measures: readonly Measure[]): void {
  console.log("\n## Calls per operation (200 flows; reads / writes: made (fewest needed))\n");
  console.log("| operation | reads | writes | ratio | 429s | token exchanges | ok |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const m of measures) {
    const { calls, minimum: least } = m;
    console.log(
      `| ${m.name} | ${calls.reads} (${least.reads}) | ${calls.writes} (${least.writes}) | ${ratio(m)} | ` +
        `${calls.throttled} | ${calls.tokens} | ${m.ok ? "yes" : "NO"} |`,
    );
  }
}

function printTimes(measures: readonly Measure[], baseline: Map<number, Measure>): void {
  console.log("\n## Wall time next to the rate-limit lower bound (reads 12/s, writes 8/s)\n");
  console.log(
    "| flows | operation | wall s | bound for fewest calls s | bound for calls made s | API window s | " +
      "reads/s in window | CLI overhead s (preview, no calls) |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const m of measures) {
    const rate = m.apiWindowMs > 0 ? (m.calls.reads / m.apiWindowMs) * 1000 : 0;
    console.log(
      `| ${m.flows} | ${m.name} | ${seconds(m.ms)} | ${bound(m.minimum.reads, m.minimum.writes).toFixed(1)} | ` +
        `${bound(m.calls.reads, m.calls.writes).toFixed(1)} | ${seconds(m.apiWindowMs)} | ${rate.toFixed(1)} | ` +
        `${seconds(baseline.get(m.flows)?.ms ?? 0)} |`,
    );
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const cli = await pulumiBinDir(root);
  console.log(
    `# pulumi-nexla benchmarks\n\nNode ${process.version}, Pulumi CLI ${cli.version}, ${cpus().length} CPUs ` +
      `(${cpus()[0]?.model ?? "unknown"}); emulator on 127.0.0.1 with Nexla's default per-user rate limits.`,
  );

  const calls: Measure[] = [];
  const times: Measure[] = [];
  const baseline = new Map<number, Measure>();
  for (const flows of [50, 200]) {
    const bench = await stackBench({ root, binDir: cli.binDir, flows, minimum: minimum(flows) });
    try {
      const step = async (name: string, operation: Parameters<typeof bench.run>[1], status = declared) => {
        const m = await bench.run(name, operation, status);
        process.stderr.write(`  ${flows} flows, ${name}: ${seconds(m.ms)} s\n`);
        return m;
      };
      const up = await step("up (from scratch)", "up");
      baseline.set(flows, await step("preview", "preview"));
      const refresh = await step("preview --refresh", "preview-refresh");
      times.push(up, refresh);
      if (flows !== 200) continue;
      calls.push(up, baseline.get(flows) as Measure, await step("up (no change)", "up"), refresh);
      calls.push(await step("up (one flow changed)", "up", changed));
      calls.push(await step("destroy", "destroy", changed));
    } finally {
      await bench.close();
    }
  }
  printCalls(calls);
  printTimes(times, baseline);

  console.log("\n## Emulator throughput (16 concurrent keep-alive clients, rate limits off)\n");
  console.log("| server | request | requests | req/s | p50 ms | p99 ms |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const t of await throughput()) {
    console.log(
      `| ${t.server} | ${t.operation} | ${t.requests} | ${t.perSecond.toFixed(0)} | ${t.p50Ms.toFixed(2)} | ` +
        `${t.p99Ms.toFixed(2)} |`,
    );
  }
  console.log(`\nTotal bench time: ${seconds(performance.now() - started)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
