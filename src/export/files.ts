/**
 * How export writes its files: every output is checked before Nexla is read, and written to a temporary file
 * in its own folder, flushed, then moved into place, so a failure (a missing folder, a full disk, an
 * interrupted run) leaves every existing file exactly as it was (issue 19: a disk-full export had left
 * flows.yaml truncated, and `--snapshot` into a missing folder failed after flows.yaml was overwritten).
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, link, open, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

export interface Output {
  /** As the user wrote it, for messages. */
  readonly path: string;
  /** What it holds: flows.yaml, the program, the snapshot. */
  readonly what: string;
  /** `--update` can edit it, so an existing file's refusal offers it. @default false */
  readonly updatable?: boolean;
}

/** Throws, naming the file and what to do, when an output cannot or may not be written. */
export async function checkOutputs(outputs: readonly Output[], force: boolean): Promise<void> {
  for (const { path, what, updatable } of outputs) {
    const folder = dirname(resolve(path));
    const dir = await stat(folder).catch(() => undefined);
    if (dir === undefined || !dir.isDirectory())
      throw new Error(
        `cannot write the ${what} to ${path}: the folder ${folder} does not exist. Create it first.`,
      );
    await access(folder, constants.W_OK).catch(() => {
      throw new Error(`cannot write the ${what} to ${path}: the folder ${folder} is not writable.`);
    });
    const existing = await stat(path).catch(() => undefined);
    if (existing?.isDirectory() === true)
      throw new Error(`cannot write the ${what} to ${path}: it is a folder. Name a file.`);
    if (existing !== undefined && !force)
      throw new Error(
        `${path} exists, and export does not overwrite a file unless told to: pass ` +
          `${updatable === true ? `--update ${path} to update it, ` : ""}--force to replace it, or --out ` +
          "another file. Nothing was written.",
      );
  }
}

/**
 * Writes every file or none: each to a temporary file beside it, flushed to disk; only when all are written
 * is each moved into place. Without `replace`, a file that appeared since the check is not replaced.
 */
export async function writeAll(
  files: readonly (Output & { readonly text: string; readonly replace: boolean })[],
): Promise<void> {
  const written: string[] = [];
  try {
    for (const f of files) {
      const temp = join(
        dirname(resolve(f.path)),
        `.${basename(f.path)}.${randomBytes(6).toString("hex")}.tmp`,
      );
      written.push(temp);
      const handle = await open(temp, "wx");
      try {
        await handle.writeFile(f.text);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  } catch (error) {
    await Promise.all(written.map((t) => unlink(t).catch(() => undefined)));
    const f = files[written.length - 1];
    throw new Error(
      `could not write the ${f?.what ?? "file"} to ${f?.path ?? "?"} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ` +
        "no file was changed. Fix the cause (free space, permissions) and run again.",
      { cause: error },
    );
  }
  for (const [i, f] of files.entries()) await place(written[i] as string, f, f.replace);
}

/**
 * Places `temp` at `path` unless a file is there (link, unlike rename, fails when the target exists); false
 * when the file system has no hard links and nothing is at `path`, so a rename will do.
 */
async function linked(temp: string, path: string): Promise<boolean> {
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw error;
    if ((await stat(path).catch(() => undefined)) !== undefined)
      throw Object.assign(new Error("exists"), { code: "EEXIST" });
    return false;
  }
}

async function place(temp: string, f: Output, force: boolean): Promise<void> {
  try {
    if (force || !(await linked(temp, f.path))) await rename(temp, f.path);
    else await unlink(temp);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === "EEXIST"
        ? `${f.path} was created while export ran; it was left as it is. Pass --force to replace it.`
        : `could not move the ${f.what} into place at ${f.path} (${code ?? (error as Error).message}).`,
      { cause: error },
    );
  }
}
