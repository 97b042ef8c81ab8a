// Runs the build.sh of a pinned Go wrapper module (tools/pulumi-yaml, tools/python-sdk: each calls go-build.sh),
// which builds its command into the project's cache folder on first use, and returns the folder that holds it.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * @param {{ script: string, binary: string, failure: string }} tool  `failure` says what to do when the build fails
 * @returns {string} the folder holding `binary`
 */
export function buildGoTool({ script, binary, failure }) {
  let binDir;
  try {
    binDir = execFileSync("bash", [script], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })
      .trim()
      .split("\n")
      .pop();
  } catch {
    throw new Error(failure);
  }
  if (!binDir || !existsSync(join(binDir, binary)))
    throw new Error(`${script} printed no folder holding ${binary} (got ${binDir}).`);
  return binDir;
}
