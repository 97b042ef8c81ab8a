/**
 * The gitops example refuses a file that would do what nobody meant (issue 19), through the real Pulumi CLI:
 * a file that declares no flow deletes nothing unless it says `allowEmpty: true`; a file with a bad entry
 * declares nothing, so no good entry's call is sent first; an entry renamed with `aliases` is the same Flow.
 */
import { join } from "node:path";
import { expect, it } from "vitest";
import { useHarness } from "./harness.js";

const h = useHarness({ resetEachTest: false });

const orders = (status: string, name = "orders", more = "") =>
  `  - name: ${name}\n${more}    flowId: 100\n    status: ${status}\n`;
const billing = "  - name: billing-export\n    flowId: 300\n    status: PAUSED\n";
const nodes = () => h.emulator.control.state().flow_nodes.map((n) => n.id);

it("refuses an empty file and a file with a bad entry without a single write, and a rename with aliases is no change", async () => {
  const file = join(h.workDir, "flows.yaml");
  const config = { "gitops:flowsFile": { value: file } };
  const up = async (text: string) => {
    await h.writeFile("flows.yaml", text);
    h.emulator.control.clearRequests();
    return h.stack("gitops", "up", { config });
  };
  expect((await up(`flows:\n${orders("ACTIVE")}${billing}`)).changes).toEqual({ create: 3 });
  const before = nodes();

  const emptied = await up("flows: []\n");
  expect(emptied.error).toContain(`${file} has a problem, and no Flow was declared:`);
  expect(emptied.error).toContain(
    "- it declares no flow, so `pulumi up` would delete every flow this stack manages in Nexla. If that is " +
      'what you mean, say so: add "allowEmpty: true" at the top level of the file',
  );
  expect(h.writes()).toEqual([]);

  // The first entry alone would pause flow 100; the second is wrong, so nothing is sent.
  const bad = await up(
    `flows:\n${orders("PAUSED")}  - name: billing-export\n    flowId: 300\n    status: STOPPED\n`,
  );
  expect(bad.error).toContain(`${file} has a problem, and no Flow was declared:`);
  expect(bad.error).toContain("- flows[1] (billing-export) are not valid: status:");
  expect(h.writes()).toEqual([]);
  expect(nodes()).toEqual(before);

  const renamed = await up(`flows:\n${orders("ACTIVE", "orders-100", "    aliases: [orders]\n")}${billing}`);
  expect(renamed.error).toBeUndefined();
  expect(renamed.changes).toEqual({ same: 3 });
  expect(Object.keys(renamed.outputs?.["statuses"] as object).sort()).toEqual([
    "billing-export",
    "orders-100",
  ]);
  expect(h.writes()).toEqual([]);

  const meant = await up("allowEmpty: true\nflows: []\n");
  expect(meant.error).toBeUndefined();
  expect(meant.changes).toEqual({ delete: 2, same: 1 });
  expect(nodes()).not.toContain(100);
});
