/**
 * What the Flows of one operation declare, shared by every provider process of that operation. The engine starts
 * one plugin process per provider instance (each explicit `nexla` provider, each default provider version), and a
 * delete in one of them must not touch what a Flow served by another declares (release.ts, docs/design.md §3).
 *
 * Every plugin of one operation is given the same engine address as its last argument (docs/pulumi.md C1), and no
 * two running operations share one, so it names the operation: a folder per address in a private folder of this
 * user in the system temp folder, one append-only file per process. `check` writes its Flow's declaration there
 * (one line, one write) before it answers, and the engine checks every Flow of the program before it runs the
 * deletes of the removed ones, so a delete that reads the folder sees the whole program, whichever process checked
 * each Flow.
 *
 * A file counts until its writer is shut down (the engine closes its plugins when the operation is over), and while
 * its writer or the writer's parent (the CLI, or the script that started the plugin) is alive: a file left by a
 * finished operation whose address is used again is ignored and removed, while the declarations of a plugin that
 * crashed during this operation still keep their flows. Stale files are swept when a process opens its own.
 */
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, rmdirSync, unlinkSync, writeSync } from "node:fs"; // prettier-ignore
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Declared } from "./overlap.js";

/** The first line of a process's file. Later versions must keep reading this format. */
interface Header {
  readonly format: 1;
  readonly pid: number;
  readonly parent: number;
}

export interface SharedDeclarations {
  /** The folder of this operation. */
  readonly folder: string;
  /** Records a declaration for the operation's other processes; throws when it cannot be written. */
  publish(flow: Declared): void;
  /** What the operation's other processes have declared so far, by URN. */
  others(): Map<string, Declared>;
  /** Marks this process's declarations as ended: the engine closes its plugins when the operation is over. */
  close(): void;
}

interface Reading {
  offset: number;
  partial: Buffer;
  header?: Header;
  closed?: boolean;
  readonly declared: Map<string, Declared>;
}

/** The private folder that holds every operation's folder, created on first use. */
export function registryRoot(base: string = tmpdir()): string {
  const uid = process.getuid?.() ?? 0;
  const root = join(base, `pulumi-nexla-${uid}`);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const stat = lstatSync(root);
  if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o077) !== 0)
    throw new Error(
      `${root} is not a folder that only this user can write (the nexla provider keeps what each Flow of an ` +
        "operation declares there). Remove it, or point TMPDIR at a private folder.",
    );
  return root;
}

/** Opens the operation's folder for the engine at `engineAddress`, sweeping what finished operations left. */
export function openShared(engineAddress: string, base?: string): SharedDeclarations {
  const root = registryRoot(base);
  sweep(root);
  const name = createHash("sha256").update(engineAddress).digest("hex").slice(0, 16);
  const folder = join(root, name);
  const own = `${process.pid}.jsonl`;
  const fd = openOwn(folder, own);
  const header: Header = { format: 1, pid: process.pid, parent: process.ppid };
  writeLine(fd, header);
  const readings = new Map<string, Reading>();
  return {
    folder,
    publish: (flow) => {
      try {
        writeLine(fd, { declared: flow });
      } catch (error) {
        throw new Error(
          `Could not record what Flow ${JSON.stringify(flow.name)} declares for the other nexla provider ` +
            `processes of this operation (in ${folder}): ${messageOf(error)} Nothing was changed in Nexla, and ` +
            "the engine deletes nothing after a failed check. Free the space or fix the folder, then run again.",
          { cause: error },
        );
      }
    },
    others: () => {
      try {
        return othersIn(folder, own, readings);
      } catch (error) {
        throw new Error(
          `Could not read what the other nexla provider processes of this operation declare (in ${folder}): ` +
            `${messageOf(error)} Nothing was changed in Nexla: a delete that cannot see every declared Flow ` +
            "deletes nothing. Fix the folder, then run again.",
          { cause: error },
        );
      }
    },
    close: () => {
      writeLine(fd, { closed: true });
      closeSync(fd);
    },
  };
}

function othersIn(folder: string, own: string, readings: Map<string, Reading>): Map<string, Declared> {
  const all = new Map<string, Declared>();
  for (const file of readdirSync(folder)) {
    if (file === own || !file.endsWith(".jsonl")) continue;
    const reading: Reading = readings.get(file) ?? {
      offset: 0,
      partial: Buffer.alloc(0),
      declared: new Map(),
    };
    readings.set(file, reading);
    readNew(join(folder, file), reading);
    if (!counts(reading)) continue;
    for (const [urn, flow] of reading.declared) all.set(urn, flow);
  }
  return all;
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function openOwn(folder: string, file: string): number {
  // A sweep in another process may remove the folder between mkdir and open when it was empty: try again.
  for (let attempt = 0; ; attempt++) {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    try {
      return openSync(join(folder, file), "a", 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || attempt >= 5) throw error;
    }
  }
}

/** One line in one write on a file opened to append: a reader sees it whole or not at all. */
function writeLine(fd: number, value: unknown): void {
  const bytes = Buffer.from(`${JSON.stringify(value)}\n`);
  if (writeSync(fd, bytes) !== bytes.length)
    throw new Error("Could not record a Flow's declaration for this operation: the write was cut short.");
}

/** Reads what was appended to `path` since the last reading. A file removed meanwhile reads as it was. */
function readNew(path: string, reading: Reading): void {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  try {
    const size = fstatSync(fd).size;
    if (size <= reading.offset) return;
    const buffer = Buffer.alloc(size - reading.offset);
    const got = readSync(fd, buffer, 0, buffer.length, reading.offset);
    reading.offset += got;
    // Only whole lines are decoded: a line is one write, but a reading may come while one is half written.
    const bytes = Buffer.concat([reading.partial, buffer.subarray(0, got)]);
    const end = bytes.lastIndexOf(0x0a) + 1;
    reading.partial = bytes.subarray(end);
    for (const line of bytes.subarray(0, end).toString("utf8").split("\n")) take(reading, line);
  } finally {
    closeSync(fd);
  }
}

function take(reading: Reading, line: string): void {
  if (line === "") return;
  const value = JSON.parse(line) as {
    format?: number;
    declared?: Declared;
    closed?: boolean;
  } & Partial<Header>;
  if (reading.header === undefined) {
    if (value.format !== 1)
      throw new Error(
        `A nexla provider process of this operation writes declarations in format ${String(value.format)}, ` +
          "which this version cannot read. Use the same pulumi-nexla version for every nexla provider of the stack.",
      );
    reading.header = value as Header;
  } else if (value.declared !== undefined) reading.declared.set(value.declared.urn, value.declared);
  else if (value.closed === true) reading.closed = true;
}

/**
 * A file counts until its writer was closed by the engine (at the end of its operation), and while its writer or
 * the writer's parent runs: the operation that wrote it is not over.
 */
function counts(reading: Reading): boolean {
  const { header } = reading;
  if (header === undefined) return true; // its first line is not written yet: no declaration either
  return reading.closed !== true && (alive(header.pid) || alive(header.parent));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the files of finished operations, and folders left empty. */
function sweep(root: string): void {
  for (const folder of readdirSync(root)) {
    const path = join(root, folder);
    let files: string[];
    try {
      files = readdirSync(path);
    } catch {
      continue; // removed by another sweep
    }
    for (const file of files) {
      const reading: Reading = { offset: 0, partial: Buffer.alloc(0), declared: new Map() };
      try {
        readNew(join(path, file), reading);
      } catch {
        continue; // not ours to judge
      }
      if (!counts(reading)) unlinkQuietly(join(path, file));
    }
    try {
      rmdirSync(path);
    } catch {
      // not empty, or gone: either is fine
    }
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // removed by another sweep
  }
}

/** The engine's address among a plugin's arguments: the last one that is neither a flag nor a flag's value. */
export function engineAddress(args: readonly string[]): string | undefined {
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--tracing") i++;
    else if (!arg.startsWith("-")) positional.push(arg);
  }
  return positional.at(-1);
}

/**
 * The engine address when this process is the Node SDK's dynamic provider host, which the engine starts like any
 * plugin (`pulumi-resource-pulumi-nodejs`): dynamic Flows share their declarations with native ones too.
 */
export function dynamicHostEngine(argv: readonly string[] = process.argv): string | undefined {
  const script = argv[1] ?? "";
  return /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]dynamic-provider([\\/]index\.js)?$/.test(script)
    ? engineAddress(argv.slice(2))
    : undefined;
}

/** The engine this process serves (set by the native plugin's main, or found in the dynamic provider's host). */
let engine: string | undefined;
const opened = new Map<string, SharedDeclarations>();

/**
 * Shares this process's declarations with the other provider processes of the operation run by the engine at
 * `engineAddress`. Without it (a process not started by an engine: tests), a process sees its own Flows only.
 */
export function shareWith(engineAddress: string): void {
  engine = engineAddress;
  opened.clear();
}

/** Ends this process's part in the operation (the plugin is shut down): its declarations no longer count. */
export function stopSharing(): void {
  for (const shared of opened.values()) shared.close();
  engine = undefined;
  opened.clear();
}

/**
 * The declarations shared by the processes of this operation that talk to the Nexla API at `apiUrl` (node ids are
 * Nexla's own, so Flows of another Nexla never hold this one's flows); undefined when this process shares none.
 * Throws when the operation's folder cannot be used: a delete that cannot see the other processes' Flows must
 * not run, and a check whose Flow the others cannot see must fail (nothing is deleted after a failed program).
 */
export function sharedFor(apiUrl: string): SharedDeclarations | undefined {
  if (engine === undefined) return undefined;
  const key = `${engine} ${apiUrl}`;
  let shared = opened.get(key);
  if (shared === undefined) {
    try {
      shared = openShared(key);
    } catch (error) {
      throw new Error(
        "This nexla provider process cannot share what its Flows declare with the other nexla provider " +
          `processes of this operation: ${messageOf(error)} Nothing was ` +
          "changed in Nexla. Fix that, then run the operation again.",
        { cause: error },
      );
    }
    opened.set(key, shared);
  }
  return shared;
}
