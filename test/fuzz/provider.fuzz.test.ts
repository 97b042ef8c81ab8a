/**
 * The fuzz's model (model.ts) through the provider's methods in this process (provider-driver.ts), against the
 * emulator over HTTP: many short programs, edits, out-of-band changes and faults a second.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createEmulator, type Emulator, type RunningEmulator } from "pulumi-nexla/emulator";
import { budget, fuzz } from "./budget.js";
import { providerDriver } from "./provider-driver.js";

let emulator: Emulator;
let api: RunningEmulator;
const saved = { ...process.env };
beforeAll(async () => {
  emulator = createEmulator({ rateLimits: false });
  api = await emulator.listen({ port: 0 });
});
afterAll(async () => {
  process.env = saved;
  await api?.close();
});

it("keeps every invariant over random programs, edits, changes in Nexla and faults (provider methods)", async () => {
  const b = budget({ steps: 3000, perRun: 30 });
  const report = await fuzz(providerDriver(emulator, api.url), b);
  console.log(
    `provider fuzz: seed ${b.seed}, ${report.runs} runs, ${report.steps} steps, ${report.operations} operations: ` +
      JSON.stringify(report.outcomes),
  );
  expect(report.operations).toBeGreaterThan(0);
});
