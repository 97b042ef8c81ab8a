import type { Seed } from "../seed.js";
import { referenceProblems } from "./seed-refs.js";
import { shapeProblems } from "./seed-shape.js";

/** A seed that cannot be loaded. `problems` lists every problem found, each naming the bad entry. */
export class SeedError extends Error {
  override readonly name = "SeedError";
  readonly problems: readonly string[];

  constructor(problems: readonly string[], source?: string) {
    const shown = problems.slice(0, 10).join("; ");
    const more = problems.length > 10 ? `; and ${problems.length - 10} more` : "";
    super(`Invalid emulator seed${source === undefined ? "" : ` in ${source}`}: ${shown}${more}.`);
    this.problems = problems;
  }
}

/**
 * Returns `value` as a `Seed` if it is a valid one, else throws a `SeedError` listing every problem (shape
 * first; references only once the shape is right, so each problem is stated once).
 */
export function validateSeed(value: unknown, source?: string): Seed {
  const shape = shapeProblems(value);
  if (shape.length > 0) throw new SeedError(shape, source);
  const refs = referenceProblems(value as Seed);
  if (refs.length > 0) throw new SeedError(refs, source);
  return value as Seed;
}
