/**
 * The yaml example (examples/yaml) through the real Pulumi CLI and its YAML language host, built from pinned Go
 * modules (tools/pulumi-yaml), with the native plugin installed as npm installs it: `node_modules/.bin/
 * pulumi-resource-nexla`, which the example's Pulumi.yaml names. Credentials are stack config, the service key a
 * secret. Judged by what the emulator holds and by the CLI's output.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { packageSchema } from "../../src/declaration/package-schema.js";
import { credentials, root, useHarness } from "./harness.js";
import { expectReadmeFlowsDestroyed, expectReadmeFlowsUp } from "./readme-flows.js";
import { yamlProject, type YamlProject } from "./yaml-project.js";

const h = useHarness({ resetEachTest: false });

type Pulumi = YamlProject["pulumi"];
let once: Promise<Pulumi> | undefined;

/** The file's project folder, set up by the first test that needs it. */
const project = () => (once ??= setUp());

/** A project folder holding the example and the plugin as `npm install` would place it. */
async function setUp(): Promise<Pulumi> {
  const yaml = await yamlProject(join(h.workDir, "yaml"));
  await yaml.writeProgram(await readFile(join(root, "examples/yaml/Pulumi.yaml"), "utf8"));
  return yaml.pulumi;
}

it("up adopts and reconciles the flows, preview --refresh finds nothing to change, destroy deletes them", async () => {
  const pulumi = await project();
  expect((await pulumi(["stack", "init", "e2e"])).code).toBe(0);
  expect((await pulumi(["config", "set", "nexla:apiUrl", h.api.url])).code).toBe(0);
  expect((await pulumi(["config", "set", "--secret", "nexla:serviceKey", credentials.superKey])).code).toBe(
    0,
  );

  const up = await pulumi(["up", "--yes"]);
  expect(up.code, up.out).toBe(0);
  expectReadmeFlowsUp(h, up.out);
  // The service key is stored encrypted, as the schema marks it.
  const state = await readFile(join(h.workDir, "yaml/.pulumi-state/.pulumi/stacks/yaml/e2e.json"), "utf8");
  expect(state).not.toContain(credentials.superKey);

  h.emulator.control.clearRequests();
  const clean = await pulumi(["preview", "--refresh", "--expect-no-changes"]);
  expect(clean.code, clean.out).toBe(0);
  expect(h.writes()).toEqual([]);

  // Someone pauses the orders sink in Nexla's UI: the same preview now fails, and `up --refresh` corrects it.
  h.emulator.control.setStatus("data_sink", 3000, "PAUSED");
  const drift = await pulumi(["preview", "--refresh", "--expect-no-changes"]);
  expect(drift.code, drift.out).not.toBe(0);
  // The plugin's Diff names what changed: the preview says which Flow and which input.
  expect(drift.out).toContain("~  nexla:index:Flow orders update [diff: ~status]");
  expect(h.writes()).toEqual([]);
  expect((await pulumi(["up", "--refresh", "--yes"])).code).toBe(0);
  expect(h.writes()).toEqual(["PUT /flows/100/activate?full_tree=1"]);

  h.emulator.control.clearRequests();
  const destroy = await pulumi(["destroy", "--yes"]);
  expect(destroy.code, destroy.out).toBe(0);
  // Only the sub-flow below data set 2101 went; the rest of clickstream is left as it was.
  expectReadmeFlowsDestroyed(h);
  expect(h.writes()).toEqual(
    expect.arrayContaining([
      "DELETE /flows/100?full_tree=1",
      "DELETE /data_sets/2101/flow",
      "DELETE /data_sources/1200/flow?all=1",
    ]),
  );
});

it("the CLI binds the schema the plugin serves, and it is the one built from the model", async () => {
  const pulumi = await project();
  const got = await pulumi([
    "package",
    "get-schema",
    join(h.workDir, "yaml/node_modules/.bin/pulumi-resource-nexla"),
  ]);
  expect(got.code, got.out).toBe(0);
  const version = (JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { version: string })
    .version;
  expect(JSON.parse(got.stdout)).toEqual(packageSchema(version));
});
