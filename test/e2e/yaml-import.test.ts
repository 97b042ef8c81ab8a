/**
 * `pulumi import` of Flows through the real CLI, its YAML language host and the native plugin: the id names the
 * flow or sub-flow (src/declaration/import-id.ts), the plugin's Read adopts it without a write, the CLI generates
 * the declaration, and that declaration pasted into the program previews with no changes. A MIXED scope is refused,
 * naming the sub-flows to import instead. Judged by what the emulator holds and by the CLI's output.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { useHarness } from "./harness.js";
import { nexlaBin } from "./export-bin.js";
import { yamlProject } from "./yaml-project.js";

const h = useHarness({ resetEachTest: false });

const header = [
  "name: imported",
  "runtime: yaml",
  "plugins:",
  "  providers:",
  "    - name: nexla",
  "      path: node_modules/.bin",
  "",
].join("\n");

it("imports a flow and a sub-flow with no write; the generated program previews with no changes", async () => {
  const yaml = await yamlProject(join(h.workDir, "imported"));
  const { pulumi } = yaml;
  await yaml.initStack(header, h.api.url);
  h.emulator.control.clearRequests();

  const orders = await pulumi([
    "import",
    "nexla:index:Flow",
    "orders",
    "flow:100",
    "--yes",
    "--out",
    "orders.yaml",
  ]);
  expect(orders.code, orders.out).toBe(0);
  const archive = await pulumi([
    "import",
    "nexla:index:Flow",
    "clickstream-archive",
    "data_set:2101:downstream",
    "--yes",
    "--protect=false",
    "--out",
    "archive.yaml",
  ]);
  expect(archive.code, archive.out).toBe(0);
  expect(h.writes()).toEqual([]);

  const generated = [
    await readFile(join(yaml.dir, "orders.yaml"), "utf8"),
    await readFile(join(yaml.dir, "archive.yaml"), "utf8"),
  ];
  expect(generated.join("\n")).toMatchInlineSnapshot(`
    "resources:
      orders:
        type: nexla:Flow
        properties:
          flowId: 100
          status: ACTIVE
        options:
          protect: true

    resources:
      clickstream-archive:
        type: nexla:Flow
        properties:
          dataSetId: 2101
          scope: downstream
          status: ACTIVE
    "
  `);

  // The declarations, pasted into the program: nothing to change, nothing written.
  const resources = generated.map((text) => text.replace(/^resources:\n/, "")).join("");
  await yaml.writeProgram(`${header}resources:\n${resources}`);
  const preview = await pulumi(["preview", "--expect-no-changes"]);
  expect(preview.code, preview.out).toBe(0);
  const refreshed = await pulumi(["preview", "--refresh", "--expect-no-changes"]);
  expect(refreshed.code, refreshed.out).toBe(0);
  expect(h.writes()).toEqual([]);
});

it("refuses to import a MIXED scope, naming the sub-flows to import instead; nothing is imported or written", async () => {
  const yaml = await yamlProject(join(h.workDir, "mixed"));
  const { pulumi } = yaml;
  await yaml.initStack(header, h.api.url);
  h.emulator.control.setStatus("data_sink", 3100, "PAUSED");
  h.emulator.control.clearRequests();

  const refused = await pulumi(["import", "nexla:index:Flow", "clickstream", "flow:200", "--yes"]);
  expect(refused.code).not.toBe(0);
  expect(refused.out.replace(/\s+/g, " ")).toContain(
    'Cannot import "flow:200": the resources of flow 200 are not all ACTIVE or all PAUSED (MIXED), and a Flow ' +
      "declares one status for its whole scope, so no declaration reproduces it without a write. Nothing was " +
      "imported. Import these sub-flows instead, each as a Flow of its own: data_set:2101:downstream (ACTIVE), " +
      "data_sink:3100:downstream (PAUSED), data_set:2104:downstream (ACTIVE). No Flow can declare data_source " +
      "1100, data_set 2100 without contradicting one of them; they stay undeclared.",
  );
  expect(h.writes()).toEqual([]);
  const stack = await pulumi(["stack", "export"]);
  expect(stack.stdout).not.toContain("nexla:index:Flow");
});

it("imports what `pulumi-nexla export --format import` wrote, a MIXED flow as its sub-flows, with no write", async () => {
  // The previous test left sink 3100 paused: flow 200 is MIXED, exported as three sub-flows.
  const exported = await nexlaBin(h, [
    "export",
    "--format",
    "import",
    "--flow",
    "100",
    "--flow",
    "200",
    "--out",
    "import.json",
  ]);
  expect(exported.stderr).toContain(
    "2 resources are not declared (data_source 1100, data_set 2100): a Flow cannot declare them without contradicting another.",
  );
  const file = await readFile(join(h.workDir, "import.json"), "utf8");
  expect(JSON.parse(file)).toEqual({
    resources: [
      { type: "nexla:index:Flow", name: "orders-100", id: "flow:100" },
      { type: "nexla:index:Flow", name: expect.stringMatching(/-set2101$/), id: "data_set:2101:downstream" },
      {
        type: "nexla:index:Flow",
        name: expect.stringMatching(/-sink3100$/),
        id: "data_sink:3100:downstream",
      },
      { type: "nexla:index:Flow", name: expect.stringMatching(/-set2104$/), id: "data_set:2104:downstream" },
    ],
  });
  const yaml = await yamlProject(join(h.workDir, "from-export"));
  await yaml.initStack(header, h.api.url);
  h.emulator.control.clearRequests();
  const imported = await yaml.pulumi([
    "import",
    "--file",
    join(h.workDir, "import.json"),
    "--yes",
    "--protect=false",
    "--out",
    "all.yaml",
  ]);
  expect(imported.code, imported.out).toBe(0);
  const generated = await readFile(join(yaml.dir, "all.yaml"), "utf8");
  await yaml.writeProgram(`${header}${generated}`);
  const preview = await yaml.pulumi(["preview", "--refresh", "--expect-no-changes"]);
  expect(preview.code, preview.out).toBe(0);
  expect(h.writes()).toEqual([]);
});
