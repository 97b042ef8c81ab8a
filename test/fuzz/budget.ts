/**
 * How much the fuzz runs, and how a run is reproduced: a fixed budget in CI, more by hand with
 * `npm run fuzz -- --steps N --seed S` (tools/fuzz.mjs sets these variables). A failure prints fast-check's
 * seed and path, and the shrunk sequence of steps with what each did.
 */
import fc from "fast-check";
import { commands, newModel, type Driver } from "./model.js";
import { orgShape, seedOf } from "./org.js";

export interface Budget {
  /** Steps (commands) in all, split into runs of at most `perRun`. */
  readonly steps: number;
  readonly perRun: number;
  readonly seed: number;
  /** fast-check's path of a failure to replay (with its seed). */
  readonly path?: string;
}

export function budget(defaults: { steps: number; perRun: number }): Budget {
  const env = process.env;
  const number = (name: string) =>
    env[name] === undefined || env[name] === "" ? undefined : Number(env[name]);
  return {
    steps: number("FUZZ_STEPS") ?? defaults.steps,
    perRun: number("FUZZ_PER_RUN") ?? defaults.perRun,
    seed: number("FUZZ_SEED") ?? 20261206,
    ...(env["FUZZ_PATH"] ? { path: env["FUZZ_PATH"] } : {}),
  };
}

export interface FuzzReport {
  runs: number;
  steps: number;
  operations: number;
  /** Operations by kind and outcome (`up ok`, `destroy failed`…), to show what the budget exercised. */
  outcomes: Record<string, number>;
}

/** Runs the model on `driver` within `b`; throws fast-check's report (seed, path, shrunk steps) on a failure. */
export async function fuzz(driver: Driver, b: Budget): Promise<FuzzReport> {
  const report: FuzzReport = { runs: 0, steps: 0, operations: 0, outcomes: {} };
  const property = fc.asyncProperty(
    orgShape,
    fc.commands(commands, { maxCommands: b.perRun, size: "max" }),
    async (shape, cmds) => {
      driver.emulator.control.reset(seedOf(shape));
      await driver.newStack();
      const model = newModel();
      report.runs += 1;
      await fc.asyncModelRun(() => ({ model, real: driver }), cmds);
      report.steps += [...cmds].length;
      for (const step of model.steps) {
        const op = /^(up-refresh|up|preview|refresh|destroy)\b.*→ (ok|failed)$/.exec(step);
        if (op === null) continue;
        report.operations += 1;
        const kind = `${op[1]} ${op[2]}`;
        report.outcomes[kind] = (report.outcomes[kind] ?? 0) + 1;
      }
      if (process.env["FUZZ_SHOW"] === "1") console.log(model.steps.join("\n"));
    },
  );
  await fc.assert(property, {
    seed: b.seed,
    numRuns: Math.max(1, Math.ceil(b.steps / b.perRun)),
    ...(b.path === undefined ? {} : { path: b.path }),
    endOnFailure: process.env["FUZZ_NO_SHRINK"] === "1",
    verbose: 0,
  });
  return report;
}
