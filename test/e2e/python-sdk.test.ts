/**
 * sdk/python is generated, never edited: it must be exactly what `pulumi package gen-sdk --language python`
 * (tools/python-sdk/generate.mjs, with the real CLI and Pulumi's Python code generator) makes of the schema the
 * plugin serves. A change to the declaration model that changes the schema fails here until the SDK is
 * regenerated and committed.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { packageSchema } from "../../src/declaration/package-schema.js";
import { generatePythonSdk, sdkDifferences, sdkDir } from "../../tools/python-sdk/generate.mjs";
import { root } from "./harness.js";

const scratch = await mkdtemp(join(tmpdir(), "pulumi-nexla-python-sdk-test-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

it("sdk/python is what gen-sdk makes of the schema the plugin serves", async () => {
  const version = (JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { version: string })
    .version;
  const fresh = join(scratch, "fresh");
  await generatePythonSdk({ schema: packageSchema(version), out: fresh });
  const differences = sdkDifferences(sdkDir, fresh);
  expect(
    differences,
    "sdk/python is out of date: run `npm run build && node tools/python-sdk/generate.mjs` and commit it",
  ).toEqual([]);

  // The comparison sees every kind of difference: a file changed, one missing, one added.
  const edited = join(scratch, "edited");
  await cp(fresh, edited, { recursive: true });
  const init = join(edited, "pulumi_nexla/__init__.py");
  await writeFile(init, `${await readFile(init, "utf8")}# edited\n`);
  await rm(join(edited, "pulumi_nexla/flow.py"));
  await writeFile(join(edited, "pulumi_nexla/extra.py"), "");
  expect(sdkDifferences(edited, fresh)).toEqual([
    "pulumi_nexla/__init__.py: differs from what the schema generates",
    "pulumi_nexla/extra.py: committed, no longer generated",
    "pulumi_nexla/flow.py: generated, not committed",
  ]);
});
