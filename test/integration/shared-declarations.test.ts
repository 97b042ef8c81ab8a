/**
 * What the Flows of one operation declare, shared between its provider processes through files
 * (provider/internal/shared-declarations.ts). Another process's file is written here in the format a process
 * writes, with a writer and parent that are alive or gone, as the engine's plugins and the CLI are.
 */
import { spawn } from "node:child_process";
import { appendFile, chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Declared } from "../../provider/internal/overlap.js";
import {
  openShared,
  registryRoot,
  sharedFor,
  shareWith,
  stopSharing,
} from "../../provider/internal/shared-declarations.js";

let base = "";
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "shared-declarations-"));
});
afterEach(async () => {
  stopSharing();
  await rm(base, { recursive: true, force: true });
});

const flow = (name: string, id: number): Declared => ({
  urn: `urn:pulumi:dev::flows::nexla:index:Flow::${name}`,
  name,
  anchor: { kind: "flow", id },
  scope: "flow",
  status: "ACTIVE",
});

/** The pid of a process that has ended. */
async function endedPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

/** Writes another process's file into the operation's folder, as that process would have written it. */
async function otherProcess(folder: string, pid: number, parent: number, lines: readonly unknown[]) {
  await mkdir(folder, { recursive: true });
  const text = [{ format: 1, pid, parent }, ...lines].map((l) => `${JSON.stringify(l)}\n`).join("");
  await writeFile(join(folder, `${pid}.jsonl`), text);
}

/** Runs `work` with the system temp folder at `base`, where `sharedFor` opens its folders. */
function inTemp(work: () => void): void {
  const saved = process.env["TMPDIR"];
  process.env["TMPDIR"] = base;
  try {
    work();
  } finally {
    if (saved === undefined) delete process.env["TMPDIR"];
    else process.env["TMPDIR"] = saved;
  }
}

const names = (map: Map<string, Declared>) => [...map.values()].map((d) => d.name).sort();

it("a process sees what a running process of the same operation declared, and not its own file twice", async () => {
  const shared = openShared("127.0.0.1:4000 http://nexla", base);
  shared.publish(flow("mine", 100));
  const writer = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
  try {
    await otherProcess(shared.folder, writer.pid!, process.pid, [{ declared: flow("orders-eu", 100) }]);
    expect(names(shared.others())).toEqual(["orders-eu"]);
    // What it appends later is read too, and a line half written is left for the next reading.
    const file = join(shared.folder, `${writer.pid}.jsonl`);
    const line = JSON.stringify({ declared: flow("billing", 300) });
    await appendFile(file, line.slice(0, 20));
    expect(names(shared.others())).toEqual(["orders-eu"]);
    await appendFile(file, `${line.slice(20)}\n`);
    expect(names(shared.others())).toEqual(["billing", "orders-eu"]);
    // Its own declarations are written for the others, header first.
    const own = (await readFile(join(shared.folder, `${process.pid}.jsonl`), "utf8")).trim().split("\n");
    expect(own.map((l) => JSON.parse(l) as unknown)).toEqual([
      { format: 1, pid: process.pid, parent: process.ppid },
      { declared: flow("mine", 100) },
    ]);
  } finally {
    writer.kill();
  }
  // Another operation (another engine) has a folder of its own.
  expect(openShared("127.0.0.1:4001 http://nexla", base).others()).toEqual(new Map());
});

it("a plugin that ended during the operation still keeps its flows while the CLI runs", async () => {
  const shared = openShared("127.0.0.1:4000 http://nexla", base);
  const crashed = await endedPid();
  await otherProcess(shared.folder, crashed, process.pid, [{ declared: flow("orders-eu", 100) }]);
  expect(names(shared.others())).toEqual(["orders-eu"]);
});

it("a plugin the engine shut down, or a finished operation's, no longer counts, and its file is swept", async () => {
  const folder = openShared("127.0.0.1:4000 http://nexla", base).folder;
  const [gone, goneParent] = [await endedPid(), await endedPid()];
  await otherProcess(folder, gone, goneParent, [{ declared: flow("stale", 100) }]);
  await otherProcess(folder, process.pid + 1_000_000, process.pid, [
    { declared: flow("closed", 200) },
    { closed: true },
  ]);
  const again = openShared("127.0.0.1:4000 http://nexla", base);
  expect(again.others()).toEqual(new Map());
  expect((await readdir(folder)).sort()).toEqual([`${process.pid}.jsonl`]);
});

it("a file in a format this version cannot read fails the reading, naming what to do", async () => {
  const shared = openShared("127.0.0.1:4000 http://nexla", base);
  await writeFile(join(shared.folder, "1.jsonl"), `${JSON.stringify({ format: 2, pid: process.pid })}\n`);
  expect(() => shared.others()).toThrow(
    `Could not read what the other nexla provider processes of this operation declare (in ${shared.folder}): ` +
      "A nexla provider process of this operation writes declarations in format 2, which this version cannot " +
      "read. Use the same pulumi-nexla version for every nexla provider of the stack. Nothing was changed in " +
      "Nexla: a delete that cannot see every declared Flow deletes nothing. Fix the folder, then run again.",
  );
});

it("refuses a folder other users can write, and then shares nothing: checks and deletes fail", async () => {
  const root = registryRoot(base);
  await chmod(root, 0o777);
  expect(() => openShared("127.0.0.1:4000 http://nexla", base)).toThrow(
    `${root} is not a folder that only this user can write (the nexla provider keeps what each Flow of an ` +
      "operation declares there). Remove it, or point TMPDIR at a private folder.",
  );
  inTemp(() => {
    shareWith("127.0.0.1:4000");
    expect(() => sharedFor("http://nexla")).toThrow(
      /^This nexla provider process cannot share what its Flows declare with the other nexla provider processes of this operation: .* is not a folder that only this user can write .* Nothing was changed in Nexla\. Fix that, then run the operation again\.$/,
    );
  });
});

it("Flows of another Nexla API never share a folder: node ids are that Nexla's own", () => {
  inTemp(() => {
    shareWith("127.0.0.1:4000");
    expect(sharedFor("http://a.example/nexla-api")?.folder).not.toBe(
      sharedFor("http://b.example/nexla-api")?.folder,
    );
    stopSharing();
    expect(sharedFor("http://a.example/nexla-api")).toBeUndefined();
  });
});
