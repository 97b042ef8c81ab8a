/**
 * `pulumi-nexla export --update FILE` (issue 19), in process against the emulator on 127.0.0.1: the file
 * keeps its names, order, a person's comments and entries of flows it does not touch; it changes only what
 * Nexla changed, adds new flows at the end, and never removes or splits an entry (notes say why). Files not
 * in the shape export writes are refused.
 */
import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { exportCli } from "./export-cli.js";

const { emulator, run, file: path } = exportCli();
const cli = (...args: string[]) => run(args).then(({ code, err }) => ({ code, err }));

const flows = ["--flow", "100", "--flow", "200", "--flow", "300"];

/** Exports flows 100–300, then adds a comment of a person's above billing-export. */
async function exported(format: "yaml" | "ts"): Promise<string> {
  const file = path(format === "yaml" ? "flows.yaml" : "index.ts");
  emulator.control.setStatus("data_sink", 3100, "PAUSED");
  expect((await cli("--format", format, "--out", file, ...flows)).code).toBe(0);
  const mark = format === "yaml" ? "  # " : "  // ";
  const text = await readFile(file, "utf8");
  await writeFile(
    file,
    text.replace(`${mark}billing-export`, `${mark}mine: paused until Q3\n${mark}billing-export`),
  );
  return file;
}

/** What someone then did in Nexla: a sink paused, a sub-flow running again, a flow started, one deleted. */
function changeNexla(): void {
  emulator.control.setStatus("data_sink", 3101, "PAUSED");
  emulator.control.setStatus("data_sink", 3100, "ACTIVE");
  for (const [kind, id] of [
    ["data_source", 1200],
    ["data_set", 2200],
    ["data_sink", 3200],
  ] as const)
    emulator.control.setStatus(kind, id, "ACTIVE");
  emulator.control.deleteFlow(100);
}

describe("export --update", () => {
  it("updates flows.yaml: statuses Nexla changed, a note for MIXED and for gone, new flows at the end", async () => {
    const file = await exported("yaml");
    const before = await readFile(file, "utf8");
    changeNexla();
    const r = await cli("--update", file, ...flows, "--flow", "500");
    expect(r.code).toBe(0);
    // Exactly these edits, everything else kept as it was (the person's comment included).
    const note = (text: string, above: string) =>
      before.replace(above, `  # export --update: ${text}\n${above}`);
    let expected = note(
      "flow 100 is gone from Nexla; the entry is kept: remove it once you have checked (removing it deletes " +
        "nothing that is gone).",
      '  - name: "orders-100"',
    );
    expected = expected.replace(
      '  - name: "clickstream-sessions-set2101"',
      "  # export --update: Nexla has this MIXED now (data_sink 3101 is PAUSED); declared ACTIVE, so the next " +
        '`pulumi up --refresh` sets them back.\n  - name: "clickstream-sessions-set2101"',
    );
    expected = expected
      .replace(/(dataSinkId: 3100\n {4}scope: downstream\n {4}status: )PAUSED/, "$1ACTIVE")
      .replace(/(flowId: 300\n {4}status: )PAUSED/, "$1ACTIVE");
    expected +=
      '  # staging (flow 500): PAUSED\n  - name: "staging-500"\n    flowId: 500\n    status: PAUSED\n';
    expect(await readFile(file, "utf8")).toBe(expected);
    expect(r.err.replaceAll(file, "FILE").split("\n")).toEqual([
      "pulumi-nexla export --update: FILE: 4 entries noted or changed, 1 added.",
      "  orders-100: flow 100 is gone from Nexla; the entry is kept, with a note.",
      "  clickstream-sessions-set2101: MIXED in Nexla (data_sink 3101 is PAUSED); kept ACTIVE: the next " +
        "`pulumi up --refresh` will change Nexla back to ACTIVE.",
      "  clickstream-events-archive-sink3100: status PAUSED → ACTIVE, as Nexla has it now.",
      "  billing-export-300: status PAUSED → ACTIVE, as Nexla has it now.",
      "  staging-500: added (flow 500).",
    ]);
    const again = await cli("--update", file, ...flows, "--flow", "500");
    expect(again.err.replaceAll(file, "FILE").split("\n")).toEqual([
      "pulumi-nexla export --update: FILE: nothing to change.",
      "  orders-100: flow 100 is gone from Nexla; the entry is kept, with a note.",
      "  clickstream-sessions-set2101: MIXED in Nexla (data_sink 3101 is PAUSED); kept ACTIVE: the next " +
        "`pulumi up --refresh` will change Nexla back to ACTIVE.",
    ]);
    // Filters limit what an update looks at: the notes of entries it leaves out stay.
    expect(await cli("--update", file, "--flow", "500")).toEqual({
      code: 0,
      err: `pulumi-nexla export --update: ${file}: nothing to change.`,
    });
    expect(await readFile(file, "utf8")).toBe(expected);
  });

  it("updates a TypeScript program the same way", async () => {
    const file = await exported("ts");
    changeNexla();
    expect((await cli("--update", file, ...flows)).code).toBe(0);
    expect(await readFile(file, "utf8")).toMatchInlineSnapshot(`
      "// Written by \`pulumi-nexla export --flow 100 --flow 200 --flow 300\`: the state of these flows as Nexla reported it.
      // \`pulumi up\` adopts them without changing anything in Nexla; edit a status here to change it there.
      import { Flow } from "pulumi-nexla";

      export default async function program() {
        // orders (flow 100): ACTIVE
        // export --update: flow 100 is gone from Nexla; the entry is kept: remove it once you have checked (removing it deletes nothing that is gone).
        new Flow("orders-100", { flowId: 100, status: "ACTIVE" });
        // clickstream (flow 200): MIXED
        //   sub-flows: data_set 2101 and below ACTIVE; data_sink 3100 and below PAUSED; data_set 2104 and below ACTIVE
        //   not declared: data_source 1100 (ACTIVE), data_set 2100 (ACTIVE): above sub-flows with different statuses (a Flow covers everything below its anchor)
        // export --update: Nexla has this MIXED now (data_sink 3101 is PAUSED); declared ACTIVE, so the next \`pulumi up --refresh\` sets them back.
        new Flow("clickstream-sessions-set2101", { dataSetId: 2101, scope: "downstream", status: "ACTIVE" });
        new Flow("clickstream-events-archive-sink3100", { dataSinkId: 3100, scope: "downstream", status: "ACTIVE" });
        new Flow("clickstream-page-views-set2104", { dataSetId: 2104, scope: "downstream", status: "ACTIVE" });
        // mine: paused until Q3
        // billing-export (flow 300): PAUSED
        new Flow("billing-export-300", { flowId: 300, status: "ACTIVE" });
      }
      "
    `);
  });

  it("leaves an unchanged file exactly as it is", async () => {
    const file = await exported("yaml");
    const before = await readFile(file, "utf8");
    expect((await cli("--update", file, ...flows)).code).toBe(0);
    expect(await readFile(file, "utf8")).toBe(before);
  });

  it("says what to do when the file to update does not exist", async () => {
    const file = path("missing.yaml");
    expect(await cli("--update", file)).toEqual({
      code: 1,
      err:
        `pulumi-nexla export: cannot read ${file}: there is no such file. --update edits a file export wrote; ` +
        "to write a new one, use --out.",
    });
  });

  it.each([
    ["a top-level key", "flows.yaml", "other: 1\nflows: []\n", 'it has the top-level key "other"'],
    [
      "an unknown entry key",
      "flows.yaml",
      "flows:\n  - { name: a, flowId: 1, status: ACTIVE, x: 1 }\n",
      'flows[0] has the key "x"',
    ],
    [
      "a YAML alias",
      "flows.yaml",
      "flows:\n  - &a { name: a, flowId: 1, status: ACTIVE }\n  - *a\n",
      "it uses YAML aliases (*)",
    ],
    ["a list at the top", "flows.yaml", "- name: a\n", 'it is not a mapping with a "flows:" list'],
    [
      "a changed program",
      "index.ts",
      'import { Flow } from "pulumi-nexla";\n\nexport default async function program() {\n  const x = 1;\n}\n',
      "line 4 is not a Flow export writes",
    ],
    ["another import", "index.ts", 'import { Flow } from "./flow";\n', "its import and program lines differ"],
  ])("refuses a file with %s, before reading Nexla", async (_, name, text, why) => {
    const file = path(name);
    await writeFile(file, text);
    emulator.control.clearRequests();
    const r = await cli("--update", file);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `${file} is not in the shape export writes, so --update does not edit it (${why}`,
    );
    expect(emulator.control.requests()).toEqual([]);
    expect(await readFile(file, "utf8")).toBe(text);
  });
});
