/**
 * `pulumi-nexla/emulator`: a local stand-in for the parts of Nexla's REST API that pulumi-nexla uses
 * (docs/design.md §5). It shares no code with the client: the two meet only over HTTP.
 */
import { createApp } from "./internal/app.js";
import { createControl } from "./internal/control.js";
import type { Core } from "./internal/core.js";
import { FaultList } from "./internal/faults.js";
import { listen } from "./internal/listen.js";
import { DataFileWriter, loadDataFile } from "./internal/persistence.js";
import { createPipeline, DROPPED } from "./internal/pipeline.js";
import { nexlaRateLimits, RateLimiter } from "./internal/rate-limit.js";
import { RequestLog } from "./internal/request-log.js";
import { validateSeed } from "./internal/seed-check.js";
import { SettleBook } from "./internal/settle.js";
import { Store } from "./internal/store.js";
import { TokenBook } from "./internal/tokens.js";
import { sampleSeed } from "./sample-seed.js";
import type { Emulator, EmulatorOptions, RateLimits } from "./types.js";

export { isWrite, requestLine } from "./request-line.js";
export { sampleSeed } from "./sample-seed.js";
export { generateSeed, generatedFlowIds } from "./generate-seed.js";
export type { GenerateSeedOptions, GeneratedFlowIds } from "./generate-seed.js";
export { SeedError, validateSeed } from "./internal/seed-check.js";
export { seedFromSnapshot, SnapshotError } from "./snapshot.js";
export { nexlaRateLimits } from "./internal/rate-limit.js";
export { collectionOf, resourceKinds } from "./seed.js";
export type * from "./seed.js";
export type * from "./types.js";

function checkOptions(options: EmulatorOptions): RateLimits | false {
  const problems: string[] = [];
  if (!((options.settleMs ?? 0) >= 0)) problems.push("settleMs must be >= 0");
  if (!((options.tokenTtlSeconds ?? 3600) > 0)) problems.push("tokenTtlSeconds must be > 0");
  const limits = options.rateLimits === false ? false : { ...nexlaRateLimits, ...options.rateLimits };
  for (const [weight, limit] of Object.entries(limits || {})) {
    if (!(Number.isInteger(limit) && limit >= 1))
      problems.push(`rateLimits.${weight} must be a whole number >= 1`);
  }
  if (problems.length > 0) throw new RangeError(`Invalid emulator options: ${problems.join("; ")}.`);
  return limits;
}

/** A new emulator, in process; call `listen()` to serve it over HTTP. */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const limits = checkOptions(options);
  const clock = options.clock ?? Date.now;
  const initialSeed = validateSeed(structuredClone(options.seed ?? sampleSeed));
  const stored = options.dataFile === undefined ? undefined : loadDataFile(options.dataFile);
  const writer =
    options.dataFile === undefined
      ? undefined
      : new DataFileWriter(options.dataFile, () => core.store.toSeed());
  const core: Core = {
    store: new Store(stored ?? initialSeed),
    initialSeed,
    clock,
    settle: new SettleBook(options.settleMs ?? 0, clock),
    settleAnswers: options.settleAnswers ?? false,
    tokens: new TokenBook(() => core.store, options.tokenTtlSeconds ?? 3600, clock),
    limiter: new RateLimiter(limits, clock),
    faults: new FaultList(),
    log: new RequestLog(),
    changed: () => {
      core.revision += 1;
      writer?.schedule();
    },
    revision: 0,
    renders: new Map(),
    rendersAt: 0,
  };
  if (stored === undefined) writer?.schedule();
  const flush = async () => writer?.flush();
  const control = createControl(core, flush);
  const handle = createPipeline(core, createApp(core, control));
  const fetch = async (request: Request): Promise<Response> => {
    const outcome = await handle(request);
    if (outcome !== DROPPED) return outcome;
    throw new TypeError("fetch failed", {
      cause: new Error("The emulator dropped the connection (injected fault)."),
    });
  };
  return {
    fetch,
    request: (path, init) => fetch(new Request(new URL(path, "http://localhost"), init)),
    listen: (listenOptions = {}) => listen(handle, listenOptions, flush),
    control,
  };
}
