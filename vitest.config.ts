import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests import the package by its public names; unit and integration tests run against the sources.
    alias: [
      { find: /^pulumi-nexla\/emulator$/, replacement: here("./src/emulator/index.ts") },
      { find: /^pulumi-nexla$/, replacement: here("./index.ts") },
    ],
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      { extends: true, test: { name: "integration", include: ["test/integration/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
          provide: { doors: ["dynamic"] },
        },
      },
      {
        // The safety and refusal e2e tests again, every Flow a NativeFlow served by the native plugin:
        // `npm run test:e2e-native`, which CI runs in its fresh clone beside `npm test` (both in one would
        // take npm test past ten minutes).
        extends: true,
        test: {
          name: "e2e-native",
          include: ["test/e2e/safety.test.ts", "test/e2e/refusals.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
          provide: { doors: ["native"] },
        },
      },
      {
        // The model-based fuzz (test/fuzz): `npm run test:fuzz` with CI's fixed budget, `npm run fuzz` by hand.
        extends: true,
        test: {
          name: "fuzz",
          include: ["test/fuzz/**/*.fuzz.test.ts"],
          testTimeout: 3_600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
      {
        // Long runs (hundreds of flows, injected faults, interrupted deployments): `npm run test:reliability`.
        extends: true,
        test: {
          name: "reliability",
          include: ["test/reliability/**/*.test.ts"],
          testTimeout: 1_200_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
