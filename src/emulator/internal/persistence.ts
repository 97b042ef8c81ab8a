/**
 * The optional data file. Writes are serialized and coalesced: at most one write runs at a time, and a
 * change during a write schedules one more write of the then-current state, so the last state always wins.
 * Each write goes to a temporary file that is then renamed over the data file (atomic on POSIX).
 */
import { existsSync, readFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import type { Seed } from "../seed.js";
import { validateSeed } from "./seed-check.js";

/** The seed stored in `file`, or undefined if there is no such file. Throws a SeedError if it is invalid. */
export function loadDataFile(file: string): Seed | undefined {
  if (!existsSync(file)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`Could not read the emulator data file ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return validateSeed(value, file);
}

export class DataFileWriter {
  #dirty = false;
  #running: Promise<void> | undefined;
  #failure: unknown;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => Seed,
  ) {}

  /** Records that the state changed; the file is written soon after. */
  schedule(): void {
    this.#dirty = true;
    this.#running ??= this.#loop();
  }

  /** Resolves when the file holds the state as of this call; rejects if the last write failed. */
  async flush(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
    if (this.#failure !== undefined) throw this.#failure;
  }

  async #loop(): Promise<void> {
    try {
      while (this.#dirty) {
        this.#dirty = false;
        const temporary = `${this.file}.${process.pid}.tmp`;
        await writeFile(temporary, `${JSON.stringify(this.snapshot(), null, 2)}\n`);
        await rename(temporary, this.file);
        this.#failure = undefined;
      }
    } catch (error) {
      this.#failure = error;
    } finally {
      this.#running = undefined;
    }
  }
}
