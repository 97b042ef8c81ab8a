/**
 * `pulumi-nexla drift` reads flows.yaml with the Flow's own rules (src/declaration: the gitops program's and
 * the provider's) and Nexla through the list of flows, and never says "No drift" where `pulumi preview
 * --refresh --expect-no-changes` would fail on the file. In process, against the emulator on 127.0.0.1.
 */
import { writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { exportCli } from "./export-cli.js";

const { emulator, cli, file } = exportCli();
const drift = async (text: string) => {
  await writeFile(file("flows.yaml"), text);
  return cli(["drift", "--flows", file("flows.yaml")]);
};
const flows = (...entries: string[]) => `flows:\n${entries.join("")}`;
const entry = (name: string, ...lines: string[]) =>
  `  - name: ${name}\n${lines.map((l) => `    ${l}\n`).join("")}`;

describe("pulumi-nexla drift", () => {
  it("says No drift (exit 0), and what it cannot see, when Nexla matches the file", async () => {
    // A flow derived from another's shared nexset is judged as its own flow, not as part of the other.
    const r = await drift(
      flows(
        entry("orders", "flowId: 100", "status: ACTIVE"),
        entry("shared-catalog", "flowId: 600", "status: PAUSED"),
        entry("catalog-derived", "dataSetId: 2510", "status: ACTIVE"),
      ),
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain("No drift: all 3 Flows in");
    expect(r.out).toContain("drift reads the file and Nexla, not the stack");
  });

  it("names each difference, counts Flows (not names), and says what export --update adopts", async () => {
    emulator.control.setStatus("data_sink", 3000, "PAUSED"); // flow 100 MIXED
    emulator.control.setStatus("data_source", 1200, "ACTIVE", { cascade: true }); // flow 300 all ACTIVE
    const r = await drift(
      flows(
        entry('"orders: eu"', "flowId: 100", "status: ACTIVE"),
        entry("billing", "flowId: 300", "status: PAUSED"),
        entry("clickstream", "flowId: 200", "status: ACTIVE"),
      ),
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain("Drift: 2 of 3 Flows in");
    expect(r.out).toContain("orders: eu (flow 100): data_sink 3000 is PAUSED, declared ACTIVE");
    expect(r.out).toContain("billing (flow 300): data_source 1200 is ACTIVE, declared PAUSED");
    expect(r.out).toContain("adopts 1 of them");
    expect(r.out).toContain("the other 1 are MIXED in Nexla");
  });

  it("reads Nexla through the list of flows, not one GET per Flow", async () => {
    emulator.control.clearRequests();
    const r = await drift(
      flows(
        entry("orders", "flowId: 100", "status: ACTIVE"),
        entry("clickstream", "dataSetId: 2101", "scope: downstream", "status: ACTIVE"),
        entry("billing", "flowId: 300", "status: PAUSED"),
      ),
    );
    expect(r.code).toBe(0);
    const reads = emulator.control.requests().filter((q) => q.method === "GET");
    expect(reads.every((q) => q.path === "/flows")).toBe(true);
  });

  it.each([
    [
      "a typo key",
      entry("orders", "flowId: 100", "staus: ACTIVE"),
      'Unknown property "staus". Did you mean "status"?',
    ],
    ["a lower-case status", entry("orders", "flowId: 100", "status: active"), 'Did you mean "ACTIVE"?'],
    [
      "a bad owner",
      entry("orders", "flowId: 100", "status: ACTIVE", "owner: { ownerId: x }"),
      "owner.ownerId",
    ],
    [
      "a duplicate name",
      entry("orders", "flowId: 100", "status: ACTIVE") + entry("orders", "flowId: 300", "status: PAUSED"),
      'the name "orders" is used by more than one entry',
    ],
  ])("refuses %s with exit 3 (could not compare), never 'No drift'", async (_what, text, says) => {
    const r = await drift(flows(text));
    expect(r.code).toBe(3);
    expect(r.out).not.toContain("No drift");
    expect(r.err).toContain(says);
  });

  it("a missing file or refused credentials are exit 3 too, said in words", async () => {
    const missing = await cli(["drift", "--flows", file("nope.yaml")]);
    expect(missing.code).toBe(3);
    expect(missing.err).toContain("there is no such file");
  });
});
