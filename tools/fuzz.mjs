// `npm run fuzz -- [--steps N] [--seed S] [--cli | --both] [--path P] [--show]`: the model-based fuzz of
// test/fuzz by hand, with more steps or another seed than CI's fixed budget (`npm run test:fuzz`). The provider
// run (the provider's methods in process) is the default; `--cli` runs the model through the real Pulumi CLI,
// `--both` runs both. A failure prints fast-check's seed and path and the shrunk steps; `--seed S --path P`
// replays it. `--show` prints the steps of every run.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

const usage =
  "usage: npm run fuzz -- [--steps N] [--seed S] [--cli | --both] [--path P] [--per-run K] [--show] [--no-shrink]";
let values;
try {
  ({ values } = parseArgs({
    options: {
      steps: { type: "string" },
      seed: { type: "string" },
      path: { type: "string" },
      "per-run": { type: "string" },
      cli: { type: "boolean" },
      both: { type: "boolean" },
      show: { type: "boolean" },
      "no-shrink": { type: "boolean" },
      help: { type: "boolean" },
    },
  }));
} catch (error) {
  console.error(`${error.message}\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
for (const name of ["steps", "seed", "per-run"]) {
  const value = values[name];
  if (value !== undefined && !/^\d+$/.test(value)) {
    console.error(`--${name} takes a whole number, got "${value}".\n${usage}`);
    process.exit(2);
  }
}
const files = values.both
  ? ["test/fuzz/provider.fuzz.test.ts", "test/fuzz/cli.fuzz.test.ts"]
  : [values.cli ? "test/fuzz/cli.fuzz.test.ts" : "test/fuzz/provider.fuzz.test.ts"];
const env = {
  ...process.env,
  ...(values.steps ? { FUZZ_STEPS: values.steps } : {}),
  ...(values.seed ? { FUZZ_SEED: values.seed } : {}),
  ...(values.path ? { FUZZ_PATH: values.path } : {}),
  ...(values["per-run"] ? { FUZZ_PER_RUN: values["per-run"] } : {}),
  ...(values.show ? { FUZZ_SHOW: "1" } : {}),
  ...(values["no-shrink"] ? { FUZZ_NO_SHRINK: "1" } : {}),
};
const run = spawnSync("vitest", ["run", "--project", "fuzz", ...files], { stdio: "inherit", env });
process.exit(run.status ?? 1);
