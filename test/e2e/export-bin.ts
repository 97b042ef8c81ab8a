/** Runs the built `pulumi-nexla` bin against a harness's emulator, as a user runs it. */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { credentials, root, type Harness } from "./harness.js";

const run = promisify(execFile);

/** `pulumi-nexla <args>` in the harness's directory with the super user's key; rejects on a non-zero exit. */
export async function nexlaBin(
  harness: Harness,
  args: readonly string[],
): Promise<{ stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEXLA_API_URL: harness.api.url,
    NEXLA_SERVICE_KEY: credentials.superKey,
  };
  delete env["NEXLA_ACCESS_TOKEN"];
  return run(process.execPath, [join(root, "dist/src/export/cli.js"), ...args], {
    cwd: harness.workDir,
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** `pulumi-nexla export --out <file> <flags>`: the file's text and what the bin told the person. */
export async function exportOrg(
  harness: Harness,
  file: string,
  flags: readonly string[] = [],
): Promise<{ text: string; stderr: string }> {
  const { stderr } = await nexlaBin(harness, ["export", "--out", file, ...flags]);
  return { text: await readFile(join(harness.workDir, file), "utf8"), stderr };
}
