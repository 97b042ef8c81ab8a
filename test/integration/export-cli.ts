/**
 * The `pulumi-nexla` command in process against the emulator on 127.0.0.1, each test in a new temporary
 * folder: hooks registered by `exportCli()`, reset after each test (docs/design.md §8.4).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { createEmulator, type RunningEmulator } from "pulumi-nexla/emulator";
import { runCli } from "../../src/export/cli.js";

export interface ExportCli {
  readonly emulator: ReturnType<typeof createEmulator>;
  /** `pulumi-nexla export <args>` with the super user's key, against `url` (default: this emulator). */
  run(args: readonly string[], url?: string): Promise<{ code: number; out: string; err: string }>;
  /** `pulumi-nexla <argv>`: any command (`drift …`), as `run`. */
  cli(argv: readonly string[], url?: string): Promise<{ code: number; out: string; err: string }>;
  /** A path in this test's folder. */
  file(name: string): string;
}

export function exportCli(): ExportCli {
  const emulator = createEmulator({ rateLimits: false });
  let api: RunningEmulator | undefined;
  let dir = "";
  beforeAll(async () => {
    api = await emulator.listen({ port: 0 });
  });
  afterAll(async () => api?.close());
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "export-cli-"));
  });
  afterEach(async () => {
    emulator.control.reset();
    emulator.control.clearRequests();
    await rm(dir, { recursive: true, force: true });
  });
  const cli: ExportCli["cli"] = async (argv, url = api?.url ?? "") => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, {
      out: (t) => out.push(t),
      err: (l) => err.push(l),
      env: { NEXLA_API_URL: url, NEXLA_SERVICE_KEY: "emu-super-service-key" },
    });
    return { code, out: out.join(""), err: err.join("\n") };
  };
  return {
    emulator,
    cli,
    run: (args, url) => cli(["export", ...args], url),
    file: (name) => join(dir, name),
  };
}
