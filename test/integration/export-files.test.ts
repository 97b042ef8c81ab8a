/**
 * `pulumi-nexla export` can never empty or half-write a file (issue 19): a filter that matches nothing and an
 * empty org are errors that write nothing; an existing file is replaced only with `--force`; every output is
 * checked before Nexla is read, and written whole (a temporary file, then renamed). In process, against the
 * emulator on 127.0.0.1.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { createEmulator, sampleSeed } from "pulumi-nexla/emulator";
import { exportCli } from "./export-cli.js";

const { emulator, run: exportWith, file } = exportCli();
const dir = () => dirname(file("x"));
const original = "flows:\n  - name: keep-me\n    flowId: 100\n    status: ACTIVE\n";

describe("export writes nothing rather than an empty file", () => {
  it("refuses --flow 999999: exit 1, the message says what to do, the existing file is untouched", async () => {
    await writeFile(file("flows.yaml"), original);
    const r = await exportWith(["--out", file("flows.yaml"), "--force", "--flow", "999999"]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      "pulumi-nexla export: no flow matches --flow 999999 (of the 14 flows read); nothing was written. " +
        "Check the filters: --flow takes a flow's id (its origin node id), --owner a user id.",
    );
    expect(await readFile(file("flows.yaml"), "utf8")).toBe(original);
    expect(await readdir(dir())).toEqual(["flows.yaml"]);
  });

  it("refuses an org with no flow", async () => {
    const empty = createEmulator({
      rateLimits: false,
      seed: { ...sampleSeed, flow_nodes: [], data_sources: [], data_sets: [], data_sinks: [] },
    });
    const emptyApi = await empty.listen({ port: 0 });
    try {
      const r = await exportWith(["--out", file("flows.yaml")], emptyApi.url);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^pulumi-nexla export: Nexla reported no flow to these credentials/);
      expect(await readdir(dir())).toEqual([]);
    } finally {
      await emptyApi.close();
    }
  });
});

describe("export never overwrites or half-writes a file", () => {
  it("refuses to replace an existing file without --force, before reading Nexla; --force replaces it", async () => {
    await writeFile(file("flows.yaml"), original);
    const r = await exportWith(["--out", file("flows.yaml")]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `pulumi-nexla export: ${file("flows.yaml")} exists, and export does not overwrite a file unless told to: ` +
        `pass --update ${file("flows.yaml")} to update it, --force to replace it, or --out another file. ` +
        "Nothing was written.",
    );
    expect(emulator.control.requests()).toEqual([]);
    expect(await readFile(file("flows.yaml"), "utf8")).toBe(original);

    const forced = await exportWith(["--out", file("flows.yaml"), "--force", "--flow", "100"]);
    expect(forced.code).toBe(0);
    expect(await readFile(file("flows.yaml"), "utf8")).toContain('- name: "orders');
    expect(await readdir(dir())).toEqual(["flows.yaml"]);
  });

  it("offers --update only for a file --update can edit: not an existing import file", async () => {
    await writeFile(file("import.json"), "{}\n");
    const r = await exportWith(["--format", "import", "--out", file("import.json")]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `pulumi-nexla export: ${file("import.json")} exists, and export does not overwrite a file unless told to: ` +
        "pass --force to replace it, or --out another file. Nothing was written.",
    );
    expect(await readFile(file("import.json"), "utf8")).toBe("{}\n");
  });

  it("fails on a --snapshot into a missing folder before reading Nexla or writing flows.yaml", async () => {
    const r = await exportWith(["--out", file("flows.yaml"), "--snapshot", file("missing/org.json")]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `pulumi-nexla export: cannot write the snapshot to ${file("missing/org.json")}: the folder ` +
        `${file("missing")} does not exist. Create it first.`,
    );
    expect(emulator.control.requests()).toEqual([]);
    expect(await readdir(dir())).toEqual([]);
  });

  it("writes flows.yaml and the snapshot, and leaves no temporary file", async () => {
    const r = await exportWith([
      "--out",
      file("flows.yaml"),
      "--snapshot",
      file("org.json"),
      "--flow",
      "300",
    ]);
    expect(r.code).toBe(0);
    expect((await readdir(dir())).sort()).toEqual(["flows.yaml", "org.json"]);
  });

  it.each([
    [["--out", "x.json", "--snapshot", "./x.json"], "--out and --snapshot name the same file (x.json)"],
    [["--snapshot", "-"], "--snapshot needs a file name (standard output is for --out -)"],
  ])("refuses %j as bad usage", async (args, message) => {
    const r = await exportWith(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });
});

describe("export says what happens while it waits", () => {
  it("prints each failed attempt as it happens, not only the final error", async () => {
    emulator.control.injectFault({ method: "GET", path: "/flows", status: 503, times: 2 });
    const r = await exportWith(["--out", file("flows.yaml"), "--flow", "100"]);
    expect(r.code).toBe(0);
    expect(r.err.split("\n").slice(0, 2)).toEqual([
      "pulumi-nexla export: GET /flows?page=1&per_page=100&access_role=operator → 503 (attempt 1 of 5).",
      "pulumi-nexla export: GET /flows?page=1&per_page=100&access_role=operator → 503 (attempt 2 of 5).",
    ]);
  });
});
