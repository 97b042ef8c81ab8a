/**
 * `npm run bench`: figures, printed, never asserted (docs/design.md §2). Two parts:
 * 1. on 50, 200 and 1,000 flows, each Pulumi operation's HTTP calls next to the fewest that do the job, and its
 *    wall time next to the lower bound Nexla's per-user rate limits set (light reads 12/s, writes 8/s) and the
 *    CLI's own time (a `preview` that makes no call);
 * 2. emulator throughput on flow reads and writes, next to a minimal Node.js HTTP server, and the time of its
 *    `GET /flows` on 1,000 flows.
 * Runs against the emulator on 127.0.0.1 with the real Pulumi CLI, the engine's parallelism set to the number of
 * flows (PULUMI_PARALLEL) but for one refresh at the CLI's default; takes about ten minutes on 2 cores.
 */
import { cpus } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { benchProject, pulumiBinDir, stackBench, type Measure } from "./stacks.js";
import { listTimes, throughput } from "./throughput.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const READS_PER_SECOND = 12;
const WRITES_PER_SECOND = 8;

/** Seed: every flow ACTIVE. Declared: odd flows PAUSED, so half need one write; `changed` flips flow 2. */
const declared = (k: number) => (k % 2 === 1 ? "PAUSED" : "ACTIVE");
const changed = (k: number) => (k === 2 ? "PAUSED" : declared(k));

/**
 * The fewest calls each operation needs, with coalesced reads. Every Flow needs a fresh view of its flow, and one
 * `GET /flows` gives the view of every flow (Nexla returns them all without paging parameters, docs/nexla-api.md
 * §5.3), so a run that reads many flows at once needs one read. Up from scratch: one read (Flow adopts what
 * exists), one write per flow out of sync, whose answer confirms it. In sync: nothing. A refresh: one read. A
 * one-flow change: one read of that flow (a single GET), one write. Destroy: one read (state may be stale),
 * pause those active (Nexla refuses to delete them), delete each.
 */
function minimum(flows: number) {
  const outOfSync = Math.ceil(flows / 2);
  const table: Record<string, { reads: number; writes: number }> = {
    "up (from scratch)": { reads: 1, writes: outOfSync },
    preview: { reads: 0, writes: 0 },
    "up (no change)": { reads: 0, writes: 0 },
    "preview --refresh": { reads: 1, writes: 0 },
    // Eight Flows at a time: one list read per eight.
    "preview --refresh, default parallelism": { reads: Math.ceil(flows / (4 * cpus().length)), writes: 0 },
    "up (one flow changed)": { reads: 1, writes: 1 },
    destroy: { reads: 1, writes: flows + (flows - outOfSync - 1) },
  };
  return (name: string) => table[name] ?? { reads: 0, writes: 0 };
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const bound = (reads: number, writes: number) =>
  Math.max(reads / READS_PER_SECOND, writes / WRITES_PER_SECOND);

function ratio(m: Measure): string {
  const actual = m.calls.reads + m.calls.writes;
  const least = m.minimum.reads + m.minimum.writes;
  if (least === 0) return actual === 0 ? "— (0 = 0)" : `${actual} calls, none needed`;
  return (actual / least).toFixed(2);
}

function print(measures: readonly Measure[], baseline: Map<number, Measure>): void {
  console.log(
    "\n## Calls and wall time per operation (reads / writes: made (fewest needed); bounds at reads 12/s, " +
      "writes 8/s)\n",
  );
  console.log(
    "| flows | operation | reads | writes | calls ÷ fewest | 429s | wall s | bound, fewest calls s | " +
      "bound, calls made s | CLI time without calls s | CLI + bound s | ok |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const m of measures) {
    const { calls, minimum: least } = m;
    const cli = baseline.get(m.flows)?.ms ?? 0;
    const fewest = bound(least.reads, least.writes);
    console.log(
      `| ${m.flows} | ${m.name} | ${calls.reads} (${least.reads}) | ${calls.writes} (${least.writes}) | ` +
        `${ratio(m)} | ${calls.throttled} | ${seconds(m.ms)} | ${fewest.toFixed(1)} | ` +
        `${bound(calls.reads, calls.writes).toFixed(1)} | ${seconds(cli)} | ${(cli / 1000 + fewest).toFixed(1)} | ` +
        `${m.ok ? "yes" : "NO"} |`,
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

  const measures: Measure[] = [];
  const baseline = new Map<number, Measure>();
  const project = await benchProject(root);
  try {
    for (const flows of [50, 200, 1000]) {
      const bench = await stackBench({ project, binDir: cli.binDir, flows, minimum: minimum(flows) });
      try {
        // The engine runs at most this many resource operations at once; reads can be coalesced only across
        // those. At the CLI's default (4 × CPUs: 8 here) a refresh of N flows needs N / 8 list reads.
        const parallel = flows;
        const step = async (
          name: string,
          operation: Parameters<typeof bench.run>[1],
          status = declared,
          engine: number | "default" = parallel,
        ) => {
          const m = await bench.run(name, operation, status, engine === "default" ? undefined : engine);
          process.stderr.write(
            `  ${flows} flows, ${name}: ${seconds(m.ms)} s, ${m.calls.reads} reads, ${m.calls.writes} writes\n`,
          );
          return m;
        };
        measures.push(await step("up (from scratch)", "up"));
        const preview = await step("preview", "preview");
        baseline.set(flows, preview);
        measures.push(
          preview,
          await step("up (no change)", "up"),
          await step("preview --refresh", "preview-refresh"),
        );
        measures.push(
          await step("preview --refresh, default parallelism", "preview-refresh", declared, "default"),
        );
        measures.push(await step("up (one flow changed)", "up", changed));
        measures.push(await step("destroy", "destroy", changed));
      } finally {
        await bench.close();
      }
    }
  } finally {
    await project.close();
  }
  print(measures, baseline);

  console.log(
    "\n## Emulator throughput (16 concurrent keep-alive clients, rate limits off; warmed up, median of 3 " +
      "alternating rounds)\n",
  );
  console.log("| server | request | requests | req/s | p50 ms | p99 ms |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const t of await throughput()) {
    console.log(
      `| ${t.server} | ${t.operation} | ${t.requests} | ${t.perSecond.toFixed(0)} | ${t.p50Ms.toFixed(2)} | ` +
        `${t.p99Ms.toFixed(2)} |`,
    );
  }
  console.log("\n## Emulator `GET /flows` on 1,000 flows (rate limits off, one request at a time)\n");
  console.log("| request | answer | p50 ms | max ms |");
  console.log("| --- | --- | --- | --- |");
  for (const t of await listTimes()) {
    console.log(
      `| ${t.request} | ${(t.bytes / 1e6).toFixed(2)} MB | ${t.p50Ms.toFixed(1)} | ${t.maxMs.toFixed(1)} |`,
    );
  }
  console.log(`\nTotal bench time: ${seconds(performance.now() - started)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
