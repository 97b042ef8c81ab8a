/**
 * The real Pulumi CLI against the emulator: adoption, no-op re-runs, status changes, drift, removal, destroy.
 * Each test starts from the emulator's sample org and a fresh stack.
 */
import { describe, expect, it } from "vitest";
import { useHarness } from "./harness.js";

const h = useHarness();

const gitops = (...entries: string[]) => `flows:\n${entries.join("")}`;
const orders = "  - name: orders\n    flowId: 100\n    status: ACTIVE\n";
const staging = "  - name: staging\n    flowId: 500\n    status: PAUSED\n";
const archive = "  - name: archive\n    dataSetId: 2101\n    scope: downstream\n    status: PAUSED\n";
const billing = "  - name: billing\n    dataSourceId: 1200\n    status: ACTIVE\n";

describe("pulumi up, preview, refresh and destroy through the real CLI", () => {
  it("adopts several flows, then a preview shows no changes and a second up makes no write call", async () => {
    const flowsFile = await h.writeFile("flows-adopt.yaml", gitops(orders, staging, archive, billing));
    const config = { "gitops:flowsFile": { value: flowsFile } };
    const up = await h.stack("gitops", "up", { stack: "adopt", config });
    expect(up.error).toBeUndefined();
    expect(up.changes).toEqual({ create: 5 }); // four flows and the stack
    // orders is ACTIVE and staging INIT (counts as paused) already: only the other two need a call.
    expect(h.writes().sort()).toEqual([
      "PUT /data_sets/2101/flow/pause",
      "PUT /data_sources/1200/flow/activate?all=1",
    ]);
    h.emulator.control.clearRequests();
    const preview = await h.stack("gitops", "preview", { stack: "adopt", config });
    expect(preview.changes).toEqual({ same: 5 });
    const again = await h.stack("gitops", "up", { stack: "adopt", config });
    expect(again.changes).toEqual({ same: 5 });
    expect(h.writes()).toEqual([]);
    const destroy = await h.stack("gitops", "destroy", { stack: "adopt", config });
    expect(destroy.ok).toBe(true);
  });

  it("changing status in the program makes exactly the planned call", async () => {
    const up = await h.stack("quickstart", "up", { stack: "status" });
    expect(up.ok).toBe(true);
    expect(h.writes()).toEqual([]);
    const pause = await h.stack("quickstart", "up", {
      stack: "status",
      config: { "quickstart:status": { value: "PAUSED" } },
    });
    expect(pause.changes).toEqual({ same: 1, update: 1 });
    expect(h.writes()).toEqual(["PUT /flows/100/pause?full_tree=1"]);
    expect(pause.outputs?.["status"]).toBe("PAUSED");
  });

  it("preview --refresh reports an out-of-band pause and up --refresh restores the declared state", async () => {
    expect((await h.stack("quickstart", "up", { stack: "drift" })).ok).toBe(true);
    h.emulator.control.setStatus("data_sink", 3000, "PAUSED");
    h.emulator.control.clearRequests();
    const preview = await h.stack("quickstart", "preview-refresh", { stack: "drift" });
    expect(preview.changes["update"]).toBe(1);
    expect(h.writes()).toEqual([]);
    const up = await h.stack("quickstart", "up-refresh", { stack: "drift" });
    expect(up.ok).toBe(true);
    expect(h.writes()).toEqual(["PUT /flows/100/activate?full_tree=1"]);
    expect(h.emulator.control.state().data_sinks.find((s) => s.id === 3000)?.status).toBe("ACTIVE");
  });

  it("removing a Flow from the program pauses and deletes only its scope; destroy deletes the rest", async () => {
    const flowsFile = await h.writeFile("flows-remove.yaml", gitops(orders, archive));
    const config = { "gitops:flowsFile": { value: flowsFile } };
    expect((await h.stack("gitops", "up", { stack: "remove", config })).ok).toBe(true);
    h.emulator.control.clearRequests();
    await h.writeFile("flows-remove.yaml", gitops(archive));
    const up = await h.stack("gitops", "up", { stack: "remove", config });
    expect(up.changes).toMatchObject({ delete: 1 });
    expect(h.writes()).toEqual(["PUT /flows/100/pause?full_tree=1", "DELETE /flows/100?full_tree=1"]);
    const state = h.emulator.control.state();
    expect(state.data_sources.map((s) => s.id)).not.toContain(1000);
    expect(state.data_sets.map((s) => s.id)).toContain(2100);
    h.emulator.control.clearRequests();
    const destroy = await h.stack("gitops", "destroy", { stack: "remove", config });
    expect(destroy.ok).toBe(true);
    // The sub-flow below data set 2101 was paused by up, so it is deleted without a pause first.
    expect(h.writes()).toEqual(["DELETE /data_sets/2101/flow"]);
    expect(h.emulator.control.state().data_sets.map((s) => s.id)).not.toContain(2101);
    expect(h.emulator.control.state().data_sets.map((s) => s.id)).toContain(2100);
  });
});

describe("a provider package upgrade", () => {
  it("causes no diff, and refresh and destroy run the new code", async () => {
    const pkg = await h.installPackageCopy("0.1.0-before");
    expect((await h.stack("quickstart", "up", { stack: "upgrade" })).stdout).toContain(
      "provider 0.1.0-before",
    );
    await pkg.setVersion("0.1.1-after");
    const preview = await h.stack("quickstart", "preview", { stack: "upgrade" });
    expect(preview.changes).toEqual({ same: 2 });
    const refresh = await h.stack("quickstart", "refresh", { stack: "upgrade" });
    expect(refresh.stdout).toContain("provider 0.1.1-after");
    const destroy = await h.stack("quickstart", "destroy", { stack: "upgrade" });
    expect(destroy.stdout).toContain("provider 0.1.1-after");
    expect(h.emulator.control.state().data_sources.map((s) => s.id)).not.toContain(1000);
    await pkg.remove();
  });
});
