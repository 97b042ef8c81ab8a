/**
 * `pulumi-nexla export --format pulumi-yaml` through the real bin, the real Pulumi CLI, its YAML language host and
 * the native plugin: the Pulumi.yaml it writes for the sample org, with hostile flow and resource names (a
 * `${...}` that Pulumi YAML would interpolate were it a value, a newline and U+2028 that would end a comment,
 * quotes, `#`, bidi controls, a name of spaces), is run as it is written: `up` adopts every flow with zero writes
 * to Nexla, and `preview --expect-no-changes` passes. A name that escaped its comment would change what the
 * program declares or fail it (an interpolation of a resource that does not exist). The one interpolation export
 * writes, dependsOn's `${name}` of another resource, orders the deletes Nexla refuses in the other order: one destroy
 * deletes a flow and the RAG flow linked to it.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { parse } from "yaml";
import { sampleSeed, type Seed } from "pulumi-nexla/emulator";
import { nexlaBin } from "./export-bin.js";
import { resourcesOfFlow, useHarness } from "./harness.js";
import { yamlProject } from "./yaml-project.js";

const hostile: Record<number, string> = {
  100: '${orders.status} "q" #: x\n- pwned:\u2028\u202e',
  300: "   ",
};
const hostileSet = "$${pulumi.stack} '\r\n# : & *";

/** The sample org with flows 100 and 300, and data set 2101 (a sub-flow's anchor below), renamed. */
function hostileSeed(): Seed {
  return {
    ...sampleSeed,
    flow_nodes: sampleSeed.flow_nodes.map((n) => {
      const name = hostile[n.id];
      return name !== undefined && n.id === n.origin_node_id ? { ...n, name } : n;
    }),
    data_sets: sampleSeed.data_sets.map((s) => (s.id === 2101 ? { ...s, name: hostileSet } : s)),
  };
}

const h = useHarness({ seed: hostileSeed(), resetEachTest: false });

const kinds: Record<string, string> = {
  flowId: "flow",
  dataSourceId: "data_source",
  dataSetId: "data_set",
  dataSinkId: "data_sink",
};

/** The import id (src/declaration/import-id.ts) of a Flow's properties: its anchor, and `downstream` if so. */
function importId(properties: Record<string, unknown>): string {
  const [key, id] = Object.entries(properties).find(([k]) => k in kinds) ?? [];
  return `${kinds[key ?? ""]}:${String(id)}${properties["scope"] === "downstream" ? ":downstream" : ""}`;
}

interface Program {
  readonly resources: Record<string, { type: string; properties: Record<string, unknown> }>;
}

it("writes a Pulumi.yaml that adopts the org with zero writes and previews with no changes", async () => {
  // As someone left it in Nexla's UI: the events archive of clickstream paused under a running flow (MIXED).
  h.emulator.control.setStatus("data_sink", 3100, "PAUSED");
  const { stderr } = await nexlaBin(h, ["export", "--format", "pulumi-yaml", "--with-owner"]);
  expect(stderr).toContain("wrote 14 of them as 16 Flows to Pulumi.yaml");
  const text = await readFile(join(h.workDir, "Pulumi.yaml"), "utf8");

  // The same Flows under the names every format chooses: those of the import file, for the same anchors.
  await nexlaBin(h, ["export", "--format", "import"]);
  const imported = JSON.parse(await readFile(join(h.workDir, "import.json"), "utf8")) as {
    resources: { name: string; id: string }[];
  };
  const { resources } = parse(text) as Program;
  expect(Object.entries(resources).map(([name, r]) => `${name} ${importId(r.properties)}`)).toEqual(
    imported.resources.map((r) => `${r.name} ${r.id}`),
  );
  expect(Object.keys(resources).slice(0, 3)).toEqual([
    "orders-status-q-x-pwned-100",
    "clickstream-pulumi-stack-set2101",
    "clickstream-events-archive-sink3100",
  ]);
  expect(resources["flow-300"]).toEqual({
    type: "nexla:index:Flow",
    properties: { flowId: 300, status: "PAUSED", owner: { ownerId: 3, orgId: 2 } },
  });
  // The names are in comments only, written visibly.
  expect(text).toContain(
    '  # ${orders.status} "q" #: x\\u{A}- pwned:\\u{2028}\\u{202E} (flow 100): ACTIVE\n  "orders-status-q-x-pwned-100":\n',
  );
  expect(text).toContain("  #     (flow 300): PAUSED\n");
  expect(text.replaceAll("\n", "")).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);

  const yaml = await yamlProject(join(h.workDir, "program"));
  await yaml.initStack(text, h.api.url);
  h.emulator.control.clearRequests();
  const up = await yaml.pulumi(["up", "--yes"]);
  expect(up.code, up.out).toBe(0);
  expect(h.writes()).toEqual([]);
  const state = await yaml.pulumi(["stack", "export"]);
  type Checkpoint = { deployment: { resources?: { urn: string; type: string }[] } };
  const declared = ((JSON.parse(state.stdout) as Checkpoint).deployment.resources ?? [])
    .filter((r) => r.type === "nexla:index:Flow")
    .map((r) => r.urn.split("::").at(-1));
  expect(declared.sort()).toEqual(Object.keys(resources).sort());

  const preview = await yaml.pulumi(["preview", "--expect-no-changes"]);
  expect(preview.code, preview.out).toBe(0);
  const refreshed = await yaml.pulumi(["preview", "--refresh", "--expect-no-changes"]);
  expect(refreshed.code, refreshed.out).toBe(0);
  expect(h.writes()).toEqual([]);
});

it("writes dependsOn as options, interpolating the other resource: one destroy deletes a flow and its RAG flow", async () => {
  h.emulator.control.reset();
  await nexlaBin(h, [
    "export",
    "--format",
    "pulumi-yaml",
    "--flow",
    "700",
    "--flow",
    "710",
    "--out",
    "linked.yaml",
  ]);
  const text = await readFile(join(h.workDir, "linked.yaml"), "utf8");
  expect(text).toContain(
    '  "support-rag-710":\n    type: nexla:index:Flow\n    properties:\n      flowId: 710\n      status: ACTIVE\n' +
      '    options:\n      dependsOn: [ "${docs-ingest-700}" ]\n',
  );

  const yaml = await yamlProject(join(h.workDir, "linked"));
  await yaml.initStack(text, h.api.url);
  h.emulator.control.clearRequests();
  const up = await yaml.pulumi(["up", "--yes"]);
  expect(up.code, up.out).toBe(0);
  expect(h.writes()).toEqual([]);

  const destroy = await yaml.pulumi(["destroy", "--yes"]);
  expect.soft(destroy.code, destroy.out).toBe(0);
  expect.soft(resourcesOfFlow(h, 700), "flow 700 in Nexla").toEqual([]);
  expect.soft(resourcesOfFlow(h, 710), "flow 710 in Nexla").toEqual([]);
  expect
    .soft(h.writes().filter((w) => w.startsWith("DELETE")))
    .toEqual(["DELETE /flows/710?full_tree=1", "DELETE /flows/700?full_tree=1"]);
});
