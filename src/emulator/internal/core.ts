/** Everything the routes share. `store` is replaced on reset; the rest lives as long as the emulator. */
import type { Seed, SeedUser } from "../seed.js";
import type { FaultList } from "./faults.js";
import type { RateLimiter } from "./rate-limit.js";
import type { RequestLog } from "./request-log.js";
import type { SettleBook } from "./settle.js";
import type { Store } from "./store.js";
import type { TokenBook } from "./tokens.js";

export interface Core {
  store: Store;
  readonly initialSeed: Seed;
  readonly clock: () => number;
  readonly settle: SettleBook;
  /** Write answers show settling statuses too (EmulatorOptions.settleAnswers). */
  readonly settleAnswers: boolean;
  readonly tokens: TokenBook;
  readonly limiter: RateLimiter;
  readonly faults: FaultList;
  readonly log: RequestLog;
  /** Called after every change of the state (persists it when a data file is configured). */
  readonly changed: () => void;
  /** Counts changes of the state: a rendered read is reused only while it stays the same (render-cache.ts). */
  revision: number;
  readonly renders: Map<string, string>;
  rendersAt: number;
}

/** What a request's handling reports back to the pipeline that logs it (passed as Hono's env). */
export interface Ticket {
  user?: SeedUser;
  unhandled?: boolean;
}

export interface AppEnv {
  Bindings: { readonly ticket: Ticket };
}
