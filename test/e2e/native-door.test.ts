/**
 * The native door from TypeScript: `NativeFlow` (the plugin's `nexla:index:Flow`) in a TypeScript program through
 * the real CLI, and the move of a stack from the dynamic `Flow` to `NativeFlow`.
 *
 * The move is the dangerous edit: for the engine, swapping the class is "create the NativeFlow, delete the Flow",
 * and the Flow's delete runs in the dynamic provider's own process, not in the plugin that checked the
 * NativeFlows. The declarations of every provider process of an operation are shared (the dynamic provider's
 * host too), so that delete releases the flow instead of pausing and deleting it. Each test checks Nexla's state,
 * the writes, and what the output says.
 *
 * The program is tools/e2e-programs/declared.ts: `door: "native"` declares a NativeFlow.
 */
import { describe, expect, it } from "vitest";
import type { OperationResult } from "../../tools/stack.js";
import type { DeclaredFlow, Door } from "../../tools/e2e-programs/declared.js";
import { flowTypes, resourcesOfFlow, said, useHarness } from "./harness.js";

const h = useHarness();
const run = h.declared;

const all = (resources: readonly string[], status: string) => resources.map((r) => `${r} ${status}`);
const flow100 = ["data_source 1000", "data_set 2000", "data_sink 3000"];
/** Below data set 2101, 2101 included: what `{ dataSetId: 2101, scope: "downstream" }` covers. */
const below2101 = ["data_set 2101", "data_set 2102", "data_set 2103", "data_sink 3101"];
const in200 = (resources: readonly string[]) =>
  resourcesOfFlow(h, 200).filter((r) => resources.some((x) => r.startsWith(`${x} `)));

/** The stored resources of type Flow or NativeFlow, as `type::name`. */
function stackFlows(exported: OperationResult): string[] {
  const deployment = exported.deployment as {
    checkpoint: { latest: { resources: { urn: string; type: string }[] } };
  };
  return deployment.checkpoint.latest.resources
    .filter((r) => flowTypes.includes(r.type))
    .map((r) => `${r.type}::${r.urn.slice(r.urn.lastIndexOf("::") + 2)}`)
    .sort();
}

/** The lines of the CLI's Diagnostics section under the NativeFlow `name`. */
function diagnosticsOf(output: string, name: string): string[] {
  const lines = output.slice(output.indexOf("\nDiagnostics:\n")).split("\n");
  const start = lines.indexOf(`  nexla:index:Flow (${name}):`);
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && !line.startsWith("    "));
  return lines.slice(start + 1, end < 0 ? undefined : end).map((line) => line.trim());
}

const program = (door: Door): DeclaredFlow[] => [
  { name: "orders", door, args: { flowId: 100, status: "ACTIVE" } },
  { name: "archive", door, args: { dataSetId: 2101, scope: "downstream", status: "PAUSED" } },
];

describe("a TypeScript program on the native provider", () => {
  it("up, preview --refresh, refresh and destroy act on Nexla as the dynamic Flow does", async () => {
    const stack = "native-ts";
    const up = await run(stack, "up", program("native"));
    expect(up.error).toBeUndefined();
    expect(up.changes).toEqual({ create: 3 }); // the stack and two Flows
    expect(h.writes()).toEqual(["PUT /data_sets/2101/flow/pause"]);
    expect(in200(below2101)).toEqual(all(below2101, "PAUSED"));
    expect(up.outputs?.["archive"]).toEqual({ status: "PAUSED", originNodeId: 200, anchorNodeId: 202 });
    // The provider's lines are the resource's own diagnostics (the engine's Log with its URN), not the stack's:
    // each read and write under the Flow it was made for.
    // The token exchange goes under whichever Flow's call came first.
    const token = "POST /token → 200";
    const [archiveLines, ordersLines] = ["archive", "orders"].map((name) => diagnosticsOf(said(up), name));
    expect([...archiveLines!, ...ordersLines!].filter((line) => line === token)).toEqual([token]);
    expect(archiveLines!.filter((line) => line !== token)).toEqual([
      "GET /data_sets/2101/flow → 200",
      "flow of data_set 2101: PUT /data_sets/2101/flow/pause  (pauses data_set 2101, data_set 2102, data_set 2103, data_sink 3101)",
      "PUT /data_sets/2101/flow/pause → 200",
    ]);
    expect(ordersLines!.filter((line) => line !== token)).toEqual(["GET /flows/100 → 200"]);

    h.emulator.control.clearRequests();
    h.emulator.control.setStatus("data_source", 1000, "PAUSED"); // someone paused it in the UI
    const drift = await run(stack, "preview-refresh", program("native"));
    expect(drift.error).toBeUndefined();
    expect(drift.changes).toMatchObject({ update: 1 });
    const refreshed = await run(stack, "up-refresh", program("native"));
    expect(refreshed.error).toBeUndefined();
    expect(h.writes()).toEqual(["PUT /flows/100/activate?full_tree=1"]);
    expect(resourcesOfFlow(h, 100)).toEqual(all(flow100, "ACTIVE"));

    h.emulator.control.clearRequests();
    const destroy = await run(stack, "destroy", program("native"));
    expect(destroy.error).toBeUndefined();
    expect(resourcesOfFlow(h, 100)).toEqual([]);
    expect(in200(below2101)).toEqual([]);
    // What archive did not cover is still there.
    expect(resourcesOfFlow(h, 200)).toContain("data_source 1100 ACTIVE");
  });
});

describe("moving a stack from Flow to NativeFlow", () => {
  it("swapping the class under the same names writes nothing: the NativeFlows adopt, the Flows release", async () => {
    const stack = "move";
    const before = await run(stack, "up", program("dynamic"));
    expect(before.error).toBeUndefined();
    const nexlaBefore = [resourcesOfFlow(h, 100), resourcesOfFlow(h, 200)];
    h.emulator.control.clearRequests();

    const preview = await run(stack, "preview", program("native"));
    expect(preview.error).toBeUndefined();
    expect(preview.changes).toEqual({ create: 2, delete: 2, same: 1 }); // the stack is the same
    const moved = await run(stack, "up", program("native"));
    expect(moved.error).toBeUndefined();
    expect(moved.changes).toMatchObject({ create: 2, delete: 2 });
    expect(h.writes(), "writes to Nexla during the move").toEqual([]);
    expect([resourcesOfFlow(h, 100), resourcesOfFlow(h, 200)]).toEqual(nexlaBefore);
    // The dynamic provider's delete names the NativeFlow that holds the flow now, by its URN.
    expect(said(moved)).toContain(
      'flow 100 is declared by "orders" ("urn:pulumi:move::declared::nexla:index:Flow::orders"): "orders" released it, nothing deleted.',
    );
    expect(said(moved)).toContain(
      'the sub-flow from data_set 2101 in flow 200 is declared by "archive" ("urn:pulumi:move::declared::nexla:index:Flow::archive"): "archive" released it, nothing deleted.',
    );
    const state = await run(stack, "export", program("native"));
    expect(stackFlows(state)).toEqual(["nexla:index:Flow::archive", "nexla:index:Flow::orders"]);

    const steady = await run(stack, "preview-refresh", program("native"));
    expect(steady.error).toBeUndefined();
    expect(steady.changes).toEqual({ same: 3 });

    // The NativeFlows own the flows now: removing one deletes its flow, as removing the Flow did.
    const removed = await run(stack, "up", program("native").slice(1));
    expect(removed.error).toBeUndefined();
    expect(h.writes()).toEqual(["PUT /flows/100/pause?full_tree=1", "DELETE /flows/100?full_tree=1"]);
    expect(resourcesOfFlow(h, 100)).toEqual([]);
  });
});
