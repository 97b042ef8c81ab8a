/**
 * The fuzz's model (model.ts) through the provider's methods in this process (provider-driver.ts), against the
 * emulator over HTTP: many short programs, edits, out-of-band changes and faults a second.
 */
import { expect, it } from "vitest";
import { emulatorOverHttp } from "../fixtures/emulator.js";
import { budget, fuzz } from "./budget.js";
import { providerDriver } from "./provider-driver.js";

const served = emulatorOverHttp();

it("keeps every invariant over random programs, edits, changes in Nexla and faults (provider methods)", async () => {
  const b = budget({ steps: 3000, perRun: 30 });
  const report = await fuzz(providerDriver(served.emulator, served.url), b);
  console.log(
    `provider fuzz: seed ${b.seed}, ${report.runs} runs, ${report.steps} steps, ${report.operations} operations: ` +
      JSON.stringify(report.outcomes),
  );
  expect(report.operations).toBeGreaterThan(0);
});
