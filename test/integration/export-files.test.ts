/**
 * `pulumi-nexla export` can never empty or half-write a file (issue 19): a filter that matches nothing and an
 * empty org are errors that write nothing; an existing file is replaced only with `--force`; every output is
 * checked before Nexla is read, and written whole (a temporary file, then renamed). In process, against the
 * emulator on 127.0.0.1.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, sampleSeed, type RunningEmulator } from "pulumi-nexla/emulator";
import { runCli } from "../../src/export/cli.js";

const emulator = createEmulator({ rateLimits: false });
let api: RunningEmulator;
let dir: string;
beforeAll(async () => {
  api = await emulator.listen({ port: 0 });
});
afterAll(async () => api.close());
afterEach(async () => {
  emulator.control.reset();
  emulator.control.clearRequests();
  await rm(dir, { recursive: true, force: true });
});

async function exportWith(args: readonly string[], url = api.url) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(["export", ...args], {
    out: (t) => out.push(t),
    err: (l) => err.push(l),
    env: { NEXLA_API_URL: url, NEXLA_SERVICE_KEY: "emu-super-service-key" },
  });
  return { code, out: out.join(""), err: err.join("\n") };
}

const file = (name: string) => join(dir, name);
const original = "flows:\n  - name: keep-me\n    flowId: 100\n    status: ACTIVE\n";

describe("export writes nothing rather than an empty file", () => {
  it("refuses --flow 999999: exit 1, the message says what to do, the existing file is untouched", async () => {
    dir = await mkdtemp(join(tmpdir(), "export-files-"));
    await writeFile(file("flows.yaml"), original);
    const r = await exportWith(["--out", file("flows.yaml"), "--force", "--flow", "999999"]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      "pulumi-nexla export: no flow matches --flow 999999 (of the 14 flows read); nothing was written. " +
        "Check the filters: --flow takes a flow's id (its origin node id), --owner a user id.",
    );
    expect(await readFile(file("flows.yaml"), "utf8")).toBe(original);
    expect(await readdir(dir)).toEqual(["flows.yaml"]);
  });

  it("refuses an org with no flow", async () => {
    dir = await mkdtemp(join(tmpdir(), "export-files-"));
    const empty = createEmulator({
      rateLimits: false,
      seed: { ...sampleSeed, flow_nodes: [], data_sources: [], data_sets: [], data_sinks: [] },
    });
    const emptyApi = await empty.listen({ port: 0 });
    try {
      const r = await exportWith(["--out", file("flows.yaml")], emptyApi.url);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^pulumi-nexla export: Nexla reported no flow to these credentials/);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await emptyApi.close();
    }
  });
});

describe("export never overwrites or half-writes a file", () => {
  it("refuses to replace an existing file without --force, before reading Nexla; --force replaces it", async () => {
    dir = await mkdtemp(join(tmpdir(), "export-files-"));
    await writeFile(file("flows.yaml"), original);
    const r = await exportWith(["--out", file("flows.yaml")]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `pulumi-nexla export: ${file("flows.yaml")} exists, and export does not overwrite a file unless told to: ` +
        "pass --force to replace it, or --out another file. Nothing was written.",
    );
    expect(emulator.control.requests()).toEqual([]);
    expect(await readFile(file("flows.yaml"), "utf8")).toBe(original);

    const forced = await exportWith(["--out", file("flows.yaml"), "--force", "--flow", "100"]);
    expect(forced.code).toBe(0);
    expect(await readFile(file("flows.yaml"), "utf8")).toContain('- name: "orders');
    expect(await readdir(dir)).toEqual(["flows.yaml"]);
  });

  it("fails on a --snapshot into a missing folder before reading Nexla or writing flows.yaml", async () => {
    dir = await mkdtemp(join(tmpdir(), "export-files-"));
    const r = await exportWith(["--out", file("flows.yaml"), "--snapshot", file("missing/org.json")]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `pulumi-nexla export: cannot write the snapshot to ${file("missing/org.json")}: the folder ` +
        `${file("missing")} does not exist. Create it first.`,
    );
    expect(emulator.control.requests()).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it("writes flows.yaml and the snapshot, and leaves no temporary file", async () => {
    dir = await mkdtemp(join(tmpdir(), "export-files-"));
    const r = await exportWith([
      "--out",
      file("flows.yaml"),
      "--snapshot",
      file("org.json"),
      "--flow",
      "300",
    ]);
    expect(r.code).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(["flows.yaml", "org.json"]);
  });

  it.each([
    [["--out", "x.json", "--snapshot", "./x.json"], "--out and --snapshot name the same file (x.json)"],
    [["--snapshot", "-"], "--snapshot needs a file name (standard output is for --out -)"],
  ])("refuses %j as bad usage", async (args, message) => {
    dir = await mkdtemp(join(tmpdir(), "export-files-"));
    const r = await exportWith(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });
});
