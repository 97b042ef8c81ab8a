/**
 * Export writes the order in which Nexla lets flows be deleted (src/export/delete-order.ts, whose own tests are in
 * export-delete-order.test.ts) as dependsOn, in each format that can say so; the import file cannot, and the summary
 * names the pairs. `export --update` gives added entries their dependsOn and leaves the file's entries' as they are,
 * with a note naming what to add.
 */
import { describe, expect, it } from "vitest";
import { isMap, isScalar, parse, parseDocument } from "yaml";
import { parseFlowsFile } from "../../src/declaration/flows-file.js";
import { decompose } from "../../src/export/decompose.js";
import { outsideFirst } from "../../src/export/delete-order.js";
import { nameAll } from "../../src/export/entries.js";
import { orderLines } from "../../src/export/export.js";
import { noFilters } from "../../src/export/filters.js";
import { identifierOf, render } from "../../src/export/render.js";
import { planUpdate } from "../../src/export/update.js";
import { readTs } from "../../src/export/update-ts.js";
import { readYaml } from "../../src/export/update-yaml.js";
import type { FlowResponse } from "../../src/nexla/types.js";
import { docs, exportOf, flow, mixed, rag, whole } from "./export-flows.js";
import { pulumiYamlRead, pulumiYamlStrings } from "./pulumi-yaml-read.js";

describe("each format", () => {
  const linked = exportOf([docs(mixed), rag()]);

  it("flows.yaml: a dependsOn list of the other entries' names, which the gitops program accepts", () => {
    const text = render(linked.flows, "yaml", noFilters);
    expect(text).toMatchInlineSnapshot(`
      "# Written by \`pulumi-nexla export\`: the state of these flows as Nexla reported it.
      # \`pulumi up\` adopts them without changing anything in Nexla; edit a status here to change it there.
      flows:
        # docs-ingest (flow 700): MIXED
        #   sub-flows: data_sink 3006 and below ACTIVE; data_sink 4006 and below PAUSED
        #   not declared: data_source 1006 (ACTIVE), data_set 2006 (ACTIVE): above sub-flows with different statuses (a Flow covers everything below its anchor)
        - name: "docs-ingest-a-sink3006"
          dataSinkId: 3006
          scope: downstream
          status: ACTIVE
        - name: "docs-ingest-b-sink4006"
          dataSinkId: 4006
          scope: downstream
          status: PAUSED
        # support-rag (flow 800): PAUSED
        #   dependsOn docs-ingest (flow 700): Nexla refuses to delete that flow while this RAG flow, linked to it, exists
        - name: "support-rag-800"
          flowId: 800
          status: PAUSED
          dependsOn: [ "docs-ingest-a-sink3006", "docs-ingest-b-sink4006" ]
      "
    `);
    expect(parseFlowsFile(text, "flows.yaml").map((e) => [e.name, e.dependsOn])).toEqual([
      ["docs-ingest-a-sink3006", []],
      ["docs-ingest-b-sink4006", []],
      ["support-rag-800", ["docs-ingest-a-sink3006", "docs-ingest-b-sink4006"]],
    ]);
  });

  it("TypeScript: the Flows others depend on are constants declared first, named in { dependsOn: [...] }", () => {
    // A RAG flow with the lower id: the flow it is linked to is declared first all the same.
    const flows = exportOf([
      flow(0, "support-rag", whole, { flowType: "rag", linkedFlows: [700] }),
      docs(mixed, {}),
    ]);
    expect(render(flows.flows, "ts", noFilters)).toMatchInlineSnapshot(`
      "// Written by \`pulumi-nexla export\`: the state of these flows as Nexla reported it.
      // \`pulumi up\` adopts them without changing anything in Nexla; edit a status here to change it there.
      import { Flow } from "pulumi-nexla";

      export default async function program() {
        // docs-ingest (flow 700): MIXED
        //   sub-flows: data_sink 3006 and below ACTIVE; data_sink 4006 and below PAUSED
        //   not declared: data_source 1006 (ACTIVE), data_set 2006 (ACTIVE): above sub-flows with different statuses (a Flow covers everything below its anchor)
        const docs_ingest_a_sink3006 = new Flow("docs-ingest-a-sink3006", { dataSinkId: 3006, scope: "downstream", status: "ACTIVE" });
        const docs_ingest_b_sink4006 = new Flow("docs-ingest-b-sink4006", { dataSinkId: 4006, scope: "downstream", status: "PAUSED" });
        // support-rag (flow 100): PAUSED
        //   dependsOn docs-ingest (flow 700): Nexla refuses to delete that flow while this RAG flow, linked to it, exists
        new Flow("support-rag-100", { flowId: 100, status: "PAUSED" }, { dependsOn: [docs_ingest_a_sink3006, docs_ingest_b_sink4006] });
      }
      "
    `);
  });

  it("TypeScript constants: distinct for distinct names, never a reserved word, none for a name export does not write", () => {
    expect(identifierOf("docs-ingest-700")).toBe("docs_ingest_700");
    expect(identifierOf("1e-5")).toBe("_1e_5");
    expect(identifierOf("delete")).toBe("delete_");
    expect(identifierOf("flow1")).toBe("flow1");
    expect(identifierOf("Orders EU")).toBeUndefined();
    expect(identifierOf("a--b")).toBeUndefined();
  });

  it("Pulumi YAML: options.dependsOn interpolates the other resources by their keys, and nothing else interpolates", () => {
    // Names that would interpolate were they values: they reach the program as comments and slugs only.
    const hostile = exportOf([
      flow(6, "${docs.status}", mixed, { linkedFlows: [800] }),
      flow(7, "$${rag}", whole, { flowType: "rag", linkedFlows: [700] }),
    ]);
    const text = render(hostile.flows, "pulumi-yaml", noFilters);
    const { resources } = parse(text) as {
      resources: Record<string, { options?: { dependsOn: string[] }; [k: string]: unknown }>;
    };
    expect(resources["rag-800"]?.options).toEqual({
      dependsOn: ["${docs-status-a-sink3006}", "${docs-status-b-sink4006}"],
    });
    expect(Object.keys(resources)).toEqual(["docs-status-a-sink3006", "docs-status-b-sink4006", "rag-800"]);
    expect(Object.values(resources).filter((r) => r.options !== undefined)).toHaveLength(1);
    for (const [, r] of Object.entries(resources)) {
      const { options, ...rest } = r;
      for (const value of pulumiYamlStrings(rest)) expect(pulumiYamlRead(value)).toBe(value);
      for (const value of options?.dependsOn ?? []) {
        expect(value).toMatch(/^\$\{([a-z0-9-]+)\}$/);
        expect(Object.keys(resources)).toContain(value.slice(2, -1));
      }
    }
    // Quoted like the keys: a reader sees one string, the interpolation of one resource.
    const doc = parseDocument(text);
    const options = doc.getIn(["resources", "rag-800", "options", "dependsOn"], true);
    expect(
      isMap(options) || !options
        ? []
        : (options as { items: unknown[] }).items.map((i) => isScalar(i) && i.type),
    ).toEqual(["QUOTE_DOUBLE", "QUOTE_DOUBLE"]);
  });

  it("the summary says which flows no order lets one destroy delete", () => {
    const both = exportOf([docs(whole, { flowType: "rag", linkedFlows: [800] }), rag()]);
    expect(orderLines(both.flows, both, "yaml")).toEqual([
      "  No order lets one destroy delete flows 700, 800: Nexla refuses to delete each while another exists " +
        "(flow 700 is a RAG flow linked to flow 800; flow 800 is a RAG flow linked to flow 700). No dependsOn " +
        "was written between them; remove a link in Nexla before deleting them.",
    ]);
  });

  it("the summary names the flows the filters left out that Nexla must delete first", () => {
    const all = exportOf([docs(whole), rag(), flow(1, "billing", whole)]);
    const flowsOf = (ids: readonly number[]) =>
      all.flows.map((n) => n.flow).filter((f) => ids.includes(f.originNodeId));
    const onlyDocs = exportOf([docs(whole)]);
    const outside = outsideFirst(flowsOf([700, 800, 200]), flowsOf([700]));
    expect(orderLines(onlyDocs.flows, onlyDocs, "yaml", outside)).toEqual([
      "  Nexla refuses to delete flow 700 while flows this file leaves out exist (flow 800 is a RAG flow linked " +
        "to flow 700): a destroy of this stack fails there until those are deleted. Export them too (--flow ID) " +
        "to have one destroy delete both, in order.",
    ]);
    // The RAG flow alone: Nexla deletes it while the flow it links to exists, so there is nothing to say.
    expect(outsideFirst(flowsOf([700, 800]), flowsOf([800]))).toEqual([]);
    expect(outsideFirst(flowsOf([700, 800]), flowsOf([700, 800]))).toEqual([]);
  });

  it("import.json has no place for dependsOn: the file is as before, and the summary names the Flows to give it", () => {
    expect(render(linked.flows, "import", noFilters)).toBe(
      render(nameAll(linked.flows.map((n) => n.flow)), "import", noFilters),
    );
    expect(render(linked.flows, "import", noFilters)).not.toContain("dependsOn");
    expect(orderLines(linked.flows, linked, "import")).toEqual([
      "  Nexla deletes some of these flows only before others (flow 800 is a RAG flow linked to flow 700), which " +
        "an import file cannot say: after `pulumi import`, add dependsOn to these Flows in the program, so that " +
        "one destroy deletes both flows of each pair: support-rag-800 on docs-ingest-a-sink3006, docs-ingest-b-sink4006.",
    ]);
    expect(orderLines(linked.flows, linked, "yaml")).toEqual([
      "  1 Flows have dependsOn, so that one destroy deletes both flows of each pair, in the order Nexla needs " +
        "(flow 800 is a RAG flow linked to flow 700).",
    ]);
  });
});

describe("export --update", () => {
  const org = (responses: readonly FlowResponse[]) =>
    responses.map((response) => ({ response, flow: decompose(response, false) }));
  function update(text: string, format: "yaml" | "ts", responses: readonly FlowResponse[]) {
    const file = format === "yaml" ? readYaml(text, "flows.yaml") : readTs(text, "index.ts");
    const plan = planUpdate(file.entries, org(responses), { filters: noFilters, withOwner: false });
    return { text: file.apply(plan), summary: plan.summary };
  }
  /** The file export wrote before it wrote dependsOn. */
  const before = (format: "yaml" | "ts", responses: readonly FlowResponse[]) =>
    render(nameAll(responses.map((r) => decompose(r, false))), format, noFilters);

  it.each(["yaml", "ts"] as const)(
    "%s: leaves an entry's dependsOn as it is, with a note and a summary line naming what to add",
    (format) => {
      const text = before(format, [docs(), rag()]);
      const once = update(text, format, [docs(), rag()]);
      expect(once.text).not.toContain("dependsOn: [");
      expect(once.text).toContain(
        "export --update: this must be deleted before docs-ingest-700 (flow 800 is a RAG flow linked to flow 700): " +
          "add dependsOn on docs-ingest-700, so that one destroy deletes both (--update leaves an entry's dependsOn as it is).",
      );
      expect(once.summary).toEqual([
        "support-rag-800: must be deleted before docs-ingest-700 (flow 800 is a RAG flow linked to flow 700), but " +
          "has no dependsOn on it: add that by hand, so that one destroy deletes both (--update leaves an entry's " +
          "dependsOn as it is).",
      ]);
      expect(update(once.text, format, [docs(), rag()]).text).toBe(once.text);
    },
  );

  it.each(["yaml", "ts"] as const)("%s: a file export wrote with dependsOn is up to date", (format) => {
    const text = render(exportOf([docs(mixed), rag(mixed)]).flows, format, noFilters);
    expect(update(text, format, [docs(mixed), rag(mixed)])).toEqual({ text, summary: [] });
  });

  it("an added flow depends on the entries of the file (yaml)", () => {
    const { text } = update(before("yaml", [docs(mixed)]), "yaml", [docs(mixed), rag()]);
    expect(parseFlowsFile(text, "flows.yaml").map((e) => [e.name, e.dependsOn])).toEqual([
      ["docs-ingest-a-sink3006", []],
      ["docs-ingest-b-sink4006", []],
      ["support-rag-800", ["docs-ingest-a-sink3006", "docs-ingest-b-sink4006"]],
    ]);
  });

  it("an added flow depends on the entries of the file, whose lines are bound to their constants (ts)", () => {
    const { text } = update(before("ts", [docs(mixed)]), "ts", [docs(mixed), rag()]);
    expect(text.split("\n").filter((l) => l.includes("new Flow"))).toEqual([
      '  const docs_ingest_a_sink3006 = new Flow("docs-ingest-a-sink3006", { dataSinkId: 3006, scope: "downstream", status: "ACTIVE" });',
      '  const docs_ingest_b_sink4006 = new Flow("docs-ingest-b-sink4006", { dataSinkId: 4006, scope: "downstream", status: "PAUSED" });',
      '  new Flow("support-rag-800", { flowId: 800, status: "PAUSED" }, { dependsOn: [docs_ingest_a_sink3006, docs_ingest_b_sink4006] });',
    ]);
    expect(update(text, "ts", [docs(mixed), rag()]).text).toBe(text);
  });

  it("refuses a program whose dependsOn names a constant no Flow above declares, or binds a name export does not write", () => {
    const text = render(exportOf([docs(), rag()]).flows, "ts", noFilters);
    expect(() => readTs(text.replace("[docs_ingest_700]", "[orders_100]"), "index.ts")).toThrow(
      "is not a Flow export writes",
    );
    const renamed = text.replace(
      'const docs_ingest_700 = new Flow("docs-ingest-700"',
      'const docs_ingest_700 = new Flow("Docs EU"',
    );
    expect(() => readTs(renamed, "index.ts")).toThrow("is not a Flow export writes");
    const late = text
      .replace("const docs_ingest_700 = ", "")
      .replace('  new Flow("support', '  const x = new Flow("support');
    expect(() => readTs(late, "index.ts")).toThrow("is not a Flow export writes");
  });
});
