/**
 * `export --update` keeps every name, so a change in Nexla never becomes a rename for Pulumi (issue 19: a
 * sink paused in Nexla's UI split a whole-flow Flow into sub-flow Flows, and another flow's Flow was renamed;
 * each rename is a delete plus a create). Through the real bin and the real Pulumi CLI.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { exportOrg, nexlaBin } from "./export-bin.js";
import { useHarness } from "./harness.js";

const h = useHarness({ resetEachTest: false });

const names = (text: string) => [...text.matchAll(/^ {2}- name: "(.*)"$/gm)].map((m) => m[1]);

it("updates the file after changes in Nexla without renaming, removing or splitting an entry, and up creates and deletes nothing", async () => {
  const config = { "gitops:flowsFile": { value: join(h.workDir, "flows.yaml") } };
  const { text } = await exportOrg(h, "flows.yaml");
  const adopted = await h.stack("gitops", "up", { config });
  expect(adopted.error).toBeUndefined();

  // In Nexla's UI: a sink of clickstream paused (a fresh export would split its Flow in three), billing started.
  h.emulator.control.setStatus("data_sink", 3100, "PAUSED");
  for (const [kind, id] of [
    ["data_source", 1200],
    ["data_set", 2200],
    ["data_sink", 3200],
  ] as const)
    h.emulator.control.setStatus(kind, id, "ACTIVE");
  const { stderr } = await nexlaBin(h, ["export", "--update", "flows.yaml"]);
  expect(stderr).toContain(
    "clickstream-200: MIXED in Nexla (data_sink 3100 is PAUSED); kept ACTIVE: the next `pulumi up --refresh` " +
      "will change Nexla back to ACTIVE.",
  );
  expect(stderr).toContain("billing-export-300: status PAUSED → ACTIVE, as Nexla has it now.");
  const updated = await readFile(join(h.workDir, "flows.yaml"), "utf8");
  expect(names(updated)).toEqual(names(text));

  h.emulator.control.clearRequests();
  const up = await h.stack("gitops", "up-refresh", { config });
  expect(up.error).toBeUndefined();
  expect(up.changes["create"] ?? 0).toBe(0);
  expect(up.changes["delete"] ?? 0).toBe(0);
  // The MIXED flow is set back as the file declares; billing is adopted as it runs now.
  expect(h.writes()).toEqual(["PUT /flows/200/activate?full_tree=1"]);
});
