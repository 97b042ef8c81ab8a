/**
 * Interrupted runs, as a user or a CI runner interrupts them, part-way through `up` or `destroy`: Ctrl+C
 * (SIGINT to the foreground process group: the stack runner and the pulumi CLI) or a killed job (SIGKILL to
 * every process of the run). Then what a user does with the local file backend: `pulumi refresh
 * --clear-pending-creates`, then `pulumi up`. Every test runs twice, on stacks of its own: with the dynamic
 * `Flow`, and with `NativeFlow` served by the native plugin (`pulumi-resource-nexla`). What this shows about the
 * CLI (3.274), alike for both providers:
 * - the provider plugin runs in a process group of its own, which Ctrl+C does not reach. On SIGINT the CLI sends
 *   it Cancel over gRPC (the native plugin then refuses any new request), the runner ending sends the CLI
 *   SIGTERM, and the CLI signals the plugin's group with SIGINT as it closes it (the native plugin exits 0
 *   through its handler, the dynamic provider's node dies of it), then itself dies of SIGPIPE writing to the
 *   runner's closed pipe: the run is over within about 0.2 s. That death sometimes comes first, and the plugin
 *   lives on (seen with the dynamic provider). Seen with PULUMI_DEBUG_GRPC, strace and exit statuses;
 * - the interrupted update keeps the stack's lock file after SIGKILL, and after SIGINT too when the inline
 *   program's host dies with the CLI; every later operation then fails with "the stack is currently locked",
 *   and `pulumi cancel` deletes the lock (it is not only for the Pulumi Cloud backend);
 * - a SIGKILL, or the CLI's death after a SIGINT, can leave the stack file's metadata sidecar empty, and every
 *   later command then fails with "failed to load checkpoint: EOF": deleting the empty `<stack>.json.attrs`
 *   repairs it;
 * - the checkpoint records every operation in flight at the kill as a pending operation (seen: 4 to 8 Flows, of
 *   the provider's own type), so every flow left in a state nobody asked for is named there, and the next run
 *   warns about them; only a refresh with `--clear-pending-creates` (or an interactive one) clears pending
 *   creates.
 */
import { readFileSync } from "node:fs";
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  flowResources,
  flowTypeOf,
  originNodeOf,
  pendingOperations,
  pollUntil,
  startLoadHarness,
  statusesOf,
  type LoadHarness,
  type Run,
  type RunOptions,
} from "./harness.js";
import type { Door } from "../../tools/e2e-programs/declared.js";

/** Every test runs once per provider, on stacks of its own: the dynamic `Flow`, and `NativeFlow` on the plugin. */
const doors: readonly Door[] = ["dynamic", "native"];
const FLOWS = 200;
let h: LoadHarness;
beforeAll(async () => {
  h = await startLoadHarness({ flows: FLOWS });
});
afterAll(async () => h?.close());
beforeEach(() => {
  h.emulator.control.reset();
  h.clearRequests();
});

const answered = (method: string, status = 200) =>
  h.requests().filter((r) => r.method === method && r.status === status).length;
/** Waits (bounded) until the emulator answered `count` requests of `method` with 200. */
const untilAnswered = (method: string, count: number) =>
  pollUntil(`${count} ${method} requests answered 200`, () => answered(method) >= count, {
    seen: () => `${answered(method)}`,
  });
const flowsWhere = (flows: number, test: (statuses: string[]) => boolean) =>
  Array.from({ length: flows }, (_, i) => i + 1).filter((k) => test(statusesOf(h.emulator, k)));
const all = (status: string) => (statuses: string[]) =>
  statuses.length === 3 && statuses.every((s) => s === status);
/**
 * A process's command line, for a report. The native plugin is at times still exiting when the run is over (its
 * process group is its own, which the run does not wait for): its command line then reads empty, or it is gone.
 */
function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim() || `${pid} (exiting)`;
  } catch {
    return `${pid} (exited)`;
  }
}

/** `flow-12` from a URN. */
const nameOf = (urn: string) => urn.split("::").pop() ?? urn;

function expectOk(run: Run): void {
  expect(run.result?.error).toBeUndefined();
  // No result at all: the runner failed before the CLI answered; its own output says why.
  expect(run.result?.ok, `runner exited ${run.code}: ${run.stderr.slice(-2000)}`).toBe(true);
}

async function checkpoint(options: RunOptions) {
  const exported = await h.run("export", options);
  expectOk(exported);
  return exported.result?.deployment;
}

/**
 * A SIGKILL while the file backend writes the stack can leave its `<stack>.json.attrs` sidecar empty (the
 * stack file itself is replaced atomically); later commands then fail with "error: failed to load checkpoint:
 * EOF" (seen in about one kill in four) — or, in some runs, read the stack without it (the CLI does not always
 * consult the sidecar). Deleting the empty sidecar repairs it. Answers the files deleted, after checking that
 * the CLI either refused the stack for exactly that reason or read it.
 */
async function repairEmptySidecar(stack: string): Promise<string[]> {
  const dir = join(h.workDir, ".pulumi-state", ".pulumi", "stacks", "many-flows");
  const empty: string[] = [];
  for (const name of await readdir(dir)) {
    if (name.endsWith(".attrs") && (await stat(join(dir, name))).size === 0) empty.push(name);
  }
  if (empty.length > 0) {
    const probe = await h.cli(["stack", "export", "--stack", `organization/many-flows/${stack}`]);
    if (probe.code !== 0)
      expect(probe).toEqual({ code: 1, output: "error: failed to load checkpoint: EOF\n" });
    else
      expect(probe.output).toContain(
        `"urn:pulumi:${stack}::many-flows::pulumi:pulumi:Stack::many-flows-${stack}"`,
      );
    for (const name of empty) await rm(join(dir, name));
  }
  return empty;
}

/**
 * After the kill: every flow the killed `up` paused is in state or named by a pending operation; nothing was
 * paused that the program does not declare PAUSED.
 */
async function expectEveryTouchedFlowAccountedFor(options: RunOptions & { door: Door }): Promise<void> {
  const deployment = await checkpoint(options);
  const flows = flowResources(deployment, options.door);
  const pending = pendingOperations(deployment);
  expect(pending.filter((p) => p.resource.type !== flowTypeOf[options.door])).toEqual([]);
  const known = new Set([...flows, ...pending.map((p) => p.resource)].map((r) => nameOf(r.urn)));
  const paused = flowsWhere(FLOWS, all("PAUSED"));
  expect(paused.length).toBeGreaterThanOrEqual(60);
  expect(paused.filter((k) => !known.has(`flow-${k}`))).toEqual([]);
  console.log(
    `${options.door}, killed: ${paused.length} flows paused, ${flows.length} in state, ` +
      `pending: ${pending.map((p) => `${p.type} ${nameOf(p.resource.urn)}`).join(", ")}`,
  );
}

const locked = "error: the stack is currently locked by 1 lock(s).";

/** `pulumi cancel` as the locked error says; true when there was a lock to delete. */
async function cancel(stack: string): Promise<boolean> {
  const result = await h.cli([
    "cancel",
    "--yes",
    "--non-interactive",
    "--stack",
    `organization/many-flows/${stack}`,
  ]);
  expect(result.code, result.output).toBe(0);
  return result.output === `The currently running update for '${stack}' has been canceled!\n`;
}

/**
 * What a user runs after the kill: `pulumi refresh --clear-pending-creates` (a non-interactive refresh leaves
 * pending creates in place: "`pulumi refresh` will need to be run interactively to clear pending CREATE
 * operations"; the stack runner cannot pass the flag, so the CLI runs it), after `pulumi cancel` if the stack
 * is still locked. Says which was needed.
 */
async function refresh(stack: string): Promise<string> {
  const args = ["refresh", "--clear-pending-creates", "--yes", "--skip-preview", "--non-interactive"];
  const run = () => h.cli([...args, "--stack", `organization/many-flows/${stack}`]);
  let result = await run();
  let steps = "refresh --clear-pending-creates";
  if (result.code !== 0 && result.output.includes(locked)) {
    expect(await cancel(stack)).toBe(true);
    result = await run();
    steps = `cancel, ${steps}`;
  }
  expect(result.code, result.output.slice(-2000)).toBe(0);
  return steps;
}

/** `refresh` then `up` reach the declared state with no needless write, and a preview then shows no changes. */
async function recover(options: RunOptions & { stack: string; door: Door }): Promise<void> {
  console.log(`recovery after the kill: ${await refresh(options.stack)}, up`);
  const left = flowsWhere(FLOWS, all("ACTIVE"));
  h.clearRequests();
  const up = await h.run("up", options);
  expectOk(up);
  for (let k = 1; k <= FLOWS; k += 1)
    expect(statusesOf(h.emulator, k), `flow ${k}`).toEqual(Array(3).fill("PAUSED"));
  const writes = h.requests().filter((r) => r.method === "PUT" && r.status === 200);
  expect(writes.map((r) => r.path).sort()).toEqual(left.map((k) => `/flows/${originNodeOf(k)}/pause`).sort());
  const deployment = await checkpoint(options);
  expect(pendingOperations(deployment)).toEqual([]);
  const flows = flowResources(deployment, options.door);
  expect(flows).toHaveLength(FLOWS);
  expect(flows.filter((r) => r.outputs?.["status"] !== "PAUSED")).toEqual([]);
  const preview = await h.run("preview", options);
  expect(preview.result?.changes).toEqual({ same: FLOWS + 1 });
}

describe.each(doors)("served by the %s provider", (door) => {
  describe("an interrupted pulumi up on 200 flows", () => {
    it("after Ctrl+C (SIGINT), refresh then up reach the declared state", async () => {
      const options = { flows: FLOWS, status: "PAUSED", stack: `${door}-sigint`, door } as const;
      const running = h.start("up", options);
      await untilAnswered("PUT", 60);
      running.kill("SIGINT");
      const killed = await running.done;
      expect(killed.result).toBeUndefined();
      // The provider plugin runs in a process group of its own, which Ctrl+C does not reach; the CLI signals it
      // as it closes it, but does not always get to before it dies (see above), nor does the run wait for the
      // plugin to exit. Reported, then ended here.
      const left = running.leftovers().map(commandOf);
      console.log(
        `after Ctrl+C, processes of the run still alive: ${left.length ? left.join("; ") : "none"}`,
      );
      running.kill("SIGKILL");
      // The CLI's death after Ctrl+C can catch the file backend mid-write, as a SIGKILL does.
      console.log(`empty stack sidecars deleted: ${(await repairEmptySidecar(options.stack)).length}`);
      await expectEveryTouchedFlowAccountedFor(options);
      await recover(options);
    });

    it("after SIGKILL, up is refused while the lock stays; cancel, refresh and up reach the declared state", async () => {
      const options = { flows: FLOWS, status: "PAUSED", stack: `${door}-sigkill`, door } as const;
      const running = h.start("up", options);
      await untilAnswered("PUT", 60);
      running.kill("SIGKILL");
      await running.done;
      console.log(
        `empty stack sidecars deleted after the kill: ${(await repairEmptySidecar(options.stack)).length}`,
      );
      await expectEveryTouchedFlowAccountedFor(options);
      const again = await h.run("up", options);
      expect(again.result?.ok).toBe(false);
      expect(again.result?.error).toContain(locked);
      expect(await cancel(options.stack)).toBe(true);
      await recover(options);
    });
  });

  describe("an interrupted pulumi destroy", () => {
    it("leaves each flow it paused but did not delete named by a pending delete; destroy again deletes them", async () => {
      const flows = 60;
      const options = { flows, stack: `${door}-destroy`, door } as const;
      expectOk(await h.run("up", options));
      const running = h.start("destroy", options);
      await untilAnswered("DELETE", 10);
      // From now on deletes hang (then drop, changing nothing), so the flows paused next wait for them at the kill.
      h.emulator.control.injectFault({
        method: "DELETE",
        path: /^\/flows\//,
        latencyMs: 20_000,
        drop: true,
        times: Infinity,
      });
      const deleted = () => flowsWhere(flows, (statuses) => statuses.length === 0).length;
      await pollUntil("8 flows paused by the destroy", () => flowsWhere(flows, all("PAUSED")).length >= 8, {
        seen: () => `${flowsWhere(flows, all("PAUSED")).length} paused`,
      });
      running.kill("SIGKILL");
      await running.done;
      await repairEmptySidecar(options.stack);
      const pausedNotDeleted = flowsWhere(flows, all("PAUSED"));
      const pending = pendingOperations(await checkpoint(options));
      const deleting = new Set(
        pending.filter((p) => p.type === "deleting").map((p) => nameOf(p.resource.urn)),
      );
      expect(pausedNotDeleted.filter((k) => !deleting.has(`flow-${k}`))).toEqual([]);
      console.log(
        `killed destroy: ${deleted()} flows deleted; paused, not deleted: ${pausedNotDeleted.join(", ")}; ` +
          `pending deletes: ${deleting.size}`,
      );

      h.emulator.control.clearFaults();
      expect(await cancel(options.stack)).toBe(true);
      // Had the user changed their mind and run `up`: without a refresh the engine cannot know that those flows
      // were paused (state still says ACTIVE), so a plain preview plans nothing for them; with --refresh it plans
      // to activate each one again.
      const plain = await h.run("preview", options);
      expect(plain.result?.changes["update"]).toBeUndefined();
      const refreshed = await h.run("preview-refresh", options);
      expect(refreshed.result?.changes["update"]).toBe(pausedNotDeleted.length);

      const destroy = await h.run("destroy", options);
      expectOk(destroy);
      for (let k = 1; k <= flows; k += 1) expect(statusesOf(h.emulator, k), `flow ${k}`).toEqual([]);
      expect(flowResources(await checkpoint(options), door)).toEqual([]);
    });
  });
});
