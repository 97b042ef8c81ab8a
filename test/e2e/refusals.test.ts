/**
 * The refusals Nexla's server makes (docs/nexla-api.md §2.4, §10), through the real CLI against the emulator's
 * sample flows 600-910: for each, Nexla's final state in the emulator and the message the user reads.
 *
 * The program is tools/e2e-programs/declared.ts: the Flows come from stack config.
 * Every test runs twice: with the dynamic `Flow`, and with `NativeFlow` served by the native plugin
 * (`pulumi-resource-nexla`) on the same runtime.
 */
import { describe, expect, it } from "vitest";
import { declaredThrough, doors, flowTypes, said, useHarness } from "./harness.js";

const h = useHarness();

/** `id STATUS` of each resource of the flow whose origin node is `origin`, in Nexla now, sorted by id. */
function flowState(origin: number): string[] {
  const s = h.emulator.control.state();
  return [...s.data_sources, ...s.data_sets, ...s.data_sinks]
    .filter((r) => r.origin_node_id === origin)
    .sort((a, b) => a.id - b.id)
    .map((r) => `${r.id} ${r.status}`);
}

describe.each(doors)("served by the %s provider", (door) => {
  const run = declaredThrough(h, door);

  /** The Flow's stored `status` output, from the stack's checkpoint. */
  async function storedStatus(stack: string): Promise<unknown> {
    const state = await run(stack, "export", []);
    type Checkpoint = {
      checkpoint: { latest: { resources: { type: string; outputs: { status?: unknown } }[] } };
    };
    const resources = (state.deployment as Checkpoint).checkpoint.latest.resources;
    return resources.find((r) => flowTypes.includes(r.type))?.outputs.status;
  }

  describe("a flow whose shared nexset feeds a derived flow", () => {
    it("is never deleted: the delete is refused after the pause, which is undone, and the message says why and what to do", async () => {
      const stack = "shared";
      h.emulator.control.setStatus("data_set", 2510, "PAUSED", { cascade: true });
      expect((await run(stack, "up", [{ name: "f", args: { flowId: 600, status: "ACTIVE" } }])).ok).toBe(
        true,
      );
      // The derived flow (another org's) was neither activated nor read as part of flow 600.
      expect(flowState(600)).toEqual(["1500 ACTIVE", "2500 ACTIVE", "3500 ACTIVE"]);
      expect(flowState(610)).toEqual(["2510 PAUSED", "3510 PAUSED"]);
      const remove = await run(stack, "up", []);
      expect(remove.ok).toBe(false);
      expect(said(remove)).toContain(
        'Could not delete flow 600 (DELETE /flows/600?full_tree=1): Nexla answered 405 Method Not Allowed: "Flow cannot be deleted while shared nexsets have downstream flows" (flows derived from its shared nexsets belong to: outsider@other.example of Other Co (org 3)). Delete those derived flows in Nexla, or detach them from this flow\'s shared nexsets, first; or give the Flow the retainOnDelete resource option to leave this flow in Nexla when the Flow is removed.',
      );
      expect(said(remove)).toContain(
        "The flow had been paused to delete it; data_source 1500, data_set 2500, data_sink 3500 were activated again, as they were before.",
      );
      expect(flowState(600)).toEqual(["1500 ACTIVE", "2500 ACTIVE", "3500 ACTIVE"]);
      expect(flowState(610)).toEqual(["2510 PAUSED", "3510 PAUSED"]);
      // retainOnDelete, as the message says, lets the Flow go and leaves the flow in Nexla.
      const retained = [
        { name: "f", args: { flowId: 600, status: "ACTIVE" }, options: { retainOnDelete: true } },
      ] as const;
      expect((await run(stack, "up", retained)).ok).toBe(true);
      expect((await run(stack, "up", [])).ok).toBe(true);
      expect(flowState(600)).toEqual(["1500 ACTIVE", "2500 ACTIVE", "3500 ACTIVE"]);
    });

    it("a Flow anchored in the derived flow manages only that flow", async () => {
      const stack = "derived";
      const up = await run(stack, "up", [{ name: "d", args: { flowId: 610, status: "PAUSED" } }]);
      expect(up.ok).toBe(true);
      expect(flowState(610)).toEqual(["2510 PAUSED", "3510 PAUSED"]);
      expect(flowState(600)).toEqual(["1500 PAUSED", "2500 PAUSED", "3500 PAUSED"]);
      expect(h.writes()).toEqual(["PUT /flows/610/pause?full_tree=1"]);
      expect((await run(stack, "up", [])).ok).toBe(true);
      expect(flowState(610)).toEqual([]);
      expect(flowState(600)).toEqual(["1500 PAUSED", "2500 PAUSED", "3500 PAUSED"]);
    });
  });

  describe("a flow linked to a RAG flow", () => {
    it("is not deleted, and the message names the RAG flow", async () => {
      const stack = "rag";
      expect((await run(stack, "up", [{ name: "f", args: { flowId: 700, status: "PAUSED" } }])).ok).toBe(
        true,
      );
      const remove = await run(stack, "up", []);
      expect(remove.ok).toBe(false);
      expect(said(remove)).toContain(
        'Could not delete flow 700 (DELETE /flows/700?full_tree=1): Nexla answered 405 Method Not Allowed: "Flow cannot be deleted while linked to a RAG flow" (linked RAG flow: 710). Unlink it from the RAG flow in Nexla (or delete that flow) first; or give the Flow the retainOnDelete resource option to leave this flow in Nexla when the Flow is removed.',
      );
      expect(flowState(700)).toEqual(["1600 PAUSED", "2600 PAUSED", "3600 PAUSED"]);
      expect(flowState(710)).toEqual(["1610 ACTIVE", "2610 ACTIVE", "3610 ACTIVE"]);
    });
  });

  describe("an org at its active-source limit", () => {
    it("refuses the activate before anything changes; state keeps what Nexla reports", async () => {
      const stack = "capped";
      const up = await run(stack, "up", [{ name: "f", args: { flowId: 810, status: "ACTIVE" } }]);
      expect(up.ok).toBe(false);
      expect(said(up)).toContain(
        "Could not activate flow 810 (PUT /flows/810/activate?full_tree=1): Nexla answered 400 Bad Request: \"Active data source limit would be exceeded.\". The flow's org has as many active data sources as its Nexla tier allows, and Nexla then refuses to activate or pause its flows: pause a data source of another flow of the org in Nexla, or have the org's limit raised, then run again.",
      );
      expect(flowState(810)).toEqual(["1710 PAUSED", "2710 PAUSED", "3710 PAUSED"]);
      expect(await storedStatus(stack)).toBe("PAUSED");
      // Once the limit is raised (as Nexla's operators would), the same program converges.
      h.emulator.control.setOrg(4, { activeSourceLimit: 2 });
      expect((await run(stack, "up", [{ name: "f", args: { flowId: 810, status: "ACTIVE" } }])).ok).toBe(
        true,
      );
      expect(flowState(810)).toEqual(["1710 ACTIVE", "2710 ACTIVE", "3710 ACTIVE"]);
    });
  });

  describe("an org whose cluster is migrating", () => {
    it("refuses the pause before anything changes, and the message says to wait for the migration", async () => {
      const stack = "migrating";
      const up = await run(stack, "up", [{ name: "f", args: { flowId: 900, status: "PAUSED" } }]);
      expect(up.ok).toBe(false);
      expect(said(up)).toContain(
        'Could not pause flow 900 (PUT /flows/900/pause?full_tree=1): Nexla answered 405 Method Not Allowed: "Data source cannot be paused while org\'s cluster is migrating". Nexla refuses to activate or pause the data sources of an org while its cluster migrates: wait until the migration ends, then run again.',
      );
      expect(flowState(900)).toEqual(["1800 ACTIVE", "2800 ACTIVE", "3800 ACTIVE"]);
      expect(await storedStatus(stack)).toBe("ACTIVE");
    });
  });
});
