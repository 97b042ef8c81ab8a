/** The subflow example through the real CLI: only the sub-flow's calls, and the rest of the flow untouched. */
import { expect, it } from "vitest";
import { useHarness } from "./harness.js";

const h = useHarness({ resetEachTest: false });

it("subflow pauses the subtree below data set 2101 and nothing else, then destroy deletes only that subtree", async () => {
  const up = await h.stack("subflow", "up");
  expect(up.error).toBeUndefined();
  expect(h.writes()).toEqual(["PUT /data_sets/2101/flow/pause"]);
  const state = h.emulator.control.state();
  const status = (id: number) => state.data_sets.find((s) => s.id === id)?.status;
  expect([2101, 2102, 2103, 2100, 2104].map(status)).toEqual([
    "PAUSED",
    "PAUSED",
    "PAUSED",
    "ACTIVE",
    "ACTIVE",
  ]);
  expect((await h.stack("subflow", "preview")).changes).toEqual({ same: 2 });
  h.emulator.control.clearRequests();
  expect((await h.stack("subflow", "destroy")).ok).toBe(true);
  expect(h.writes()).toEqual(["DELETE /data_sets/2101/flow"]);
  const left = h.emulator.control.state().data_sets.map((s) => s.id);
  expect(left).toEqual(expect.arrayContaining([2100, 2104]));
  expect(left).not.toContain(2101);
});
