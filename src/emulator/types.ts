/** The emulator's public types (the `pulumi-nexla/emulator` entry re-exports them). */
import type { ClusterStatus, ResourceStatus, Seed } from "./seed.js";

/** Requests per user per second, by request weight (SRV rate_limit.rb defaults, docs/nexla-api.md §5.2). */
export interface RateLimits {
  /** Requests of no other weight (methods other than GET, POST, PUT, PATCH, DELETE). @default 10 */
  readonly common: number;
  /** GETs not counted as `high`. @default 12 */
  readonly light: number;
  /** POST, PUT, PATCH and DELETE. @default 8 */
  readonly medium: number;
  /** GETs whose path contains `data_set` or ends in `/all`. @default 5 */
  readonly high: number;
}

export interface EmulatorOptions {
  /** The initial state. @default sampleSeed */
  readonly seed?: Seed;
  /** `false` turns rate limiting off; a partial object overrides some defaults. @default Nexla's defaults */
  readonly rateLimits?: false | Partial<RateLimits>;
  /** After an API status change, reads show the old status for this many ms (eventual consistency). @default 0 */
  readonly settleMs?: number;
  /**
   * Write answers (activate, pause, change owner) show settling statuses too, as a server that renders its
   * answer from a lagging replica would: a client must poll to confirm. @default false (the stored ones)
   */
  readonly settleAnswers?: boolean;
  /** Persist the state to this JSON file after every change, and start from it if it exists. */
  readonly dataFile?: string;
  /** Lifetime of tokens issued by `POST /token`. @default 3600 */
  readonly tokenTtlSeconds?: number;
  /** The time source for token expiry, rate-limit windows and settling. @default Date.now */
  readonly clock?: () => number;
}

export interface Emulator {
  /** The app in process: a `Request` in, a `Response` out (a dropped connection rejects with a TypeError). */
  readonly fetch: (request: Request) => Promise<Response>;
  /** Like `fetch`, with a path relative to the API base (`/flows/100`) or an absolute URL. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** Serves the app over HTTP. @default host 127.0.0.1, port 0 (any free port) */
  listen(options?: { readonly port?: number; readonly host?: string }): Promise<RunningEmulator>;
  readonly control: EmulatorControl;
}

export interface RunningEmulator {
  /** The API base URL, without a trailing slash, e.g. `http://127.0.0.1:43123`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening, ends open connections and writes the data file if one is configured. */
  close(): Promise<void>;
}

export type ResourceKindName = "data_source" | "data_set" | "data_sink";

export interface EmulatorControl {
  /** Back to `seed` (default: the creation seed); clears faults, the request log and issued tokens. */
  reset(seed?: Seed): void;
  /** A deep copy of the current state. */
  state(): Seed;
  /** Changes a status as a person in Nexla's UI would: visible at once, no auth, not logged. */
  setStatus(
    kind: ResourceKindName,
    id: number,
    status: ResourceStatus,
    options?: { readonly cascade?: boolean },
  ): void;
  /** Gives every resource of the flow of `originNodeId` a new owner and org (no preflight). */
  setOwner(originNodeId: number, ownerId: number, orgId: number): void;
  /**
   * Changes an org as Nexla's operators would: `clusterStatus: "MIGRATING"` makes its data sources refuse to be
   * activated or paused (405); `activeSourceLimit` sets its tier's limit on active sources (`null`: unlimited;
   * `"reached"`: the number of its sources active now, so Nexla refuses activate and pause with 400).
   * docs/nexla-api.md §2.4 and §10.
   */
  setOrg(orgId: number, changes: OrgChanges): void;
  /** Deletes the whole flow of `originNodeId`, whatever its status. */
  deleteFlow(originNodeId: number): void;
  injectFault(fault: Fault): void;
  clearFaults(): void;
  requests(): readonly RequestLogEntry[];
  clearRequests(): void;
  /**
   * Calls `listener` with each request as it is logged: once answered, before the answer is sent. A listener
   * that changes the state (`setStatus`, say) changes it between that answer and any request handled after it,
   * as a person in Nexla's UI might: a test can place an out-of-band change exactly. Returns the function that
   * stops the calls; `reset` does not.
   */
  onRequest(listener: (entry: RequestLogEntry) => void): () => void;
  /** Requests to routes the emulator does not model (answered 404 with an empty body). */
  unhandled(): readonly RequestLogEntry[];
  /** Resolves once the data file holds the current state (immediately without `dataFile`). */
  flush(): Promise<void>;
}

export interface OrgChanges {
  readonly clusterStatus?: ClusterStatus;
  readonly activeSourceLimit?: number | null | "reached";
}

/** A per-route fault. Faults are matched in the order added; each is used `times` times. */
export interface Fault {
  /** @default any method */
  readonly method?: string;
  /** An exact path (no query), a pattern with `*` segments such as `/flows/*\/pause`, or a RegExp. */
  readonly path: string | RegExp;
  /** Answer with this status and `body` (JSON; empty when absent). */
  readonly status?: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Wait this long first; alone, the request is then handled normally. */
  readonly latencyMs?: number;
  /** Destroy the connection without an answer (over `listen`; in process `fetch` rejects). */
  readonly drop?: boolean;
  /** @default 1 (Infinity allowed) */
  readonly times?: number;
  /** Perform the real operation first, then answer with `status` or drop ("the write happened, the answer was lost"). */
  readonly after?: boolean;
}

export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  /** Query parameters; values of names that look like secrets (`api_key`, `token`…) are redacted. */
  readonly query: Readonly<Record<string, string>>;
  /** The status answered; 0 when the connection was dropped. */
  readonly status: number;
  /** The authenticated user, when there was one. */
  readonly userId?: number;
  /** `clock()` when the request arrived. */
  readonly time: number;
}
