/**
 * The CLI as a real process: compiled as the package compiles it (ESM, NodeNext), started with node, stopped
 * with SIGINT. Module format is settled by running it, not by assumption (docs/design.md §8).
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileEntry } from "../fixtures/compile.js";

let outDir: string | undefined;
let remove: (() => Promise<void>) | undefined;

beforeAll(async () => {
  // Under node_modules so the compiled files resolve hono like the installed package does.
  ({ outDir, remove } = await compileEntry("src/emulator/cli.ts", "src/emulator", "emulator-cli"));
});
afterAll(async () => {
  await remove?.();
});

/** Starts the CLI and resolves with the child and its base URL once it prints it. */
function start(args: string[]) {
  const child = spawn(process.execPath, [join(outDir ?? "", "cli.js"), ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening at (\S+)/.exec(text);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}`)));
  });
  return { child, exited, url };
}

describe("the compiled CLI", () => {
  it("starts with a shebang line, serves the API, and exits 0 on SIGINT", async () => {
    expect((await readFile(join(outDir ?? "", "cli.js"), "utf8")).startsWith("#!/usr/bin/env node\n")).toBe(
      true,
    );
    const { child, exited, url } = start(["--port", "0", "--no-rate-limits"]);
    try {
      const response = await fetch(`${await url}/flows/100`, {
        headers: { Authorization: "Bearer emu-ops-access-token" },
      });
      expect(response.status).toBe(200);
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
  });

  it("exits 0 on SIGTERM and 2 on a bad flag", async () => {
    const { child, exited, url } = start(["--port", "0"]);
    await url;
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const bad = start(["--bogus"]);
    bad.url.catch(() => undefined); // it never prints a URL: that rejection is expected here
    expect(await bad.exited).toBe(2);
  });
});
