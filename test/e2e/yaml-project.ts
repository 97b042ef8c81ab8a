/**
 * A Pulumi YAML project run by the real Pulumi CLI and its YAML language host (tools/pulumi-yaml), with the native
 * plugin installed as npm installs it: `node_modules/.bin/pulumi-resource-nexla`, which the project's Pulumi.yaml
 * names in `plugins.providers`. State in a local file backend inside the project folder, no network.
 */
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ensureYamlHost } from "../../tools/pulumi-yaml/ensure.mjs";
import { ensurePulumi } from "../../tools/pulumi-cli/ensure.mjs";
import { offlineEnv } from "../../tools/stack.js";
import { credentials, installNativePlugin } from "./harness.js";

export interface Run {
  readonly code: number;
  readonly stdout: string;
  /** stdout and stderr. */
  readonly out: string;
}

export interface YamlProject {
  readonly dir: string;
  /** Runs `pulumi <args>` in the project folder. */
  pulumi(args: readonly string[]): Promise<Run>;
  /** Replaces the project's Pulumi.yaml. */
  writeProgram(text: string): Promise<void>;
  /**
   * Writes `program`, creates the stack `e2e` and sets the default provider's config: the API URL, and the super
   * user's service key as a secret. Throws naming the command that failed.
   */
  initStack(program: string, apiUrl: string): Promise<void>;
}

/** Creates the project folder `dir` (its Pulumi.yaml written by `writeProgram`). */
export async function yamlProject(dir: string): Promise<YamlProject> {
  await installNativePlugin(dir);
  await mkdir(join(dir, ".pulumi-state"), { recursive: true });
  const cli = ensurePulumi().binDir;
  const yaml = ensureYamlHost().binDir;
  // The plugin runs on the project's Node (22), found first on PATH; the language host beside the CLI.
  const env = {
    ...process.env,
    ...offlineEnv(dir, cli),
    PATH: [dirname(process.execPath), cli, yaml, process.env["PATH"]].join(":"),
    NEXLA_API_URL: "",
    NEXLA_SERVICE_KEY: "",
    NEXLA_ACCESS_TOKEN: "",
  };
  const pulumi = (args: readonly string[]) =>
    new Promise<Run>((resolve) => {
      execFile(
        join(cli, "pulumi"),
        [...args, "--color", "never"],
        { cwd: dir, env, maxBuffer: 64 << 20 },
        (error, stdout, stderr) =>
          resolve({
            code: error === null ? 0 : typeof error.code === "number" ? error.code : 1,
            stdout,
            out: `${stdout}\n${stderr}`,
          }),
      );
    });
  const writeProgram = (text: string) => writeFile(join(dir, "Pulumi.yaml"), text);
  const initStack = async (program: string, apiUrl: string) => {
    await writeProgram(program);
    for (const args of [
      ["stack", "init", "e2e"],
      ["config", "set", "nexla:apiUrl", apiUrl],
      ["config", "set", "--secret", "nexla:serviceKey", credentials.superKey],
    ]) {
      const run = await pulumi(args);
      if (run.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed:\n${run.out}`);
    }
  };
  return { dir, pulumi, writeProgram, initStack };
}
