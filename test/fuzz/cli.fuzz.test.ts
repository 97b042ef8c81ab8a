/**
 * The fuzz's model (model.ts) through the real Pulumi CLI (cli-driver.ts): fewer steps than the provider run,
 * each one a real `up`, `preview`, `refresh` or `destroy` with the engine's own ordering and parallelism.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startHarness, type Harness } from "../e2e/harness.js";
import { budget, fuzz } from "./budget.js";
import { cliDriver } from "./cli-driver.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

it("keeps every invariant over random programs, edits, changes in Nexla and faults (real CLI)", async () => {
  const b = budget({ steps: 300, perRun: 20 });
  const report = await fuzz(cliDriver(h), b);
  console.log(
    `CLI fuzz: seed ${b.seed}, ${report.runs} runs, ${report.steps} steps, ${report.operations} operations: ` +
      JSON.stringify(report.outcomes),
  );
  expect(report.operations).toBeGreaterThan(0);
});
