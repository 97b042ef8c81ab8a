/** The client's options, and reading them from the environment names Nexla's own SDKs use (docs/nexla-api.md §1). */
import { NexlaError } from "./errors.js";
import { checkBaseUrl } from "./internal/base-url.js";
import type { Clock } from "./internal/throttle.js";

export const DEFAULT_API_URL = "https://dataops.nexla.io/nexla-api";

/** Exactly one credential: a session (access) token used as is, or a service key exchanged for tokens. */
export type NexlaAuth = { readonly accessToken: string } | { readonly serviceKey: string };

export interface RetryOptions {
  /** Retries after the first try, for GET, PUT and DELETE on 429/502/503/504 and network errors. @default 4 */
  readonly limit?: number;
  /** First backoff delay; doubles each retry, with jitter. @default 250 */
  readonly baseDelayMs?: number;
  /** Cap of the backoff and of an honoured `Retry-After`. @default 10000 */
  readonly maxDelayMs?: number;
}

/**
 * Requests per second this client sends, shared by all its concurrent calls. The defaults are Nexla's per-user
 * limits by request weight (SRV rate_limit.rb, docs/nexla-api.md §5.2).
 */
export interface RateLimitOptions {
  /** PUT, POST and DELETE (Nexla's "medium" weight). @default 8 */
  readonly writesPerSecond?: number;
  /** GETs (Nexla's "light" weight). @default 12 */
  readonly readsPerSecond?: number;
  /** GETs whose path contains `data_set` (Nexla's "high" weight, e.g. `GET /data_sets/2101/flow`). @default 5 */
  readonly heavyReadsPerSecond?: number;
  /**
   * Each limit holds over `1000 + marginMs` ms rather than Nexla's one second, so that requests whose trips to
   * Nexla take a little longer or shorter never land more than the limit in one of Nexla's fixed one-second
   * windows (which would draw a 429). @default 100
   */
  readonly marginMs?: number;
}

/** One HTTP attempt, as the `onRequest` hook sees it: never headers, so never a credential. */
export interface RequestInfo {
  readonly method: string;
  /** Path and query, relative to the base URL, e.g. `/flows/200/pause?full_tree=1`. */
  readonly path: string;
  /** The status answered; undefined when no answer came (timeout, reset, dropped connection). */
  readonly status: number | undefined;
  /** 1 for the first try, 2 for the first retry, and so on. */
  readonly attempt: number;
}

export interface NexlaClientOptions {
  /** The API base URL. Plain http is refused to hosts that are not loopback. @default DEFAULT_API_URL */
  readonly baseUrl?: string;
  readonly auth: NexlaAuth;
  /** Timeout of each HTTP attempt. @default 30000 */
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  /** Client-side throttle shared by every concurrent call of this client; `false` turns it off. */
  readonly rateLimit?: RateLimitOptions | false;
  /** Allow plain `http://` to a host that is not loopback. TLS verification is always on. @default false */
  readonly allowInsecureHttp?: boolean;
  /** @default "pulumi-nexla" */
  readonly userAgent?: string;
  /** Called after each HTTP attempt (token exchanges included). */
  readonly onRequest?: (info: RequestInfo) => void;
  /** Called as each HTTP attempt is sent (after the throttle let it go), with its method and path only. */
  readonly onRequestStart?: (info: Pick<RequestInfo, "method" | "path">) => void;
  /** Time source of the throttle, of retry waits and of token expiry; tests pass a fake one. @default the system clock */
  readonly clock?: Clock;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * `NEXLA_API_URL` (default {@link DEFAULT_API_URL}), and exactly one of `NEXLA_SERVICE_KEY` and
 * `NEXLA_ACCESS_TOKEN`. `NEXLA_ALLOW_INSECURE_HTTP=1` allows plain http to a host that is not loopback.
 * Empty values count as unset. Throws a NexlaError with code `configuration` that says what to set.
 */
export function clientOptionsFromEnv(env: Env = process.env): NexlaClientOptions {
  const value = (name: string) => (env[name] === "" ? undefined : env[name]);
  const serviceKey = value("NEXLA_SERVICE_KEY");
  const accessToken = value("NEXLA_ACCESS_TOKEN");
  if (serviceKey !== undefined && accessToken !== undefined) {
    throw configurationError(
      "Both NEXLA_SERVICE_KEY and NEXLA_ACCESS_TOKEN are set. Set only one: NEXLA_SERVICE_KEY is best for automation, because its session tokens are renewed automatically.",
    );
  }
  const auth = credentials(serviceKey, accessToken);
  const allowInsecureHttp = ["1", "true"].includes(value("NEXLA_ALLOW_INSECURE_HTTP") ?? "");
  const baseUrl = value("NEXLA_API_URL") ?? DEFAULT_API_URL;
  checkBaseUrl(baseUrl, allowInsecureHttp, "NEXLA_API_URL");
  return { baseUrl, auth, allowInsecureHttp };
}

function credentials(serviceKey: string | undefined, accessToken: string | undefined): NexlaAuth {
  if (serviceKey !== undefined) return { serviceKey };
  if (accessToken !== undefined) return { accessToken };
  throw configurationError(
    "No Nexla credentials. Set NEXLA_SERVICE_KEY to a Nexla service key (or NEXLA_ACCESS_TOKEN to a session token), or the nexla:serviceKey (or nexla:accessToken) stack config as a secret.",
  );
}

export function configurationError(message: string): NexlaError {
  return new NexlaError(message, { code: "configuration" });
}
