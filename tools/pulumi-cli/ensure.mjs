// Finds a usable Pulumi CLI: one on PATH at a version not older than the installed @pulumi/pulumi, else the
// cached build of the pinned wrapper module, else builds it (build.sh) when Go is present, else stops with a
// message saying how to install Pulumi. As a script it prints the directory that holds `pulumi`.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const PLUGIN = "pulumi-resource-pulumi-nodejs";

/** The version of the @pulumi/pulumi package the project runs with: the CLI must not be older. */
export function sdkVersion() {
  const pkg = JSON.parse(readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8"));
  return pkg.version;
}

/** The directory of `@pulumi/pulumi`, which holds the dynamic-provider plugin script the engine runs. */
export function pluginDir() {
  return dirname(require.resolve("@pulumi/pulumi/package.json"));
}

function versionOf(pulumi) {
  const run = spawnSync(pulumi, ["version"], {
    encoding: "utf8",
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
  });
  return run.status === 0 ? run.stdout.trim().replace(/^v/, "") : undefined;
}

function atLeast(version, minimum) {
  const a = version.split(/[.-]/).map(Number);
  const b = minimum.split(/[.-]/).map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

function onPath() {
  const found = spawnSync("sh", ["-c", "command -v pulumi"], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** @returns {{ binDir: string, version: string, source: "path" | "cache" }} */
export function ensurePulumi({ log = (line) => process.stderr.write(line + "\n") } = {}) {
  const minimum = sdkVersion();
  const existing = process.env.PULUMI_NEXLA_USE_PATH_CLI === "0" ? undefined : onPath();
  const existingVersion = existing && versionOf(existing);
  if (existing && existingVersion && atLeast(existingVersion, minimum)) {
    return { binDir: dirname(existing), version: existingVersion, source: "path" };
  }
  if (existing)
    log(`Ignoring ${existing} (version ${existingVersion ?? "unknown"}): need ${minimum} or newer.`);
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
      `No Pulumi CLI ${minimum} or newer was found and it could not be built here. ` +
        "Install Pulumi (https://www.pulumi.com/docs/install/) and put it on PATH, or install Go 1.26+ so " +
        "tools/pulumi-cli/build.sh can build it.",
    );
  }
  const version = versionOf(join(binDir, "pulumi"));
  if (!version)
    throw new Error(`The Pulumi CLI built in ${binDir} does not run; delete that folder and retry.`);
  // The engine looks for the dynamic-provider plugin beside the running `pulumi` (docs/pulumi.md B3); a copy there
  // avoids its "using pulumi-resource-pulumi-nodejs from $PATH" warning. The script resolves @pulumi/pulumi
  // from the program's directory, so one copy serves every checkout.
  copyFileSync(join(pluginDir(), PLUGIN), join(binDir, PLUGIN));
  chmodSync(join(binDir, PLUGIN), 0o755);
  return { binDir, version, source: "cache" };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const { binDir, version, source } = ensurePulumi();
    process.stderr.write(`Pulumi CLI ${version} (${source}): ${binDir}\n`);
    process.stdout.write(binDir + "\n");
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
