/**
 * The Flow operations in progress in this provider process: each a step the engine runs (create, read, update,
 * delete), of which it runs at most its parallelism at once. Coalesced reads (reads.ts) close a batch as soon as every one of them waits in it: the
 * engine starts no other step until one of them ends, so nothing else can join.
 */
import { clock } from "./log.js";

export interface Operations {
  /** How many are in progress now. */
  running(): number;
  /** The most that have been in progress at once in this process (the engine's parallelism, once reached). */
  peak(): number;
  /** When `peak` last grew, by the provider's clock. */
  peakSince(): number;
}

let running = 0;
let peak = 0;
let peakSince = 0;

export const operations: Operations = {
  running: () => running,
  peak: () => peak,
  peakSince: () => peakSince,
};

/** Runs `work` as one operation in progress. */
export async function tracked<T>(work: () => Promise<T>): Promise<T> {
  running += 1;
  if (running > peak) {
    peak = running;
    peakSince = clock.now();
  }
  try {
    return await work();
  } finally {
    running -= 1;
  }
}

/** A new provider process: nothing in progress, nothing seen (the fuzz's provider driver, between operations). */
export function forgetOperations(): void {
  running = 0;
  peak = 0;
  peakSince = 0;
}
