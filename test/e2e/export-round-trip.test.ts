/**
 * The contract of `pulumi-nexla export` (issue 12), through the real bin and the real Pulumi CLI: the file it
 * writes, run by the gitops example, adopts every flow with zero writes to Nexla, and `preview --refresh`
 * afterwards shows no changes; re-exporting the unchanged org writes the identical file. Flows Nexla deletes only
 * in one order (a RAG flow and the flow linked to it) get dependsOn, so one destroy deletes both.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { seedFromSnapshot } from "pulumi-nexla/emulator";
import { exportOrg } from "./export-bin.js";
import { resourcesOfFlow, startHarness, useHarness, type StackRunOptions } from "./harness.js";

const h = useHarness({ resetEachTest: false });

it("exports the sample org with a paused sub-flow, and up adopts it with zero writes and nothing left to change", async () => {
  // As someone left it in Nexla's UI: the events archive of clickstream paused under a running flow.
  h.emulator.control.setStatus("data_sink", 3100, "PAUSED");
  const { text, stderr } = await exportOrg(h, "flows.yaml");
  expect(text).toMatchInlineSnapshot(`
    "# Written by \`pulumi-nexla export\`: the state of these flows as Nexla reported it.
    # \`pulumi up\` adopts them without changing anything in Nexla; edit a status here to change it there.
    flows:
      # orders (flow 100): ACTIVE
      - name: "orders-100"
        flowId: 100
        status: ACTIVE
      # clickstream (flow 200): MIXED
      #   sub-flows: data_set 2101 and below ACTIVE; data_sink 3100 and below PAUSED; data_set 2104 and below ACTIVE
      #   not declared: data_source 1100 (ACTIVE), data_set 2100 (ACTIVE): above sub-flows with different statuses (a Flow covers everything below its anchor)
      - name: "clickstream-sessions-set2101"
        dataSetId: 2101
        scope: downstream
        status: ACTIVE
      - name: "clickstream-events-archive-sink3100"
        dataSinkId: 3100
        scope: downstream
        status: PAUSED
      - name: "clickstream-page-views-set2104"
        dataSetId: 2104
        scope: downstream
        status: ACTIVE
      # billing-export (flow 300): PAUSED
      - name: "billing-export-300"
        flowId: 300
        status: PAUSED
      # partner-feed (flow 400): MIXED
      #   sub-flows: data_set 2300 and below ACTIVE
      #   not declared: data_source 1300 (RATE_LIMITED): RATE_LIMITED can be neither declared nor changed (Nexla refuses to activate or pause it)
      - name: "partner-feed-partner-records-set2300"
        dataSetId: 2300
        scope: downstream
        status: ACTIVE
      # staging (flow 500): PAUSED
      - name: "staging-500"
        flowId: 500
        status: PAUSED
      # shared-catalog (flow 600): PAUSED
      - name: "shared-catalog-600"
        flowId: 600
        status: PAUSED
      # catalog-derived (flow 610): ACTIVE
      #   dependsOn shared-catalog (flow 600): Nexla refuses to delete that flow while this flow, derived from its shared nexset, exists
      - name: "catalog-derived-610"
        flowId: 610
        status: ACTIVE
        dependsOn: [ "shared-catalog-600" ]
      # replicated (flow 650): PAUSED
      - name: "replicated-650"
        flowId: 650
        status: PAUSED
      # docs-ingest (flow 700): PAUSED
      - name: "docs-ingest-700"
        flowId: 700
        status: PAUSED
      # support-rag (flow 710): ACTIVE
      #   dependsOn docs-ingest (flow 700): Nexla refuses to delete that flow while this RAG flow, linked to it, exists
      - name: "support-rag-710"
        flowId: 710
        status: ACTIVE
        dependsOn: [ "docs-ingest-700" ]
      # capped-live (flow 800): ACTIVE
      - name: "capped-live-800"
        flowId: 800
        status: ACTIVE
      # capped-waiting (flow 810): PAUSED
      - name: "capped-waiting-810"
        flowId: 810
        status: PAUSED
      # migrating-live (flow 900): ACTIVE
      - name: "migrating-live-900"
        flowId: 900
        status: ACTIVE
      # migrating-paused (flow 910): PAUSED
      - name: "migrating-paused-910"
        flowId: 910
        status: PAUSED
    "
  `);
  expect(stderr).toMatchInlineSnapshot(`
    "pulumi-nexla export: read 14 flows; wrote 14 of them as 16 Flows to flows.yaml (5 ACTIVE, 7 PAUSED, 2 MIXED written as sub-flows).
      3 resources are not declared (each is named in the file, with the reason): a Flow cannot declare them without contradicting another.
      2 Flows have dependsOn, so that one destroy deletes both flows of each pair, in the order Nexla needs (flow 610 derives from a shared nexset of flow 600; flow 710 is a RAG flow linked to flow 700).
      Next: \`pulumi up\` adopts them and changes nothing in Nexla; \`pulumi preview --refresh\` then shows no changes.
    "
  `);

  const config = { "gitops:flowsFile": { value: join(h.workDir, "flows.yaml") } };
  h.emulator.control.clearRequests();
  const up = await h.stack("gitops", "up", { stack: "sample", config });
  expect(up.error).toBeUndefined();
  expect(up.changes).toEqual({ create: 17 }); // the 16 Flows and the stack
  expect(h.writes()).toEqual([]);

  const preview = await h.stack("gitops", "preview-refresh", { stack: "sample", config });
  expect(preview.error).toBeUndefined();
  expect(preview.changes).toEqual({ same: 17 });
  expect(h.writes()).toEqual([]);

  expect((await exportOrg(h, "flows-again.yaml")).text).toBe(text);
});

it("rehearses against a snapshot: the copy adopts with zero writes, runs a change and a destroy, and the org gets no request", async () => {
  h.emulator.control.setStatus("data_sink", 3100, "PAUSED");
  // The first five sample flows: the others are the sample org's examples of Nexla's refusals, each with its
  // own test in refusals.test.ts.
  const first = [100, 200, 300, 400, 500].flatMap((id) => ["--flow", String(id)]);
  const { stderr } = await exportOrg(h, "flows-rehearsal.yaml", ["--snapshot", "snapshot.json", ...first]);
  expect(stderr).toContain("snapshot of these flows written to snapshot.json (no credentials).");
  const text = await readFile(join(h.workDir, "snapshot.json"), "utf8");
  expect(text).not.toMatch(/service_key|access_token|emu-|credential/);

  const copy = await startHarness({ seed: seedFromSnapshot(JSON.parse(text), "snapshot.json") });
  try {
    h.emulator.control.clearRequests();
    const config = { "gitops:flowsFile": { value: join(h.workDir, "flows-rehearsal.yaml") } };
    const up = await copy.stack("gitops", "up", { stack: "rehearsal", config });
    expect(up.error).toBeUndefined();
    expect(copy.writes()).toEqual([]);
    const changed = await readFile(join(h.workDir, "flows-rehearsal.yaml"), "utf8");
    const activate = changed.replace(
      /(dataSinkId: 3100\n {4}scope: downstream\n {4}status: )PAUSED/,
      "$1ACTIVE",
    );
    expect(activate).not.toBe(changed);
    await copy.writeFile("flows-changed.yaml", activate);
    const change = { "gitops:flowsFile": { value: join(copy.workDir, "flows-changed.yaml") } };
    expect((await copy.stack("gitops", "up", { stack: "rehearsal", config: change })).error).toBeUndefined();
    expect(copy.writes()).toEqual(["PUT /data_sinks/3100/flow/activate"]);
    const destroy = await copy.stack("gitops", "destroy", { stack: "rehearsal", config: change });
    // What the rehearsal is for: destroy would fail on the org, and says why before anyone tries it there.
    expect(destroy.error).toContain(
      "Could not delete flow of data_set 2300 (DELETE /data_sets/2300/flow): Nexla refuses to delete active " +
        "resources (405) and data_set 2300 and data_sink 3300 are ACTIVE, but pausing them first fails while " +
        "data_source 1300 is RATE_LIMITED",
    );
    // Left: partner-feed, and clickstream's source and first data set, which no Flow declares (sub-flow
    // Flows delete only what is below their anchor).
    expect(copy.emulator.control.state().flow_nodes.map((n) => n.id)).toEqual([200, 201, 400, 401, 402]);
    expect(h.emulator.control.requests()).toEqual([]);
  } finally {
    await copy.close();
  }
});

it("exports a TypeScript program (--format ts) that the real CLI runs with the same zero-write round trip", async () => {
  h.emulator.control.setStatus("data_sink", 3100, "PAUSED");
  // The program uses no TypeScript-only syntax, so it runs as it is written (here as an ES module).
  const { text } = await exportOrg(h, "program.mjs", ["--format", "ts", "--flow", "200", "--flow", "300"]);
  expect(text).toMatchInlineSnapshot(`
    "// Written by \`pulumi-nexla export --flow 200 --flow 300\`: the state of these flows as Nexla reported it.
    // \`pulumi up\` adopts them without changing anything in Nexla; edit a status here to change it there.
    import { Flow } from "pulumi-nexla";

    export default async function program() {
      // clickstream (flow 200): MIXED
      //   sub-flows: data_set 2101 and below ACTIVE; data_sink 3100 and below PAUSED; data_set 2104 and below ACTIVE
      //   not declared: data_source 1100 (ACTIVE), data_set 2100 (ACTIVE): above sub-flows with different statuses (a Flow covers everything below its anchor)
      new Flow("clickstream-sessions-set2101", { dataSetId: 2101, scope: "downstream", status: "ACTIVE" });
      new Flow("clickstream-events-archive-sink3100", { dataSinkId: 3100, scope: "downstream", status: "PAUSED" });
      new Flow("clickstream-page-views-set2104", { dataSetId: 2104, scope: "downstream", status: "ACTIVE" });
      // billing-export (flow 300): PAUSED
      new Flow("billing-export-300", { flowId: 300, status: "PAUSED" });
    }
    "
  `);
  h.emulator.control.clearRequests();
  const program = join(h.workDir, "program.mjs");
  const up = await h.stack("exported", "up", { stack: "ts", program });
  expect(up.error).toBeUndefined();
  expect(up.changes).toEqual({ create: 5 });
  expect(h.writes()).toEqual([]);
  expect((await h.stack("exported", "preview-refresh", { stack: "ts", program })).changes).toEqual({
    same: 5,
  });
  expect(h.writes()).toEqual([]);
});

/** `up` of an exported program (zero writes), then `destroy`, which succeeds: the deletes it sent, in order. */
async function adoptThenDestroy(example: string, options: StackRunOptions): Promise<string[]> {
  h.emulator.control.clearRequests();
  const up = await h.stack(example, "up", options);
  expect(up.error).toBeUndefined();
  expect(h.writes()).toEqual([]);
  const destroy = await h.stack(example, "destroy", options);
  expect.soft(destroy.error).toBeUndefined();
  return h.writes().filter((w) => w.startsWith("DELETE"));
}

/**
 * Flow 710 is a RAG flow linked to flow 700, and Nexla refuses to delete flow 700, or any part of it, while flow 710
 * exists. Export writes that order as dependsOn, so the file adopts both with zero writes and one destroy deletes
 * both: flow 710 first.
 */
it("exports a flow and the RAG flow linked to it so that one destroy deletes both, the RAG flow first", async () => {
  h.emulator.control.reset();
  const { text, stderr } = await exportOrg(h, "linked.yaml", ["--flow", "700", "--flow", "710"]);
  expect(text).toContain(
    '  - name: "support-rag-710"\n    flowId: 710\n    status: ACTIVE\n    dependsOn: [ "docs-ingest-700" ]\n',
  );
  expect(stderr).toContain(
    "1 Flows have dependsOn, so that one destroy deletes both flows of each pair, in the order Nexla needs " +
      "(flow 710 is a RAG flow linked to flow 700).",
  );

  const config = { "gitops:flowsFile": { value: join(h.workDir, "linked.yaml") } };
  const deletes = await adoptThenDestroy("gitops", { stack: "linked", config });
  expect.soft(resourcesOfFlow(h, 700), "flow 700 in Nexla").toEqual([]);
  expect.soft(resourcesOfFlow(h, 710), "flow 710 in Nexla").toEqual([]);
  expect.soft(deletes).toEqual(["DELETE /flows/710?full_tree=1", "DELETE /flows/700?full_tree=1"]);
});

it("in a TypeScript program too, with the linked flow MIXED: its sub-flow's Flow waits for the RAG flow's", async () => {
  h.emulator.control.reset();
  // Flow 700's source runs, its data set and sink are paused: one sub-flow Flow (data set 2600 and below), which
  // Nexla refuses to delete while flow 710 exists, as it refuses the whole flow's delete.
  h.emulator.control.setStatus("data_source", 1600, "ACTIVE");
  const { text } = await exportOrg(h, "linked.mjs", ["--format", "ts", "--flow", "700", "--flow", "710"]);
  expect(text.split("\n").filter((l) => l.includes("new Flow("))).toEqual([
    '  const docs_ingest_docs_set2600 = new Flow("docs-ingest-docs-set2600", { dataSetId: 2600, scope: "downstream", status: "PAUSED" });',
    '  new Flow("support-rag-710", { flowId: 710, status: "ACTIVE" }, { dependsOn: [docs_ingest_docs_set2600] });',
  ]);

  const deletes = await adoptThenDestroy("exported", {
    stack: "linked",
    program: join(h.workDir, "linked.mjs"),
  });
  expect.soft(resourcesOfFlow(h, 710), "flow 710 in Nexla").toEqual([]);
  // What no Flow declared stays: flow 700's source, as it was.
  expect.soft(resourcesOfFlow(h, 700), "flow 700 in Nexla").toEqual(["data_source 1600 ACTIVE"]);
  expect.soft(deletes).toEqual(["DELETE /flows/710?full_tree=1", "DELETE /data_sets/2600/flow"]);
});
