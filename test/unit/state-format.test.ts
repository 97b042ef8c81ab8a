/**
 * What state written by earlier versions needs from the package. Every Flow stores its provider as
 * `require("pulumi-nexla/internal/flow-provider")` (provider/shim.cts), and `refresh` and `destroy` run that
 * stored text (docs/pulumi.md A2): dropping or renaming the export would break them for every existing stack,
 * and a no-change `up` does not rewrite the stored outputs. The shim loads `internal/provider-runtime` by name.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  exports: Record<string, unknown>;
  files: string[];
};

describe("the package subpaths stored state loads", () => {
  it("exports internal/flow-provider as the CommonJS shim, and internal/provider-runtime", () => {
    expect(manifest.exports["./internal/flow-provider"]).toBe("./dist/provider/shim.cjs");
    expect(manifest.exports["./internal/provider-runtime"]).toMatchObject({
      default: "./dist/provider/runtime.js",
    });
    expect(manifest.files).toContain("dist/provider");
  });

  it("the shim loads the runtime by that name", () => {
    const shim = readFileSync(join(root, "provider/shim.cts"), "utf8");
    expect(shim).toContain('"pulumi-nexla/internal/provider-runtime"');
    expect(shim).toMatch(/^export = flowProvider;$/m);
  });
});
