// The Python that runs the Python example (examples/python) and its e2e test: a venv in the project's cache
// folder (PULUMI_NEXLA_CACHE, as the Pulumi CLI's build) with the pinned packages of requirements.txt (Pulumi's
// Python SDK, whose Automation API runs the program inline: Pulumi's pulumi-language-python is not served, see
// docs/pulumi.md C7), and the committed SDK, sdk/python, installed by pip as a user installs it. Made on first
// use; a new venv when requirements.txt or the Python changes, the SDK installed again when sdk/python changes.
// As a script it prints the venv's python.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sdkDir as sdk, sdkFiles } from "../python-sdk/generate.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const requirements = join(here, "requirements.txt");

const versionOf = (python) => {
  const run = spawnSync(python, ["-c", "import sys; print(sys.version_info >= (3, 10), sys.version)"], {
    encoding: "utf8",
  });
  if (run.status !== 0) return undefined;
  const [ok, ...version] = run.stdout.trim().split(" ");
  return { ok: ok === "True", version: version.join(" ") };
};

/** A Python 3.10 or newer: PULUMI_NEXLA_PYTHON, else the first of python3, python3.13 … python3.10 on PATH. */
export function findPython() {
  const chosen = process.env.PULUMI_NEXLA_PYTHON;
  if (chosen) {
    const found = versionOf(chosen);
    if (!found?.ok) throw new Error(`PULUMI_NEXLA_PYTHON=${chosen} is not a Python 3.10 or newer.`);
    return { python: chosen, version: found.version };
  }
  for (const candidate of ["python3", "python3.13", "python3.12", "python3.11", "python3.10"]) {
    const found = versionOf(candidate);
    if (found?.ok) return { python: candidate, version: found.version };
  }
  throw new Error(
    "No Python 3.10 or newer was found (tried python3, python3.13 … python3.10). Install one (on Debian: " +
      "`apt-get install python3 python3-venv`) or set PULUMI_NEXLA_PYTHON to its path.",
  );
}

const hash = (text) => createHash("sha256").update(text).digest("hex").slice(0, 12);

/** The stamp of the SDK's files (not what pip and Python leave there). */
const sdkStamp = () =>
  hash(
    [...sdkFiles(sdk)]
      .sort(([a], [b]) => a.localeCompare(b))
      .flat()
      .join("\0"),
  );

function pip(python, args, log, what) {
  const run = spawnSync(python, ["-m", "pip", "--disable-pip-version-check", ...args], { encoding: "utf8" });
  if (run.status !== 0) {
    log(`${run.stdout}${run.stderr}`.trim().split("\n").slice(-20).join("\n"));
    throw new Error(`pip could not install ${what} (its last lines are above).`);
  }
}

/** @returns {{ python: string, venv: string }} the venv's python, with Pulumi's SDK and pulumi_nexla installed. */
export function ensurePythonVenv({ log = (line) => process.stderr.write(line + "\n") } = {}) {
  const { python, version } = findPython();
  const cache = process.env.PULUMI_NEXLA_CACHE || join(homedir(), ".cache/pulumi-nexla");
  const venv = join(cache, `python-venv-${hash(readFileSync(requirements, "utf8") + version)}`);
  const venvPython = join(venv, "bin/python");
  if (!existsSync(join(venv, ".complete"))) {
    log(
      `Creating the Python venv ${venv} with Python ${version.split(" ")[0]} and tools/python/requirements.txt...`,
    );
    mkdirSync(cache, { recursive: true });
    // Made in a folder beside it, then renamed: a venv cut short is never taken for a finished one.
    const tmp = mkdtempSync(join(cache, ".python-venv-"));
    try {
      const made = spawnSync(python, ["-m", "venv", tmp], { encoding: "utf8" });
      if (made.status !== 0)
        throw new Error(
          `\`${python} -m venv\` failed: ${made.stderr.trim()}. The venv module is missing (on Debian: ` +
            "`apt-get install python3-venv`).",
        );
      pip(
        join(tmp, "bin/python"),
        ["install", "--quiet", "--requirement", requirements],
        log,
        "the pinned packages of tools/python/requirements.txt (is the Python package index reachable?)",
      );
      writeFileSync(join(tmp, ".complete"), `${version}\n`);
      rmSync(venv, { recursive: true, force: true });
      renameSync(tmp, venv);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  const stamp = sdkStamp();
  if (readFileSafe(join(venv, ".sdk-stamp")) !== stamp) {
    // From a copy, so that the build's leftovers (build/, *.egg-info) never land in the repository; with the
    // venv's pinned setuptools (no build isolation), so nothing is downloaded.
    const copy = mkdtempSync(join(tmpdir(), "pulumi-nexla-sdk-"));
    try {
      cpSync(sdk, join(copy, "python"), { recursive: true });
      pip(
        venvPython,
        [
          "install",
          "--quiet",
          "--no-deps",
          "--no-build-isolation",
          "--force-reinstall",
          join(copy, "python"),
        ],
        log,
        "sdk/python",
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
    writeFileSync(join(venv, ".sdk-stamp"), stamp);
  }
  return { python: venvPython, venv };
}

function readFileSafe(path) {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const { python } = ensurePythonVenv();
    process.stdout.write(`${python}\n`);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
