/**
 * `npm run bench`: figures, printed, never asserted (docs/design.md §2). Two parts:
 * 1. on 50, 200 and 1,000 flows, each Pulumi operation's HTTP calls next to the fewest that do the job, and its
 *    wall time next to the lower bound Nexla's per-user rate limits set (light reads 12/s, writes 8/s) and the
 *    CLI's own time (a `preview` that makes no call) — at the CLI's default parallelism (4 × CPUs), what users
 *    run, and with the engine's parallelism set to the number of flows (`--parallel N`);
 * 2. emulator throughput on flow reads and writes, next to a minimal Node.js HTTP server, and the time of its
 *    `GET /flows` on 1,000 flows.
 * Runs against the emulator on 127.0.0.1 with the real Pulumi CLI; takes about twenty-five minutes on 2 cores.
 */
import { cpus } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { benchProject, pulumiBinDir, stackBench, type Measure, type Run, type Status } from "./stacks.js";
import { listTimes, throughput } from "./throughput.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const READS_PER_SECOND = 12;
const WRITES_PER_SECOND = 8;
/** The CLI's default parallelism: 4 × CPUs. */
const DEFAULT_PARALLEL = 4 * cpus().length;

/** Seed: every flow ACTIVE. Declared: odd flows PAUSED, so half need one write; `changed` flips flow 2. */
const declared = (k: number): Status => (k % 2 === 1 ? "PAUSED" : "ACTIVE");
const inSync = (): Status => "ACTIVE";
const changed = (k: number): Status => (k === 2 ? "PAUSED" : declared(k));

/**
 * The fewest calls each run needs. Every Flow needs a view of its flow, and one `GET /flows` gives the view of
 * every flow the user may operate (Nexla returns them all without paging parameters, docs/nexla-api.md §5.3;
 * `access_role=operator` for flows the user does not own, one list either way).
 * - A refresh is a picture of one moment: one list, at any parallelism.
 * - A read that a write follows is served only by a call sent after it was asked for, and the engine runs at
 *   most `parallel` steps at once: one list per `parallel` Flows (one list when `parallel` ≥ the flows).
 * - `up` writes only to flows out of sync, and the write's answer confirms it. In sync: nothing. A one-flow
 *   change: one read of that flow (a single GET) and one write. `destroy` pauses the active flows (Nexla refuses
 *   to delete them) and deletes each.
 */
function minimum(flows: number) {
  return (run: Run): { reads: number; writes: number } => {
    const batches = Math.ceil(flows / Math.min(run.parallel ?? DEFAULT_PARALLEL, flows));
    const outOfSync = Array.from({ length: flows }, (_, i) => i + 1).filter(
      (k) => run.statusOf(k) === "PAUSED",
    ).length;
    switch (run.operation) {
      case "up":
        if (run.name.startsWith("up from scratch")) return { reads: batches, writes: outOfSync };
        return run.name.includes("one flow changed") ? { reads: 1, writes: 1 } : { reads: 0, writes: 0 };
      case "preview-refresh":
        return { reads: 1, writes: 0 };
      case "destroy":
        return { reads: batches, writes: flows + (flows - outOfSync) };
      default:
        return { reads: 0, writes: 0 };
    }
  };
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const bound = (reads: number, writes: number) =>
  Math.max(reads / READS_PER_SECOND, writes / WRITES_PER_SECOND);
const parallelism = (m: Measure) =>
  m.parallel === undefined ? `default (${DEFAULT_PARALLEL})` : String(m.parallel);

function ratio(m: Measure): string {
  const actual = m.calls.reads + m.calls.writes;
  const least = m.minimum.reads + m.minimum.writes;
  if (least === 0) return actual === 0 ? "— (0 = 0)" : `${actual} calls, none needed`;
  return (actual / least).toFixed(2);
}

/** The `preview` of the same size, parallelism and load: the CLI's own time, with no call. */
type Baselines = Map<string, Measure>;
const baselineKey = (m: Pick<Measure, "flows" | "parallel">, load: boolean) =>
  `${m.flows} ${m.parallel ?? "default"} ${load}`;

function print(measures: readonly Measure[], baselines: Baselines): void {
  console.log(
    "\n## Calls and wall time per operation (reads / writes: made (fewest needed); bounds at reads 12/s, " +
      "writes 8/s)\n",
  );
  console.log(
    "| flows | operation | parallelism | reads | writes | calls ÷ fewest | 429s | wall s | bound, fewest calls s | " +
      "CLI time without calls s | wall ÷ CLI time | ok |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const m of measures) {
    const { calls, minimum: least } = m;
    const cli = baselines.get(baselineKey(m, m.name.includes("CPU busy")))?.ms ?? 0;
    console.log(
      `| ${m.flows} | ${m.name} | ${parallelism(m)} | ${calls.reads} (${least.reads}) | ${calls.writes} ` +
        `(${least.writes}) | ${ratio(m)} | ${calls.throttled} | ${seconds(m.ms)} | ` +
        `${bound(least.reads, least.writes).toFixed(1)} | ${seconds(cli)} | ` +
        `${cli > 0 ? (m.ms / cli).toFixed(2) : "—"} | ${m.ok ? "yes" : "NO"} |`,
    );
  }
  console.log(
    "\n## `up` from scratch against its baseline: the same stack's `up` in sync (no write) + its writes at 8/s\n",
  );
  console.log(
    "| flows | operation | parallelism | wall s | in-sync `up` s | writes ÷ 8/s | wall ÷ (in sync + writes) |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const m of measures.filter((x) => x.name.startsWith("up from scratch") && x.calls.writes > 0)) {
    const sync = measures.find(
      (x) => x.flows === m.flows && x.parallel === m.parallel && x.name === "up from scratch, in sync",
    );
    if (sync === undefined) continue;
    const writes = m.calls.writes / WRITES_PER_SECOND;
    console.log(
      `| ${m.flows} | ${m.name} | ${parallelism(m)} | ${seconds(m.ms)} | ${seconds(sync.ms)} | ` +
        `${writes.toFixed(1)} | ${(m.ms / (sync.ms + writes * 1000)).toFixed(2)} |`,
    );
  }
}

/**
 * `--only TEXT` (repeatable): only the runs whose name holds one of the TEXTs (and each `preview`, the CLI-time
 * baseline), to measure a few rows again; a run on a stack an earlier `up` makes needs that `up` too, e.g.
 * `--only "up from scratch" --only "preview --refresh"`. `--flows N` (repeatable): only those sizes.
 */
const argValues = (flag: string) =>
  process.argv.flatMap((a, i) => (a === flag ? [process.argv[i + 1] ?? ""] : []));
const only = argValues("--only");
const sizes = argValues("--flows").map(Number);
const chosen = (run: Run) =>
  only.length === 0 || run.operation === "preview" || only.some((t) => run.name.includes(t));

/** The runs on `flows` flows at one parallelism (undefined: the CLI's default), in order. */
function runs(flows: number, parallel: number | undefined): Run[] {
  const at = { parallel };
  const stack = `main-${parallel ?? "default"}`;
  const main: Run[] = [
    {
      ...at,
      name: "up from scratch, in sync",
      operation: "up",
      statusOf: inSync,
      stack: `sync-${parallel ?? "default"}`,
      reset: true,
    },
    { ...at, name: "up from scratch", operation: "up", statusOf: declared, stack, reset: true },
    { ...at, name: "preview", operation: "preview", statusOf: declared, stack },
    { ...at, name: "up, nothing changed", operation: "up", statusOf: declared, stack },
    { ...at, name: "preview --refresh", operation: "preview-refresh", statusOf: declared, stack },
  ];
  // A slower machine: the same refresh, and its baseline, with another process keeping one CPU busy.
  const busy = { ...at, statusOf: declared, stack, load: true };
  const extra: Run[] =
    parallel === undefined && flows === 1000
      ? [
          { ...busy, name: "preview, one CPU busy", operation: "preview" },
          { ...busy, name: "preview --refresh, one CPU busy", operation: "preview-refresh" },
        ]
      : [];
  const last: Run[] = [
    { ...at, name: "up, one flow changed", operation: "up", statusOf: changed, stack },
    { ...at, name: "destroy", operation: "destroy", statusOf: changed, stack },
  ];
  const defaultOnly: Run[] =
    parallel !== undefined
      ? []
      : [
          {
            ...at,
            name: "up from scratch, PULUMI_SKIP_CHECKPOINTS=true",
            operation: "up",
            statusOf: declared,
            stack: "skip",
            reset: true,
            env: { PULUMI_SKIP_CHECKPOINTS: "true" },
          },
          {
            ...at,
            name: "up from scratch, flows another user owns",
            operation: "up",
            statusOf: declared,
            stack: "ops",
            user: "operator",
            reset: true,
          },
          {
            ...at,
            name: "preview --refresh, flows another user owns",
            operation: "preview-refresh",
            statusOf: declared,
            stack: "ops",
            user: "operator",
          },
        ];
  return [...main, ...extra, ...last, ...defaultOnly];
}

async function main(): Promise<void> {
  const started = performance.now();
  const cli = await pulumiBinDir(root);
  console.log(
    `# pulumi-nexla benchmarks\n\nNode ${process.version}, Pulumi CLI ${cli.version}, ${cpus().length} CPUs ` +
      `(${cpus()[0]?.model ?? "unknown"}); emulator on 127.0.0.1 with Nexla's default per-user rate limits.`,
  );

  const measures: Measure[] = [];
  const baselines: Baselines = new Map();
  const project = await benchProject(root);
  try {
    for (const flows of [50, 200, 1000].filter((n) => sizes.length === 0 || sizes.includes(n))) {
      const bench = await stackBench({ project, binDir: cli.binDir, flows, minimum: minimum(flows) });
      try {
        for (const parallel of [undefined, flows]) {
          for (const run of runs(flows, parallel).filter(chosen)) {
            const m = await bench.run(run);
            process.stderr.write(
              `  ${flows} flows, ${run.name}, parallelism ${parallelism(m)}: ${seconds(m.ms)} s, ` +
                `${m.calls.reads} reads, ${m.calls.writes} writes\n`,
            );
            if (run.operation === "preview") baselines.set(baselineKey(m, run.load === true), m);
            measures.push(m);
          }
        }
      } finally {
        await bench.close();
      }
    }
  } finally {
    await project.close();
  }
  print(measures, baselines);

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
