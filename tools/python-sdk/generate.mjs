// Generates the Python SDK of the native `nexla` provider, sdk/python, with `pulumi package gen-sdk --language
// python` from the package schema the plugin serves (packageSchema() at the package's version, written to a file
// here, never by hand). gen-sdk asks a language host named pulumi-language-python to generate the code; Pulumi's
// own is not served by the Go module proxy, so build.sh builds one that only generates, with Pulumi's Python code
// generator at the CLI's version (docs/pulumi.md C7).
//
// As a script, after `npm run build` (it reads the schema from dist/): `node tools/python-sdk/generate.mjs`
// replaces sdk/python; with `--check` it writes nothing and exits 1 naming every file that differs.
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildGoTool } from "../go-build.mjs";
import { ensurePulumi } from "../pulumi-cli/ensure.mjs";

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, "../..");
/** Where the committed SDK lives. */
export const sdkDir = join(root, "sdk/python");

/** The folder holding the generator's pulumi-language-python, built on first use (build.sh). */
export const ensureSdkGenerator = () =>
  buildGoTool({
    script: join(here, "build.sh"),
    binary: "pulumi-language-python",
    failure:
      "pulumi-nexla's Python SDK generator could not be built here (see the lines above). Install Go 1.26+ so " +
      "tools/python-sdk/build.sh can build it.",
  });

/**
 * Runs `pulumi package gen-sdk` on `schema` (the package schema object) and copies the Python SDK it writes to
 * `out`, replacing what was there. Offline: a scratch PULUMI_HOME and file backend, no plugin downloads.
 */
export async function generatePythonSdk({ schema, out }) {
  const cli = ensurePulumi().binDir;
  const generator = ensureSdkGenerator();
  const scratch = await mkdtemp(join(tmpdir(), "pulumi-nexla-python-sdk-"));
  try {
    const schemaFile = join(scratch, "schema.json");
    await writeFile(schemaFile, JSON.stringify(schema, null, 2) + "\n");
    const env = {
      ...process.env,
      // The generator first: any other pulumi-language-python on PATH is not the one that answers gen-sdk here.
      PATH: [generator, cli, process.env.PATH ?? ""].join(":"),
      PULUMI_HOME: join(scratch, ".pulumi-home"),
      PULUMI_BACKEND_URL: `file://${scratch}`,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    const args = ["package", "gen-sdk", schemaFile, "--language", "python", "--out", join(scratch, "sdk")];
    await new Promise((resolve, reject) =>
      execFile(join(cli, "pulumi"), args, { cwd: scratch, env }, (error, stdout, stderr) =>
        error === null
          ? resolve(undefined)
          : reject(new Error(`pulumi ${args.join(" ")} failed (exit ${error.code}):\n${stdout}${stderr}`)),
      ),
    );
    await rm(out, { recursive: true, force: true });
    await cp(join(scratch, "sdk/python"), out, { recursive: true });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** What pip, setuptools and Python leave in an SDK folder (the generated .gitignore's entries): not the SDK. */
const leftovers = new Set(["__pycache__", ".mypy_cache", "build", "dist"]);
const isLeftover = (name) => leftovers.has(name) || name.endsWith(".egg-info") || name.endsWith(".pyc");

/** The files of an SDK folder by path, with their text; what pip and Python leave there is not counted. */
export function sdkFiles(dir) {
  const found = new Map();
  const walk = (at) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (isLeftover(entry.name)) continue;
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else found.set(relative(dir, path), readFileSync(path, "utf8"));
    }
  };
  if (existsSync(dir)) walk(dir);
  return found;
}

/** The differences between the committed SDK and a fresh one, one line per file; none when they agree. */
export function sdkDifferences(committed, fresh) {
  const [a, b] = [sdkFiles(committed), sdkFiles(fresh)];
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  return names.flatMap((name) =>
    !a.has(name)
      ? [`${name}: generated, not committed`]
      : !b.has(name)
        ? [`${name}: committed, no longer generated`]
        : a.get(name) !== b.get(name)
          ? [`${name}: differs from what the schema generates`]
          : [],
  );
}

/** The schema the plugin serves, from the built package (dist/). */
async function builtSchema() {
  const built = join(root, "dist/src/declaration/package-schema.js");
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first.`);
  const { packageSchema } = await import(pathToFileURL(built).href);
  const { version } = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
  return packageSchema(version);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes("--check");
  try {
    const schema = await builtSchema();
    if (check) {
      const fresh = await mkdtemp(join(tmpdir(), "pulumi-nexla-python-sdk-check-"));
      try {
        await generatePythonSdk({ schema, out: join(fresh, "python") });
        const differences = sdkDifferences(sdkDir, join(fresh, "python"));
        if (differences.length > 0) {
          process.stderr.write(
            `sdk/python is not what the schema generates:\n  ${differences.join("\n  ")}\n` +
              "Run `npm run build && node tools/python-sdk/generate.mjs` and commit sdk/python.\n",
          );
          process.exit(1);
        }
        process.stderr.write("sdk/python is what the schema generates.\n");
      } finally {
        await rm(fresh, { recursive: true, force: true });
      }
    } else {
      await generatePythonSdk({ schema, out: sdkDir });
      process.stderr.write(`Generated ${relative(process.cwd(), sdkDir) || "."} from the package schema.\n`);
    }
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
