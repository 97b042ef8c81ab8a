/**
 * The package as a user gets it: `npm pack` of this checkout (which builds it), installed from the tarball with
 * `npm install` into two new projects outside the repository, compiled by each project's own TypeScript, and run
 * through the real Pulumi CLI against the emulator: `up`, `preview --refresh` (no changes), `destroy`.
 *
 * - `cjs`: shaped like `pulumi new typescript`: no "type": "module", `"module": "commonjs"` with
 *   `"moduleResolution": "node"`, and a top-level program whose exports are the stack outputs.
 * - `esm`: an ES module project like examples/: a default-exported program function.
 *
 * The Pulumi Node language host is not available here (docs/pulumi.md A7), so each project gets a small driver
 * that runs its compiled program as an Automation API inline program, with the project's own @pulumi/pulumi and
 * the project folder as workDir. The engine starts the provider process in that folder, where the provider's
 * shim resolves `pulumi-nexla/internal/provider-runtime`: from the installed tarball, never from the repository.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, realpath, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, relative, sep } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createEmulator,
  isWrite,
  requestLine,
  type Emulator,
  type RunningEmulator,
} from "pulumi-nexla/emulator";
import { ensurePulumi } from "../../tools/pulumi-cli/ensure.mjs";
import { offlineEnv } from "../../tools/stack.js";
import { credentials, root } from "./harness.js";

const exec = promisify(execFile);

interface DriverResult {
  readonly changes: Record<string, number>;
  readonly outputs?: Record<string, unknown>;
  readonly stdout: string;
  readonly providers?: string[];
}

/** Runs one operation on the project's `dev` stack; prints the result as JSON on its last line. */
const driver = `// Runs this project's compiled program (package.json "main") as an Automation API inline program, with this
// folder as the workspace: node driver.mjs <up|preview-refresh|destroy>
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { LocalWorkspace } from "@pulumi/pulumi/automation/index.js";

const here = import.meta.dirname;
const manifest = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
const main = join(here, manifest.main);
// An ES module exports the program function; a CommonJS program declares its resources as it loads.
const program =
  manifest.type === "module"
    ? async () => (await import(pathToFileURL(main).href)).default()
    : async () => ({ ...createRequire(import.meta.url)(main) });
const stack = await LocalWorkspace.createOrSelectStack(
  { projectName: manifest.name, stackName: "dev", program },
  { workDir: here, secretsProvider: "passphrase" },
);
const options = { color: "never" };
const operation = process.argv[2];
let result;
if (operation === "up") {
  const r = await stack.up(options);
  const outputs = Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, v.value]));
  // What the engine stored as each Flow's provider (inputs and outputs).
  const { deployment } = await stack.exportStack();
  const providers = deployment.resources
    .filter((res) => res.type === "pulumi-nodejs:dynamic/nexla:Flow")
    .flatMap((res) => [res.inputs.__provider, res.outputs.__provider]);
  result = { changes: r.summary.resourceChanges, outputs, stdout: r.stdout, providers };
} else if (operation === "preview-refresh") {
  const r = await stack.preview({ ...options, refresh: true, diff: true });
  result = { changes: r.changeSummary, stdout: r.stdout };
} else if (operation === "destroy") {
  const r = await stack.destroy(options);
  result = { changes: r.summary.resourceChanges, stdout: r.stdout };
} else {
  throw new Error("unknown operation " + operation);
}
process.stdout.write("\\n" + JSON.stringify(result) + "\\n", () => process.exit(0));
`;

/** The emulator's sample org: flow 100 is "orders"; data set 2101 heads the "sessions" branch of clickstream. */
const flows = `const orders = new Flow("orders", { flowId: 100, status: "ACTIVE" });
  const sessions = new Flow("sessions", { dataSetId: 2101, scope: "downstream", status: "PAUSED" });`;

interface ProjectShape {
  readonly files: Record<string, string>;
  /** Where tsc writes the program: package.json "main". */
  readonly main: string;
  readonly type?: "module";
}

const shapes: Record<"cjs" | "esm", ProjectShape> = {
  cjs: {
    main: "bin/index.js",
    files: {
      // The compiler options `pulumi new typescript` writes.
      "tsconfig.json": JSON.stringify({
        compilerOptions: {
          strict: true,
          outDir: "bin",
          target: "es2020",
          module: "commonjs",
          moduleResolution: "node",
          sourceMap: true,
          experimentalDecorators: true,
          pretty: true,
          noFallthroughCasesInSwitch: true,
          noImplicitReturns: true,
          forceConsistentCasingInFileNames: true,
        },
        files: ["index.ts"],
      }),
      "index.ts": `import { Flow } from "pulumi-nexla";\n\n${flows.replace(/^ {2}/gm, "")}\n
export const ordersStatus = orders.status;
export const sessionsStatus = sessions.status;
`,
    },
  },
  esm: {
    main: "dist/index.js",
    type: "module",
    files: {
      "tsconfig.json": JSON.stringify({
        compilerOptions: {
          strict: true,
          outDir: "dist",
          target: "es2022",
          module: "nodenext",
          moduleResolution: "nodenext",
        },
        files: ["index.ts"],
      }),
      "index.ts": `import { Flow } from "pulumi-nexla";

export default async function program() {
  ${flows}
  return { ordersStatus: orders.status, sessionsStatus: sessions.status };
}
`,
    },
  },
};

/** Without npm's, Nexla's and Pulumi's variables from the shell that runs the tests, nor the repository on PATH. */
function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(npm_|nexla_|pulumi_)|^INIT_CWD$/i.test(k)),
  );
  const path = (process.env["PATH"] ?? "").split(delimiter).filter((d) => d !== "" && !inside(root, d));
  // The dynamic-provider plugin script runs `node` from PATH: the Node running this test (>= 22.12).
  const first = extra["PATH"] === undefined ? [] : [extra["PATH"]];
  return { ...env, ...extra, PATH: [...first, dirname(process.execPath), ...path].join(delimiter) };
}

const inside = (dir: string, path: string) => !relative(dir, path).startsWith("..");

/** Symbolic links under `dir` (node_modules included) whose target lies inside the repository. */
async function linksIntoRepo(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const links = entries.filter((e) => e.isSymbolicLink()).map((e) => join(e.parentPath, e.name));
  const targets = await Promise.all(links.map((l) => realpath(l).catch(() => l)));
  return links.filter((_, i) => inside(root, targets[i]!));
}

let emulator: Emulator;
let api: RunningEmulator;
let binDir: string;
let scratch: string;
let tarball: string;
let manifest: { version: string; devDependencies: Record<string, string> };

beforeAll(async () => {
  binDir = ensurePulumi().binDir;
  manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as typeof manifest;
  scratch = await realpath(await mkdtemp(join(tmpdir(), "pulumi-nexla-pack-")));
  // prepack builds dist/ first, as on a clean clone.
  await exec("npm", ["pack", "--pack-destination", scratch], { cwd: root, env: userEnv({}) });
  const packed = (await readdir(scratch)).filter((f) => f.endsWith(".tgz"));
  expect(packed).toEqual([`pulumi-nexla-${manifest.version}.tgz`]);
  tarball = join(scratch, packed[0]!);
  emulator = createEmulator({ rateLimits: false });
  api = await emulator.listen({ port: 0 });
});

afterAll(async () => {
  await api?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe.each(["cjs", "esm"] as const)("the packed tarball in a new %s project", (kind) => {
  it("installs from the tarball, compiles, and runs up, preview --refresh and destroy", async () => {
    const shape = shapes[kind];
    const dir = join(scratch, kind);
    expect(inside(root, dir)).toBe(false);
    await mkdir(join(dir, ".pulumi-state"), { recursive: true });
    const name = `nexla-${kind}`;
    const pkg = {
      name,
      version: "0.0.0",
      private: true,
      main: shape.main,
      ...(shape.type && { type: shape.type }),
    };
    await writeFile(join(dir, "package.json"), JSON.stringify(pkg, null, 2));
    await writeFile(join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
    await writeFile(join(dir, "driver.mjs"), driver);
    for (const [file, text] of Object.entries(shape.files)) await writeFile(join(dir, file), text);

    const env = userEnv({
      ...offlineEnv(dir, binDir),
      PATH: binDir,
      NEXLA_API_URL: api.url,
      NEXLA_SERVICE_KEY: credentials.superKey,
    });
    const dev = manifest.devDependencies;
    await exec(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        tarball,
        `@pulumi/pulumi@${dev["@pulumi/pulumi"]}`,
        `typescript@${dev["typescript"]}`,
      ],
      { cwd: dir, env },
    );

    // The installed copy is the tarball's, and nothing in the project leads back to the repository.
    const installed = await realpath(
      createRequire(join(dir, "package.json")).resolve("pulumi-nexla/package.json"),
    );
    expect(installed).toBe(join(dir, "node_modules", "pulumi-nexla", "package.json"));
    expect(JSON.parse(await readFile(installed, "utf8"))).toMatchObject({ version: manifest.version });
    expect(await linksIntoRepo(dir)).toEqual([]);
    const shipped = (await readdir(dirname(installed), { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => relative(dirname(installed), join(e.parentPath, e.name)).split(sep).join("/"));
    expect(shipped).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "LICENSE",
        "dist/index.js",
        "dist/index.d.ts",
        "dist/provider/runtime.js",
        "dist/src/emulator/index.js",
        "dist/src/emulator/cli.js",
        "dist/src/export/cli.js",
        "dist/provider/native/main.js",
        // The Python SDK, for `pip install node_modules/pulumi-nexla/sdk/python` (README, Python).
        "sdk/python/pyproject.toml",
        "sdk/python/pulumi_nexla/flow.py",
      ]),
    );
    // Only the library, its types, the emulator, the plugin and the Python SDK's sources: no demo, bench,
    // examples, tests, sources or source maps, and nothing a Python build leaves.
    const isLibrary = (f: string) =>
      (/^dist\/(index\.|provider\/|src\/)/.test(f) && !/\.map$|(?<!\.d)\.ts$/.test(f)) ||
      (/^sdk\/python\//.test(f) && !/__pycache__|\.pyc$|\.egg-info\/|^sdk\/python\/(build|dist)\//.test(f));
    expect(shipped.filter((f) => !isLibrary(f)).sort()).toEqual(["LICENSE", "README.md", "package.json"]);

    await exec(process.execPath, [join(dir, "node_modules", "typescript", "bin", "tsc"), "-p", dir], {
      cwd: dir,
      env,
    });

    const run = async (operation: "up" | "preview-refresh" | "destroy") => {
      emulator.control.clearRequests();
      const { stdout } = await exec(process.execPath, [join(dir, "driver.mjs"), operation], {
        cwd: dir,
        env,
        maxBuffer: 64 * 1024 * 1024,
      });
      const writes = emulator.control.requests().filter(isWrite).map(requestLine);
      return { ...(JSON.parse(stdout.trim().split("\n").pop()!) as DriverResult), writes };
    };
    emulator.control.reset();
    const status = (collection: "data_sources" | "data_sets" | "data_sinks", id: number) =>
      emulator.control.state()[collection].find((r) => r.id === id)?.status;

    const up = await run("up");
    expect(up.changes).toEqual({ create: 3 }); // two flows and the stack
    expect(up.writes).toEqual(["PUT /data_sets/2101/flow/pause"]);
    expect(up.outputs).toEqual({ ordersStatus: "ACTIVE", sessionsStatus: "PAUSED" });
    // The provider process started in the project folder (it logs its version and working directory).
    expect(up.stdout).toContain(`[pulumi-nexla] provider ${manifest.version} (${dir})`);
    // Installed from the registry, the provider is stored as a reference to the installed package, not as its
    // serialized code: a few hundred bytes per Flow in every checkpoint instead of 2.4 kB, twice.
    expect(up.providers).toHaveLength(4);
    for (const text of up.providers ?? []) {
      expect(text).toContain('require("pulumi-nexla/internal/flow-provider")');
      expect(text.length).toBeLessThan(400);
    }
    expect([status("data_sources", 1000), status("data_sets", 2000), status("data_sinks", 3000)]).toEqual([
      "ACTIVE",
      "ACTIVE",
      "ACTIVE",
    ]);
    expect([2101, 2102, 2103].map((id) => status("data_sets", id))).toEqual(["PAUSED", "PAUSED", "PAUSED"]);
    expect(status("data_sets", 2100)).toBe("ACTIVE");

    const preview = await run("preview-refresh");
    expect(preview.changes).toEqual({ same: 3 });
    expect(preview.writes).toEqual([]);

    const destroy = await run("destroy");
    expect(destroy.changes).toEqual({ delete: 3 });
    expect(destroy.writes.sort()).toEqual([
      "DELETE /data_sets/2101/flow",
      "DELETE /flows/100?full_tree=1",
      "PUT /flows/100/pause?full_tree=1",
    ]);
    const left = emulator.control.state();
    expect(left.data_sources.map((s) => s.id)).not.toContain(1000);
    expect(left.data_sets.map((s) => s.id)).toEqual(expect.arrayContaining([2100, 2104]));
    expect(left.data_sets.map((s) => s.id)).not.toContain(2101);
    expect(emulator.control.unhandled()).toEqual([]);
  });
});
