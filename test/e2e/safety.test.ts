/**
 * Safety rules of the Flow resource, through the real CLI against the emulator. A Flow manages flows that
 * exist in Nexla; no edit of a program may destroy a flow the program still declares, or one it never managed.
 * Each test pins one rule and checks Nexla's final state in the emulator, not only the calls:
 *
 * 1. Re-anchoring a Flow on another node of the same flow is an update, never a replace: no write, no delete.
 * 2. Widening a scope (downstream → flow) is an update: one pause of the whole flow, nothing deleted.
 * 3. A Flow stays pinned to the flow it adopted: when its anchor moves into another flow, refresh reports it,
 *    up refuses to touch the other flow, and destroy leaves the other flow alone. Pointed at another flow on
 *    purpose, it releases the old flow, left as it is, and says so.
 * 4. A delete whose pause took effect but answered an error activates the flow again, and says so.
 * 5. Refresh never stores MIXED as an input, so ignoreChanges on status keeps working after it.
 * 6. Flows whose scopes share resources but declare different statuses are refused before any call.
 *
 * The program is tools/e2e-programs/declared.ts: the Flows (with resource options) come from stack config.
 * Every test runs twice: with the dynamic `Flow`, and with `NativeFlow` served by the native plugin
 * (`pulumi-resource-nexla`) on the same runtime.
 */
import { describe, expect, it } from "vitest";
import { moveSubtree } from "../fixtures/seed-edits.js";
import type { OperationResult } from "../../tools/stack.js";
import type { DeclaredFlow } from "../../tools/e2e-programs/declared.js";
import { declaredThrough, doors, flowTypes, resourcesOfFlow, said, useHarness } from "./harness.js";

const h = useHarness();

/**
 * What an operation said, without the engine's own naming of each resource (URNs, step and diagnostics
 * lines, check failures' "resource 'x'", output keys): what is left names a Flow only if the provider did.
 */
const withoutEngineNames = (r: OperationResult) =>
  said(r)
    .replace(/urn:pulumi\S*/g, "")
    .replace(/\S*nexla:(?:index:)?Flow(?: resource '[^']*'| \([^)]*\)| \S+)?/g, "")
    .replace(/^\s*[-+~]?\s*\w+\s*: \{\s*$/gm, "");

/** The kinds of change that remove something from Nexla or from the stack. */
const destructive = ["replace", "delete", "create-replacement", "delete-replaced"];
const destructiveChanges = (r: OperationResult) =>
  Object.keys(r.changes).filter((k) => destructive.includes(k));

const flowResources = (origin: number) => resourcesOfFlow(h, origin);

const flow100 = ["data_source 1000", "data_set 2000", "data_sink 3000"];
const flow200 = [
  "data_source 1100",
  ...[2100, 2101, 2102, 2103, 2104].map((id) => `data_set ${id}`),
  ...[3100, 3101, 3102].map((id) => `data_sink ${id}`),
];
/** Below data set 2101, 2101 included: what `{ dataSetId: 2101, scope: "downstream" }` covers. */
const below2101 = ["data_set 2101", "data_set 2102", "data_set 2103", "data_sink 3101"];
const withStatus = (resources: readonly string[], status: (r: string) => string) =>
  resources.map((r) => `${r} ${status(r)}`);
const all = (resources: readonly string[], status: string) => withStatus(resources, () => status);

describe.each(doors)("served by the %s provider", (door) => {
  const run = declaredThrough(h, door);

  /** The stored inputs of the Flow named `name`, as the file backend holds them (the `export` operation). */
  async function storedInputs(stack: string, flows: readonly DeclaredFlow[], name: string) {
    const exported = await run(stack, "export", flows);
    const deployment = exported.deployment as {
      checkpoint: {
        latest: { resources: { urn: string; type: string; inputs?: Record<string, unknown> }[] };
      };
    };
    const flow = deployment.checkpoint.latest.resources.find(
      (r) => flowTypes.includes(r.type) && r.urn.endsWith(`::${name}`),
    );
    expect(flow, `Flow ${name} in the exported state`).toBeDefined();
    return flow?.inputs ?? {};
  }

  describe("no program edit deletes a flow the program still declares", () => {
    it("re-anchoring a Flow on another node of the same flow updates it in place: no write, nothing deleted", async () => {
      const stack = "reanchor";
      expect((await run(stack, "up", [{ name: "f", args: { flowId: 100, status: "ACTIVE" } }])).ok).toBe(
        true,
      );
      const edited = [{ name: "f", args: { dataSourceId: 1000, status: "ACTIVE" } }] as const;
      h.emulator.control.clearRequests();

      const preview = await run(stack, "preview", edited);
      expect(preview.ok).toBe(true);
      expect(destructiveChanges(preview)).toEqual([]);

      const up = await run(stack, "up", edited);
      expect(up.error).toBeUndefined();
      expect(destructiveChanges(up)).toEqual([]);
      expect(h.writes()).toEqual([]);
      expect(flowResources(100)).toEqual(all(flow100, "ACTIVE"));
    });

    it("widening a scope from downstream to flow pauses the whole flow once and deletes nothing", async () => {
      const stack = "widen";
      const narrow = { dataSetId: 2101, scope: "downstream", status: "PAUSED" } as const;
      expect((await run(stack, "up", [{ name: "f", args: narrow }])).ok).toBe(true);
      expect(flowResources(200)).toEqual(
        withStatus(flow200, (r) => (below2101.includes(r) ? "PAUSED" : "ACTIVE")),
      );
      h.emulator.control.clearRequests();

      const up = await run(stack, "up", [{ name: "f", args: { ...narrow, scope: "flow" } }]);
      expect(up.error).toBeUndefined();
      expect(destructiveChanges(up)).toEqual([]);
      expect(h.writes()).toEqual(["PUT /data_sets/2101/flow/pause?all=1"]);
      expect(flowResources(200)).toEqual(all(flow200, "PAUSED"));
    });
  });

  describe("a Flow acts only on the flow it adopted", () => {
    it("pointed at another flow, it releases the old one, left as it is, and preview and up say so", async () => {
      const stack = "release";
      expect((await run(stack, "up", [{ name: "f", args: { flowId: 100, status: "ACTIVE" } }])).ok).toBe(
        true,
      );
      const repointed = [{ name: "f", args: { flowId: 200, status: "PAUSED" } }] as const;
      h.emulator.control.clearRequests();

      const preview = await run(stack, "preview", repointed);
      expect(preview.ok).toBe(true);
      expect(destructiveChanges(preview)).toEqual([]);
      expect(said(preview)).toContain("flow 100 will be released — left in Nexla exactly as it is");

      const up = await run(stack, "up", repointed);
      expect(up.error).toBeUndefined();
      expect(destructiveChanges(up)).toEqual([]);
      expect(said(up)).toContain("flow 100 is released — left in Nexla exactly as it is");
      expect(h.writes()).toEqual(["PUT /flows/200/pause?full_tree=1"]);
      expect(flowResources(100)).toEqual(all(flow100, "ACTIVE"));
      expect(flowResources(200)).toEqual(all(flow200, "PAUSED"));

      // From now on it manages flow 200: destroy deletes that one, and flow 100 stays.
      h.emulator.control.clearRequests();
      expect((await run(stack, "destroy", repointed)).error).toBeUndefined();
      expect(h.writes()).toEqual(["DELETE /flows/200?full_tree=1"]);
      expect(flowResources(100)).toEqual(all(flow100, "ACTIVE"));
      expect(flowResources(200)).toEqual([]);
    });

    it("when its anchor moves into another flow: refresh reports it, up refuses, destroy leaves that flow alone", async () => {
      const stack = "pinned";
      const flows = [{ name: "pageviews", args: { dataSetId: 2104, status: "PAUSED" } }] as const;
      expect((await run(stack, "up", flows)).ok).toBe(true);
      expect(flowResources(200)).toEqual(all(flow200, "PAUSED"));

      // In Nexla's UI, someone moves data set 2104 and its sink 3102 under data set 2000 and runs them there.
      const moved = moveSubtree(h.emulator.control.state(), ["data_set", 2104], ["data_set", 2000], "ACTIVE");
      h.emulator.control.reset(moved);
      const flow100Now = all([...flow100, "data_set 2104", "data_sink 3102"], "ACTIVE").sort();
      expect(flowResources(100).sort()).toEqual(flow100Now);

      const preview = await run(stack, "preview-refresh", flows);
      expect(said(preview)).toMatch(/flow 100\b/);
      expect(h.writes()).toEqual([]);

      const up = await run(stack, "up-refresh", flows);
      expect(up.ok).toBe(false);
      expect(up.error).toContain("flow 200");
      expect(up.error).toContain("flow 100");
      expect(h.writes()).toEqual([]);
      expect(flowResources(100).sort()).toEqual(flow100Now);

      const destroy = await run(stack, "destroy", flows);
      expect(destroy.error).toBeUndefined();
      expect(flowResources(100).sort()).toEqual(flow100Now);
      // The flow it adopted (all PAUSED, as declared) is deleted through its own origin node: removing a
      // whole-flow Flow deletes that flow, and nothing else.
      expect(flowResources(200)).toEqual([]);
      expect(h.writes()).toEqual(["DELETE /flows/200?full_tree=1"]);
      const flow100Paths =
        /^\/(flows\/100|data_sources\/1000|data_sets\/(2000|2104)|data_sinks\/(3000|3102))\b/;
      expect(h.writes().filter((w) => flow100Paths.test(w.split(" ")[1] ?? ""))).toEqual([]);
      // It says what it left, beyond the provider's log of the calls it made (which names 2104 in any case).
      const notCalls = said(destroy)
        .split("\n")
        .filter((line) => !/\b(GET|PUT|POST|DELETE) \//.test(line));
      expect(notCalls.join("\n")).toContain("2104");
    });
  });

  describe("a failed delete leaves the flow as it was", () => {
    it("a pause that took effect but answered 500 is undone: the flow is activated again", async () => {
      const stack = "repair";
      expect((await run(stack, "up", [{ name: "f", args: { flowId: 100, status: "ACTIVE" } }])).ok).toBe(
        true,
      );
      // Nexla pauses the flow, then answers 500, on every try.
      h.emulator.control.injectFault({
        method: "PUT",
        path: "/flows/100/pause",
        status: 500,
        after: true,
        times: 10,
      });

      const remove = await run(stack, "up", []);
      expect(remove.ok).toBe(false);
      expect(flowResources(100)).toEqual(all(flow100, "ACTIVE"));
      expect(said(remove)).toContain("activated again");

      h.emulator.control.clearFaults();
      const again = await run(stack, "up", []);
      expect(again.error).toBeUndefined();
      expect(flowResources(100)).toEqual([]);
    });
  });

  describe("refresh stores only declarable inputs", () => {
    it("after a refresh that saw MIXED, the stored status is ACTIVE or PAUSED and ignoreChanges on status works", async () => {
      const stack = "mixed";
      const flows = [
        { name: "f", args: { flowId: 200, status: "ACTIVE" }, options: { ignoreChanges: ["status"] } },
      ] as const;
      expect((await run(stack, "up", flows)).ok).toBe(true);
      h.emulator.control.setStatus("data_sink", 3100, "PAUSED"); // flow 200 is now MIXED

      expect((await run(stack, "refresh", flows)).ok).toBe(true);
      expect(["ACTIVE", "PAUSED"]).toContain((await storedInputs(stack, flows, "f"))["status"]);

      h.emulator.control.clearRequests();
      const up = await run(stack, "up", flows);
      expect(up.error).toBeUndefined();
      expect((await run(stack, "refresh", flows)).error).toBeUndefined();
      expect((await run(stack, "preview", flows)).error).toBeUndefined();
      // Nothing was deleted or paused: the sink paused out of band is the only resource that may be PAUSED.
      expect(h.writes().filter((w) => w.startsWith("DELETE") || w.includes("/pause"))).toEqual([]);
      const now = flowResources(200);
      expect(now.filter((r) => !r.startsWith("data_sink 3100 "))).toEqual(
        all(flow200, "ACTIVE").filter((r) => !r.startsWith("data_sink 3100 ")),
      );
      expect(["data_sink 3100 ACTIVE", "data_sink 3100 PAUSED"]).toContain(
        now.find((r) => r.startsWith("data_sink 3100 ")),
      );
    });
  });

  describe("overlapping Flows", () => {
    const whole = { name: "whole", args: { flowId: 200, status: "ACTIVE" } } as const;
    const archive = (status: "ACTIVE" | "PAUSED") =>
      ({ name: "archive", args: { dataSetId: 2101, scope: "downstream", status } }) as const;
    /** Names both Flows (in the provider's words, not the engine's) and a resource their scopes share. */
    const refusesBoth = (r: OperationResult) => {
      expect(r.ok).toBe(false);
      expect(withoutEngineNames(r)).toMatch(/\bwhole\b/);
      expect(withoutEngineNames(r)).toMatch(/\barchive\b/);
      expect(said(r)).toMatch(/data[_ ]set 210[123]|data[_ ]sink 3101/);
    };

    it("that agree are allowed; that contradict each other are refused before any call; apart, they run", async () => {
      const stack = "overlap";
      expect((await run(stack, "up", [whole, archive("ACTIVE")])).error).toBeUndefined();
      expect(flowResources(200)).toEqual(all(flow200, "ACTIVE"));
      h.emulator.control.clearRequests();

      refusesBoth(await run(stack, "preview", [whole, archive("PAUSED")]));
      const up = await run(stack, "up", [whole, archive("PAUSED")]);
      refusesBoth(up);
      expect(h.writes()).toEqual([]);
      expect(flowResources(200)).toEqual(all(flow200, "ACTIVE"));

      // Flows that do not overlap are not refused: a fresh stack on the sample org.
      h.emulator.control.reset();
      const apart = [{ name: "whole", args: { flowId: 100, status: "ACTIVE" } }, archive("PAUSED")] as const;
      expect((await run("apart", "up", apart)).error).toBeUndefined();
      expect(h.writes()).toEqual(["PUT /data_sets/2101/flow/pause"]);
      expect(flowResources(100)).toEqual(all(flow100, "ACTIVE"));
      expect(flowResources(200)).toEqual(
        withStatus(flow200, (r) => (below2101.includes(r) ? "PAUSED" : "ACTIVE")),
      );
    });
  });
});
