/**
 * The Python example (examples/python) through the real Pulumi CLI, run by Pulumi's Python Automation API as an
 * inline program (tools/python/stack.py) in the venv of tools/python/ensure.mjs, with the committed SDK
 * (sdk/python) installed by pip, the example's Pulumi.yaml and the native plugin installed as npm installs it
 * (node_modules/.bin, which that Pulumi.yaml names). Credentials are stack config, the service key a secret.
 * Judged by what the emulator holds.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { expect, it } from "vitest";
import { ensurePulumi } from "../../tools/pulumi-cli/ensure.mjs";
import { ensurePythonVenv } from "../../tools/python/ensure.mjs";
import type { OperationResult } from "../../tools/stack.js";
import { credentials, installNativePlugin, resourcesOfFlow, root, useHarness } from "./harness.js";
import { expectReadmeFlowsDestroyed, expectReadmeFlowsUp } from "./readme-flows.js";

const h = useHarness({ resetEachTest: false });

type Operation = "up" | "preview-refresh-expect-no-changes" | "refresh" | "up-refresh" | "destroy";
type Run = (operation: Operation) => Promise<OperationResult>;
let once: Promise<Run> | undefined;

/** The file's project folder, set up by the first test that needs it. */
const project = () => (once ??= setUp());

async function setUp(): Promise<Run> {
  const { python } = ensurePythonVenv();
  const cli = ensurePulumi().binDir;
  const dir = join(h.workDir, "python");
  await installNativePlugin(dir);
  const options = {
    program: join(root, "examples/python/__main__.py"),
    // The example's own Pulumi.yaml, whose plugins.providers names node_modules/.bin.
    projectFile: join(root, "examples/python/Pulumi.yaml"),
    project: "python",
    stack: "e2e",
    workDir: dir,
    pulumiBinDir: cli,
    config: {
      "nexla:apiUrl": { value: h.api.url },
      "nexla:serviceKey": { value: credentials.superKey, secret: true },
    },
    // The plugin runs on the project's Node (22), found first on PATH.
    env: { PATH: [dirname(process.execPath), cli, process.env["PATH"]].join(":") },
  };
  const env = { ...process.env, NEXLA_API_URL: "", NEXLA_SERVICE_KEY: "", NEXLA_ACCESS_TOKEN: "" };
  return (operation) =>
    new Promise((resolve, reject) =>
      execFile(
        python,
        [join(root, "tools/python/stack.py"), JSON.stringify(options), operation],
        { cwd: dir, env, maxBuffer: 64 << 20 },
        (error, stdout, stderr) =>
          error === null
            ? resolve(JSON.parse(stdout) as OperationResult)
            : reject(new Error(`tools/python/stack.py ${operation} failed:\n${stdout}\n${stderr}`)),
      ),
    );
}

const sorted = (lines: readonly string[]) => [...lines].sort();
const said = (r: OperationResult) => `${r.error ?? ""}\n${r.stdout}\n${r.stderr}`;

it("up adopts and reconciles the flows, refresh and preview --refresh see Nexla, destroy deletes them", async () => {
  const run = await project();

  const up = await run("up");
  expect(up.ok, said(up)).toBe(true);
  expect(up.changes).toEqual({ create: 4 }); // the stack and its three Flows
  expectReadmeFlowsUp(h, up.stdout);
  expect(up.outputs?.["ordersStatus"]).toBe("ACTIVE");
  expect(up.outputs?.["billingOwner"]).toEqual({ ownerId: 2, orgId: 2 });
  // The service key is stored encrypted, as the schema marks it.
  const state = await readFile(
    join(h.workDir, "python/.pulumi-state/.pulumi/stacks/python/e2e.json"),
    "utf8",
  );
  expect(state).toContain("nexla:index:Flow");
  expect(state).not.toContain(credentials.superKey);

  h.emulator.control.clearRequests();
  const clean = await run("preview-refresh-expect-no-changes");
  expect(clean.ok, said(clean)).toBe(true);
  expect(h.writes()).toEqual([]);

  // Someone pauses the orders sink in Nexla's UI: refresh stores it (no write), then the preview fails naming
  // what changed, and `up --refresh` corrects it.
  h.emulator.control.setStatus("data_sink", 3000, "PAUSED");
  const refresh = await run("refresh");
  expect(refresh.ok, said(refresh)).toBe(true);
  expect(refresh.changes).toEqual({ same: 3, update: 1 });
  expect(h.writes()).toEqual([]);
  const drift = await run("preview-refresh-expect-no-changes");
  expect(drift.ok).toBe(false);
  expect(said(drift)).toContain("~  nexla:index:Flow orders update [diff: ~status]");
  expect(h.writes()).toEqual([]);
  const fix = await run("up-refresh");
  expect(fix.ok, said(fix)).toBe(true);
  expect(h.writes()).toEqual(["PUT /flows/100/activate?full_tree=1"]);
  expect(resourcesOfFlow(h, 100)).toEqual([
    "data_source 1000 ACTIVE",
    "data_set 2000 ACTIVE",
    "data_sink 3000 ACTIVE",
  ]);

  h.emulator.control.clearRequests();
  const destroy = await run("destroy");
  expect(destroy.ok, said(destroy)).toBe(true);
  expect(destroy.changes).toEqual({ delete: 4 });
  // Only the sub-flow below data set 2101 went; the rest of clickstream is left as it was.
  expectReadmeFlowsDestroyed(h);
  expect(sorted(h.writes())).toEqual([
    "DELETE /data_sets/2101/flow",
    "DELETE /data_sources/1200/flow?all=1",
    "DELETE /flows/100?full_tree=1",
    "PUT /data_sources/1200/flow/pause?all=1",
    "PUT /flows/100/pause?full_tree=1",
  ]);
});
