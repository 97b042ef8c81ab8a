// Finds the Pulumi YAML language host: the cached build of the pinned wrapper module, else builds it (build.sh)
// when Go is present, else stops with a message saying what to install. As a script it prints the directory that
// holds `pulumi-language-yaml`, to put on PATH beside the Pulumi CLI (../pulumi-cli/ensure.mjs).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** @returns {{ binDir: string }} */
export function ensureYamlHost() {
  let binDir;
  try {
    binDir = execFileSync("bash", [join(here, "build.sh")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    })
      .trim()
      .split("\n")
      .pop();
  } catch {
    throw new Error(
      "The Pulumi YAML language host could not be built here. Install Go 1.26+ so tools/pulumi-yaml/build.sh " +
        "can build it, or put Pulumi's pulumi-language-yaml on PATH.",
    );
  }
  if (!binDir || !existsSync(join(binDir, "pulumi-language-yaml")))
    throw new Error(
      `tools/pulumi-yaml/build.sh printed no folder holding pulumi-language-yaml (got ${binDir}).`,
    );
  return { binDir };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const { binDir } = ensureYamlHost();
    process.stderr.write(`Pulumi YAML language host: ${binDir}\n`);
    process.stdout.write(binDir + "\n");
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
