/**
 * A flow the program still declares is never deleted, whichever Flow declared it before. When an edit removes
 * one Flow and adds another that declares the same flow (a rename, a split, a merge, a sub-flow moved between
 * Flows, a re-export that hands a flow's name to another flow), Pulumi's engine runs the create of the new Flow
 * first (it adopts the flow: no write) and the delete of the removed one last, once the program has registered
 * every resource. That delete must release what the new Flows declare, not pause and delete it. Each test checks
 * Nexla's final state in the emulator, the writes, and what the output says:
 *
 * 1. Renaming a Flow (in TypeScript or in flows.yaml) deletes nothing; destroy afterwards deletes the flow.
 * 2. Splitting a whole-flow Flow into sub-flow Flows, merging sub-flows into a whole-flow Flow, and moving a
 *    sub-flow to another Flow delete nothing; a part no Flow declares any more is still deleted.
 * 3. A re-export after a change in Nexla's UI, which splits a whole-flow entry into sub-flow entries, deletes
 *    no declared flow.
 * 4. A flow linked to a RAG flow: with `dependsOn`, destroy deletes both in one operation (the RAG flow first);
 *    without it, Nexla's refusal says to add `dependsOn`.
 *
 * The program is tools/e2e-programs/declared.ts (the Flows come from stack config), except for flows.yaml,
 * which runs the gitops example, and the re-export, which runs `pulumi-nexla export` as a user does.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { sampleSeed, type Seed } from "pulumi-nexla/emulator";
import type { OperationResult } from "../../tools/stack.js";
import { exportOrg } from "./export-bin.js";
import { resourcesOfFlow, said, useHarness } from "./harness.js";

const h = useHarness();

const run = h.declared;

const flowResources = (origin: number) => resourcesOfFlow(h, origin);

const all = (resources: readonly string[], status: string) => resources.map((r) => `${r} ${status}`);
const flow100 = ["data_source 1000", "data_set 2000", "data_sink 3000"];
const flow200 = [
  "data_source 1100",
  ...[2100, 2101, 2102, 2103, 2104].map((id) => `data_set ${id}`),
  ...[3100, 3101, 3102].map((id) => `data_sink ${id}`),
];
/** Flow 650: source 1550 → set 2550 → sink 3550 → (dependent) source 1551 → set 2551 → sink 3551. */
const flow650 = [
  "data_source 1550",
  "data_source 1551",
  "data_set 2550",
  "data_set 2551",
  "data_sink 3550",
  "data_sink 3551",
];

/** The names of the Flows the stack's state holds (the `export` operation of the file backend). */
function stackFlows(exported: OperationResult): string[] {
  const deployment = exported.deployment as {
    checkpoint: { latest: { resources: { urn: string; type: string }[] } };
  };
  return deployment.checkpoint.latest.resources
    .filter((r) => r.type === "pulumi-nodejs:dynamic/nexla:Flow")
    .map((r) => r.urn.slice(r.urn.lastIndexOf("::") + 2))
    .sort();
}

/** What an operation said besides the HTTP calls the provider logs (which name every resource they touch). */
const notCalls = (r: OperationResult) =>
  said(r)
    .split("\n")
    .filter((line) => !/\b(GET|PUT|POST|DELETE) \//.test(line))
    .join("\n");

describe("renaming a Flow deletes nothing", () => {
  it("renamed in TypeScript: up adopts it under the new name with zero writes and says the old one released it; destroy then deletes it", async () => {
    const stack = "rename-ts";
    const renamed = [{ name: "orders-eu", args: { flowId: 100, status: "ACTIVE" } }] as const;
    const before = await run(stack, "up", [{ name: "orders", args: { flowId: 100, status: "ACTIVE" } }]);
    expect(before.error).toBeUndefined();
    h.emulator.control.clearRequests();

    const up = await run(stack, "up", renamed);
    expect(up.error).toBeUndefined();
    expect.soft(flowResources(100), "flow 100 in Nexla after the rename").toEqual(all(flow100, "ACTIVE"));
    expect.soft(h.writes(), "writes of the rename").toEqual([]);
    expect.soft(stackFlows(await run(stack, "export", renamed))).toEqual(["orders-eu"]);
    expect.soft(said(up)).toContain('flow 100 is declared by "orders-eu"');
    expect.soft(said(up)).toContain('"orders" released it');

    // A flow nothing declares any more is deleted: destroy removes the Flow that now declares flow 100.
    const destroy = await run(stack, "destroy", renamed);
    expect.soft(destroy.error).toBeUndefined();
    expect.soft(flowResources(100), "flow 100 in Nexla after destroy").toEqual([]);
  });

  it("renamed in flows.yaml (the gitops example): flow 100 stays, with zero writes", async () => {
    const stack = "rename-yaml";
    const file = (name: string) => `flows:\n  - name: ${name}\n    flowId: 100\n    status: ACTIVE\n`;
    const config = { "gitops:flowsFile": { value: await h.writeFile("rename.yaml", file("orders")) } };
    expect((await h.stack("gitops", "up", { stack, config })).error).toBeUndefined();
    h.emulator.control.clearRequests();

    await h.writeFile("rename.yaml", file("orders-eu"));
    const up = await h.stack("gitops", "up", { stack, config });
    expect(up.error).toBeUndefined();
    expect.soft(flowResources(100), "flow 100 in Nexla after the rename").toEqual(all(flow100, "ACTIVE"));
    expect.soft(h.writes(), "writes of the rename").toEqual([]);
    expect.soft(stackFlows(await h.stack("gitops", "export", { stack, config }))).toEqual(["orders-eu"]);
    expect.soft(said(up)).toContain('flow 100 is declared by "orders-eu"');
  });
});

describe("declaring a flow with other Flows deletes only what no Flow declares any more", () => {
  const csA = { name: "cs-a", args: { dataSetId: 2101, scope: "downstream", status: "ACTIVE" } } as const;
  const csB = { name: "cs-b", args: { dataSetId: 2104, scope: "downstream", status: "ACTIVE" } } as const;

  it("split: a whole-flow Flow replaced by two sub-flow Flows leaves all of flow 200, and names what is undeclared", async () => {
    const stack = "split";
    expect(
      (await run(stack, "up", [{ name: "cs", args: { flowId: 200, status: "ACTIVE" } }])).error,
    ).toBeUndefined();
    h.emulator.control.clearRequests();

    const up = await run(stack, "up", [csA, csB]);
    expect(up.error).toBeUndefined();
    // Nexla's delete cascades downstream: deleting "cs" (from the origin) would delete both declared sub-flows.
    expect.soft(flowResources(200), "flow 200 in Nexla after the split").toEqual(all(flow200, "ACTIVE"));
    expect.soft(h.writes(), "writes of the split").toEqual([]);
    // What "cs" declared and no Flow declares now: the source, data set 2100 and sink 3100.
    expect.soft(notCalls(up)).toContain("data_source 1100");
    expect.soft(notCalls(up)).toContain("data_sink 3100");
  });

  it("merge: a sub-flow Flow replaced by a whole-flow Flow of the same flow leaves all of flow 650", async () => {
    const stack = "merge";
    const part = { name: "r", args: { dataSourceId: 1551, scope: "downstream", status: "PAUSED" } } as const;
    expect((await run(stack, "up", [part])).error).toBeUndefined();
    expect(flowResources(650)).toEqual(all(flow650, "PAUSED"));
    h.emulator.control.clearRequests();

    const up = await run(stack, "up", [{ name: "whole", args: { flowId: 650, status: "PAUSED" } }]);
    expect(up.error).toBeUndefined();
    expect.soft(flowResources(650), "flow 650 in Nexla after the merge").toEqual(all(flow650, "PAUSED"));
    expect.soft(h.writes(), "writes of the merge").toEqual([]);
  });

  it("move: a sub-flow moved from one Flow to a new one, the other Flow unchanged, deletes nothing", async () => {
    const stack = "move";
    expect((await run(stack, "up", [csA, csB])).error).toBeUndefined();
    h.emulator.control.clearRequests();

    const up = await run(stack, "up", [{ ...csA, name: "a2" }, csB]);
    expect(up.error).toBeUndefined();
    expect.soft(flowResources(200), "flow 200 in Nexla after the move").toEqual(all(flow200, "ACTIVE"));
    expect.soft(h.writes(), "writes of the move").toEqual([]);
  });

  it("a sub-flow no Flow declares any more is still paused and deleted, and the rest of the flow stays", async () => {
    const stack = "split-drop";
    expect((await run(stack, "up", [csA, csB])).error).toBeUndefined();
    h.emulator.control.clearRequests();

    const up = await run(stack, "up", [csA]);
    expect(up.error).toBeUndefined();
    expect(h.writes()).toEqual(["PUT /data_sets/2104/flow/pause", "DELETE /data_sets/2104/flow"]);
    const gone = ["data_set 2104", "data_sink 3102"];
    expect(flowResources(200)).toEqual(
      all(
        flow200.filter((r) => !gone.includes(r)),
        "ACTIVE",
      ),
    );
  });
});

describe("a Flow moved under a component", () => {
  it("is told apart by its URN: preview and up finish, the old one releases its flow, nothing is deleted", async () => {
    const stack = "component";
    const a = { name: "a", args: { flowId: 100, status: "ACTIVE" } } as const;
    const b = { name: "b", args: { flowId: 300, status: "PAUSED" }, options: { parent: "group" } } as const;
    expect((await run(stack, "up", [a, b])).error).toBeUndefined();
    h.emulator.control.clearRequests();

    // One Flow already under the component and one new there: a preview that once waited for ever.
    const moved = [{ ...a, options: { parent: "group" } }, b] as const;
    expect((await run(stack, "preview", moved)).error).toBeUndefined();
    const up = await run(stack, "up", moved);
    expect(up.error).toBeUndefined();
    expect.soft(h.writes(), "writes of the move").toEqual([]);
    expect.soft(flowResources(100), "flow 100 in Nexla").toEqual(all(flow100, "ACTIVE"));
    expect.soft(said(up)).toContain('"a" released it, nothing deleted');

    // The URN the Flow class sends is the one the engine gives the resource.
    const exported = await run(stack, "export", moved);
    const resources = (
      exported.deployment as {
        checkpoint: {
          latest: { resources: { urn: string; type: string; outputs: Record<string, unknown> }[] };
        };
      }
    ).checkpoint.latest.resources.filter((r) => r.type === "pulumi-nodejs:dynamic/nexla:Flow");
    expect(resources).toHaveLength(2);
    for (const r of resources) expect(r.outputs["__flowUrn"], r.urn).toBe(r.urn);
  });
});

describe("re-exporting after a change in Nexla's UI", () => {
  it("a whole-flow entry split into sub-flow entries by a re-export deletes no flow the new file declares", async () => {
    // Two flows with one Nexla name, as in the orgs where a re-export once deleted a flow: its entry's name
    // went to the other flow. Names are stable now (slug and anchor id), and the provider releases in any case.
    const named = (n: Seed["flow_nodes"][number]) => ([100, 200].includes(n.id) ? { ...n, name: "dash" } : n);
    h.emulator.control.reset({ ...sampleSeed, flow_nodes: sampleSeed.flow_nodes.map(named) });
    const only = ["--flow", "100", "--flow", "200"];
    const config = { "gitops:flowsFile": { value: join(h.workDir, "flows.yaml") } };
    const entries = async () =>
      (parse(await readFile(join(h.workDir, "flows.yaml"), "utf8")) as { flows: Record<string, unknown>[] })
        .flows;

    await exportOrg(h, "flows.yaml", only);
    const first = await entries();
    expect(first.map((e) => [e["flowId"], e["status"]])).toEqual([
      [100, "ACTIVE"],
      [200, "ACTIVE"],
    ]);
    h.emulator.control.clearRequests();
    expect((await h.stack("gitops", "up", { stack: "reexport", config })).error).toBeUndefined();
    expect(h.writes()).toEqual([]);

    // In Nexla's UI, someone pauses the first flow's sink: that flow is now MIXED, and a fresh export (not
    // --update) writes it as sub-flow entries, which removes its whole-flow entry: a split, for the engine.
    h.emulator.control.setStatus("data_sink", 3000, "PAUSED");
    await exportOrg(h, "flows.yaml", [...only, "--force"]);
    const declared = await entries();
    expect(declared.some((e) => e["flowId"] === 100)).toBe(false);
    expect(declared.find((e) => e["flowId"] === 200)?.["name"]).toBe(first[1]?.["name"]);
    h.emulator.control.clearRequests();

    const up = await h.stack("gitops", "up", { stack: "reexport", config });
    expect(up.error).toBeUndefined();
    expect.soft(flowResources(200), "flow 200 in Nexla").toEqual(all(flow200, "ACTIVE"));
    expect
      .soft(flowResources(100), "flow 100 in Nexla")
      .toEqual(["data_source 1000 ACTIVE", "data_set 2000 ACTIVE", "data_sink 3000 PAUSED"]);
    expect.soft(h.writes(), "writes").toEqual([]);
    expect.soft(said(up)).toContain(`${JSON.stringify(first[0]?.["name"])} released it`);
  });
});

describe("a flow linked to a RAG flow", () => {
  const docsIngest = { name: "docs-ingest", args: { flowId: 700, status: "PAUSED" } } as const;
  const supportRag = { name: "support-rag", args: { flowId: 710, status: "ACTIVE" } } as const;

  it("with the RAG flow's Flow depending on it, destroy deletes both in one operation, the RAG flow first", async () => {
    const stack = "rag-both";
    const flows = [docsIngest, { ...supportRag, options: { dependsOn: ["docs-ingest"] } }] as const;
    expect((await run(stack, "up", flows)).error).toBeUndefined();
    expect(h.writes()).toEqual([]);

    const destroy = await run(stack, "destroy", flows);
    expect.soft(destroy.error).toBeUndefined();
    expect.soft(flowResources(700), "flow 700 in Nexla").toEqual([]);
    expect.soft(flowResources(710), "flow 710 in Nexla").toEqual([]);
    expect
      .soft(h.writes().filter((w) => w.startsWith("DELETE")))
      .toEqual(["DELETE /flows/710?full_tree=1", "DELETE /flows/700?full_tree=1"]);
  });

  it("in flows.yaml too: an entry's dependsOn makes one destroy delete both sides of a link, and of a derivation", async () => {
    const stack = "rag-yaml";
    const entry = (name: string, id: number, status: string, dependsOn?: string) => [
      `  - name: ${name}`,
      `    flowId: ${id}`,
      `    status: ${status}`,
      ...(dependsOn === undefined ? [] : [`    dependsOn: [${dependsOn}]`]),
    ];
    const text = [
      "flows:",
      ...entry("support-rag", 710, "ACTIVE", "docs-ingest"),
      ...entry("docs-ingest", 700, "PAUSED"),
      ...entry("catalog-derived", 610, "ACTIVE", "shared-catalog"),
      ...entry("shared-catalog", 600, "PAUSED"),
    ].join("\n");
    const config = { "gitops:flowsFile": { value: await h.writeFile("linked.yaml", text + "\n") } };
    expect((await h.stack("gitops", "up", { stack, config })).error).toBeUndefined();
    expect(h.writes()).toEqual([]);

    const destroy = await h.stack("gitops", "destroy", { stack, config });
    expect.soft(destroy.error).toBeUndefined();
    for (const origin of [600, 610, 700, 710])
      expect.soft(flowResources(origin), `flow ${origin}`).toEqual([]);
    const deletes = h.writes().filter((w) => w.startsWith("DELETE"));
    expect
      .soft(deletes.indexOf("DELETE /flows/710?full_tree=1"))
      .toBeLessThan(deletes.indexOf("DELETE /flows/700?full_tree=1"));
    expect
      .soft(deletes.indexOf("DELETE /flows/610?full_tree=1"))
      .toBeLessThan(deletes.indexOf("DELETE /flows/600?full_tree=1"));
  });

  it("without it, Nexla's refusal to delete the linked flow names the RAG flow and says to add dependsOn", async () => {
    // Deterministic: the stack holds only flow 700, and flow 710 (not in this stack) still links it.
    const stack = "rag-alone";
    expect((await run(stack, "up", [docsIngest])).error).toBeUndefined();

    const destroy = await run(stack, "destroy", [docsIngest]);
    expect(destroy.ok).toBe(false);
    expect
      .soft(flowResources(700), "flow 700 in Nexla")
      .toEqual(all(["data_source 1600", "data_set 2600", "data_sink 3600"], "PAUSED"));
    expect
      .soft(flowResources(710), "flow 710 in Nexla")
      .toEqual(all(["data_source 1610", "data_set 2610", "data_sink 3610"], "ACTIVE"));
    expect.soft(destroy.error).toMatch(/\b710\b/);
    expect.soft(destroy.error).toContain("dependsOn");
  });
});
