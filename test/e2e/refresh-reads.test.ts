/**
 * How fresh each kind of read is, through the real CLI at its default parallelism (provider/internal/reads.ts):
 * a refresh is one picture of Nexla, one list read however many Flows it covers; a write is planned only from a
 * read asked for before the call that answered it, so a change made in Nexla after the refresh's list is seen
 * before the writes that follow in the same `up --refresh`. The CLI (3.274) runs a plain `up --refresh` in two
 * provider processes, the refresh's and the update's; with `--run-program` the refresh's reads and the update's
 * writes share one, which is where a refresh's list must not serve a write (the second case below fails when it
 * does: orders is paused again and billing activated again).
 */
import { describe, expect, it } from "vitest";
import { requestLine } from "pulumi-nexla/emulator";
import type { DeclaredFlow } from "../../tools/e2e-programs/declared.js";
import { resourcesOfFlow, said, useHarness } from "./harness.js";

const h = useHarness();

/** The emulator's reads since the last `clearRequests`, token exchanges aside, as `GET path?query`. */
const reads = () =>
  h.emulator.control
    .requests()
    .filter((r) => r.method === "GET")
    .map(requestLine);

/**
 * Eight flows of the sample org, each declared as Nexla has it: owned by Ada (100, 200, 600, 650, 710), Otto
 * (300) and the super user whose key the harness uses (800, 900).
 */
const sampleFlows: DeclaredFlow[] = Object.entries({
  100: "ACTIVE",
  200: "ACTIVE",
  300: "PAUSED",
  600: "PAUSED",
  650: "PAUSED",
  710: "ACTIVE",
  800: "ACTIVE",
  900: "ACTIVE",
} as const).map(([flowId, status]) => ({ name: `flow-${flowId}`, args: { flowId: Number(flowId), status } }));

describe("reads of one operation", () => {
  it("a refresh of many Flows is one list read at the CLI's default parallelism", async () => {
    const up = await h.declared("one-list", "up", sampleFlows);
    expect(up.ok, said(up)).toBe(true);
    h.emulator.control.clearRequests();
    const preview = await h.declared("one-list", "preview-refresh", sampleFlows);
    expect(preview.changes).toEqual({ same: 9 });
    // Flows other users own are in the list of the flows the user may operate, and so are the user's own.
    expect(reads()).toEqual(["GET /flows?access_role=operator"]);
  });

  it.each(["up-refresh", "up-refresh-run-program"] as const)(
    "%s sees a flow changed in Nexla after the refresh's list read before the update's write and the create's",
    async (operation) => {
      const program = (orders: "ACTIVE" | "PAUSED", more: DeclaredFlow[] = []): DeclaredFlow[] => [
        { name: "orders", args: { flowId: 100, status: orders } },
        { name: "clickstream", args: { flowId: 200, status: "ACTIVE" } },
        ...more,
      ];
      expect((await h.declared(`fresh-${operation}`, "up", program("ACTIVE"))).ok).toBe(true);
      h.emulator.control.clearRequests();
      // The program now pauses orders and adopts billing (flow 300, PAUSED in Nexla) as ACTIVE. Right after the
      // refresh's list is answered, someone does both in Nexla's UI.
      let changed = false;
      const stop = h.emulator.control.onRequest((r) => {
        if (changed || r.method !== "GET" || r.path !== "/flows") return;
        changed = true;
        h.emulator.control.setStatus("data_source", 1000, "PAUSED", { cascade: true });
        h.emulator.control.setStatus("data_source", 1200, "ACTIVE", { cascade: true });
      });
      const up = await h.declared(
        `fresh-${operation}`,
        operation,
        program("PAUSED", [
          // After orders: its create reads once the refresh is over, whatever the engine runs at once.
          { name: "billing", args: { flowId: 300, status: "ACTIVE" }, options: { dependsOn: ["orders"] } },
        ]),
      );
      stop();
      expect(up.ok, said(up)).toBe(true);
      // The refresh saw orders ACTIVE, so the engine updates it, and creates billing; each reads its flow afresh,
      // finds it as declared, and writes nothing. From the refresh's list, orders would have been paused again
      // and billing activated again.
      expect(up.changes).toMatchObject({ update: 1, create: 1 });
      expect(h.writes()).toEqual([]);
      const [refresh, ...after] = reads();
      expect(refresh).toBe("GET /flows?access_role=operator");
      expect(after.length).toBeGreaterThan(0);
      expect(resourcesOfFlow(h, 100).every((r) => r.endsWith("PAUSED"))).toBe(true);
      expect(resourcesOfFlow(h, 300).every((r) => r.endsWith("ACTIVE"))).toBe(true);
    },
  );
});
