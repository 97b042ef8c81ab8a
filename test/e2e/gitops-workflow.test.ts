/**
 * The GitOps workflow of examples/gitops, run against the emulator: every `pulumi` and `pulumi-nexla` command
 * its jobs run, in the workflow's order (pull request, merge, nightly), read from the workflow file itself. A
 * command this test does not know fails it, so the workflow cannot change without this test following.
 * Pulumi runs through the Automation API (the harness), since its Node language host is not available here.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { parse } from "yaml";
import { nexlaBin } from "./export-bin.js";
import { root, useHarness } from "./harness.js";

const workflowFile = join(root, "examples/gitops/.github/workflows/nexla-flows.yml");

interface Workflow {
  readonly jobs: Record<
    string,
    { readonly if: string; readonly steps: readonly { run?: string; if?: string }[] }
  >;
}

/** Each job's commands that talk to Pulumi or Nexla, as `[job, step condition, command]`. */
async function commands(): Promise<[string, string, string][]> {
  const workflow = parse(await readFile(workflowFile, "utf8")) as Workflow;
  return Object.entries(workflow.jobs).flatMap(([job, { steps }]) =>
    steps.flatMap((step) =>
      (step.run ?? "")
        .split("\n")
        .filter((line) => /^\s*(npx )?pulumi(-nexla)? /.test(line))
        .map((line): [string, string, string] => [job, step.if ?? "success()", line.trim()]),
    ),
  );
}

const h = useHarness({ resetEachTest: false });

it("the workflow's jobs run preview on a pull request, up on merge, and a nightly drift check", async () => {
  expect(await commands()).toEqual([
    ["preview", "success()", 'pulumi preview --diff --stack "$PULUMI_STACK" 2>&1 | tee preview.txt'],
    ["up", "success()", 'pulumi up --yes --stack "$PULUMI_STACK"'],
    ["drift", "success()", 'pulumi preview --refresh --expect-no-changes --diff --stack "$PULUMI_STACK"'],
    ["drift", "failure()", 'npx pulumi-nexla drift --flows flows.yaml | tee -a "$GITHUB_STEP_SUMMARY"'],
  ]);
});

it("runs those commands in that order against the emulator, and the nightly job names the drifted flow", async () => {
  await h.writeFile("flows.yaml", await readFile(join(root, "examples/gitops/flows.yaml"), "utf8"));
  const config = { "gitops:flowsFile": { value: join(h.workDir, "flows.yaml") } };
  const nightlyOutputs: string[] = [];
  /** One workflow command; answers whether its step failed. */
  const run = async (command: string): Promise<boolean> => {
    if (command.startsWith("pulumi preview --diff")) {
      const r = await h.stack("gitops", "preview", { config });
      expect(r.error).toBeUndefined();
      return !r.ok;
    }
    if (command.startsWith("pulumi up --yes")) return !(await h.stack("gitops", "up", { config })).ok;
    if (command.startsWith("pulumi preview --refresh --expect-no-changes")) {
      const r = await h.stack("gitops", "preview-refresh", { config });
      // --expect-no-changes: the step fails when the preview has anything but unchanged resources.
      return !r.ok || Object.keys(r.changes).some((op) => op !== "same");
    }
    if (command.startsWith("npx pulumi-nexla drift --flows flows.yaml")) {
      const failed = await nexlaBin(h, ["drift", "--flows", "flows.yaml"]).then(
        ({ stdout }) => (nightlyOutputs.push(stdout), false),
        (e: { stdout: string; code: number }) => (nightlyOutputs.push(e.stdout), e.code !== 0),
      );
      return failed;
    }
    throw new Error(`The workflow runs "${command}", which this test does not know: add it here.`);
  };
  /** Runs a job's commands as Actions would: a failure() step only after a failed step. */
  const job = async (name: string): Promise<boolean> => {
    let failed = false;
    for (const [, condition, command] of (await commands()).filter(([j]) => j === name)) {
      if ((condition === "failure()") === failed) failed = (await run(command)) || failed;
    }
    return failed;
  };

  expect(await job("preview")).toBe(false); // pull request
  expect(h.writes()).toEqual([]);
  expect(await job("up")).toBe(false); // merge to main: adopts; billing-export is PAUSED already
  expect(await job("drift")).toBe(false); // a quiet night
  expect(nightlyOutputs).toEqual([]);

  h.emulator.control.setStatus("data_sink", 3100, "PAUSED"); // someone, in Nexla's UI
  h.emulator.control.clearRequests();
  expect(await job("drift")).toBe(true);
  expect(nightlyOutputs).toEqual([
    "Drift: 1 of 3 Flows in flows.yaml differ from Nexla.\n" +
      "  clickstream (flow 200): data_sink 3100 is PAUSED, declared ACTIVE\n" +
      "Run `pulumi up` to put Nexla back as declared, or keep what Nexla has now: `pulumi-nexla export " +
      "--update flows.yaml` adopts 0 of them (a scope whose resources agree in Nexla now); the other 1 are " +
      "MIXED in Nexla: change the file by hand (e.g. split the entry) or let `pulumi up` restore them.\n" +
      "Note: drift reads the file and Nexla, not the stack: a Flow whose anchor Nexla moved to another flow " +
      "since `pulumi up` adopted it is compared with the flow the anchor is in now; `pulumi preview --refresh` " +
      "finds the move.\n",
  ]);
  expect(h.writes()).toEqual([]);
});
