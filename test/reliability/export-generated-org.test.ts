/**
 * The export round trip on an org of several hundred flows in mixed states (`generateSeed({ mixed: true })`:
 * paused sinks under running flows, INIT flows, one name shared by many flows, names with nothing usable),
 * read over several pages: up adopts every Flow with zero writes, preview --refresh shows no changes. A minute of
 * CLI time, so it runs with the reliability suite rather than in `npm test`.
 */
import { join } from "node:path";
import { expect, it } from "vitest";
import { generateSeed } from "pulumi-nexla/emulator";
import { useHarness } from "../e2e/harness.js";
import { exportOrg } from "../e2e/export-bin.js";

const FLOWS = 400;
const h = useHarness({
  seed: generateSeed({ flows: FLOWS, mixed: true, includeSampleFlows: true }),
  resetEachTest: false,
});

it("exports 414 flows (400 generated and the sample org) in mixed states as unique Flows, and up adopts them all with zero writes", async () => {
  const { text, stderr } = await exportOrg(h, "flows.yaml");
  // Generated flows are linear (source → set → sink), so each MIXED one is one sub-flow Flow too.
  expect(stderr.split("\n").filter((l) => !l.includes("(page "))).toEqual([
    "pulumi-nexla export: read 414 flows; wrote 414 of them as 414 Flows to flows.yaml (106 ACTIVE, 157 PAUSED, 151 MIXED written as sub-flows).",
    expect.any(String),
    // The sample org's derived flow and RAG flow: the only pairs Nexla deletes in one order.
    "  2 Flows have dependsOn, so that one destroy deletes both flows of each pair, in the order Nexla needs " +
      "(flow 610 derives from a shared nexset of flow 600; flow 710 is a RAG flow linked to flow 700).",
    expect.any(String),
    "",
  ]);
  expect(stderr).toContain("read 414 flows (page 5)");
  // Read twice: the second reading listed the same flows, so nothing changed under the export.
  expect(stderr).toContain("read 414 flows again, to be sure the list did not change (page 5, reading 2)");
  expect(stderr).not.toContain("reading 3");
  const names = [...text.matchAll(/^ {2}- name: "(.*)"$/gm)].map((m) => m[1]);
  expect(new Set(names).size).toBe(names.length);
  // Each name is its own flow's (issue 19): a shared name never makes one flow's entry depend on another's.
  expect(names).toEqual(
    expect.arrayContaining([
      "nightly-load-100060",
      "nightly-load-100140",
      "flow-100150",
      "uberweisungen-eu-q1-100070",
      "flow-3-sink-3-sink100003",
    ]),
  );

  const config = { "gitops:flowsFile": { value: join(h.workDir, "flows.yaml") } };
  h.emulator.control.clearRequests();
  const up = await h.stack("gitops", "up", { stack: "generated", config });
  expect(up.error).toBeUndefined();
  expect(up.changes).toEqual({ create: names.length + 1 });
  expect(h.writes()).toEqual([]);

  const preview = await h.stack("gitops", "preview-refresh", { stack: "generated", config });
  expect(preview.error).toBeUndefined();
  expect(preview.changes).toEqual({ same: names.length + 1 });
  expect(h.writes()).toEqual([]);
  expect((await exportOrg(h, "flows-again.yaml")).text).toBe(text);
});
