// Finds the Pulumi YAML language host: the cached build of the pinned wrapper module, else builds it (build.sh)
// when Go is present, else stops with a message saying what to install. As a script it prints the directory that
// holds `pulumi-language-yaml`, to put on PATH beside the Pulumi CLI (../pulumi-cli/ensure.mjs).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildGoTool } from "../go-build.mjs";

const here = dirname(fileURLToPath(import.meta.url));

/** @returns {{ binDir: string }} */
export function ensureYamlHost() {
  const binDir = buildGoTool({
    script: join(here, "build.sh"),
    binary: "pulumi-language-yaml",
    failure:
      "The Pulumi YAML language host could not be built here. Install Go 1.26+ so tools/pulumi-yaml/build.sh " +
      "can build it, or put Pulumi's pulumi-language-yaml on PATH.",
  });
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
