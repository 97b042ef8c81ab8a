/** The client's options, and reading them from the environment names Nexla's own SDKs use (NOTES.md section 1). */
import { NexlaError } from "./errors.js";

export const DEFAULT_API_URL = "https://dataops.nexla.io/nexla-api";

export type NexlaAuth = { readonly accessToken: string } | { readonly serviceKey: string };

export interface RetryOptions {
  /** Retries after the first try, for GET, PUT and DELETE on 429/502/503/504 and network errors. @default 4 */
  readonly limit?: number;
  /** First backoff delay; doubles each retry, with jitter. @default 250 */
  readonly baseDelayMs?: number;
  /** Cap of the backoff and of an honoured `Retry-After`. @default 10000 */
  readonly maxDelayMs?: number;
}

export interface RateLimitOptions {
  /** PUT/POST/DELETE per second: Nexla's per-user "medium" default (NOTES.md section 5.2). @default 8 */
  readonly writesPerSecond?: number;
  /** GETs per second: Nexla's per-user "light" default. @default 12 */
  readonly readsPerSecond?: number;
}

export interface RequestInfo {
  readonly method: string;
  /** Path and query, relative to the base URL. Never holds a credential. */
  readonly path: string;
  readonly status: number | undefined;
  readonly attempt: number;
}

export interface NexlaClientOptions {
  /** The API base URL, e.g. `https://dataops.nexla.io/nexla-api`. @default DEFAULT_API_URL */
  readonly baseUrl?: string;
  readonly auth: NexlaAuth;
  /** Per-request timeout. @default 30000 */
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  /** Client-side throttle shared by every concurrent call of this client; `false` turns it off. */
  readonly rateLimit?: RateLimitOptions | false;
  /** Allow plain `http://` to a host that is not loopback. TLS verification is always on. @default false */
  readonly allowInsecureHttp?: boolean;
  /** @default "pulumi-nexla" */
  readonly userAgent?: string;
  /** Called after each HTTP attempt; gets no headers, so no credential. */
  readonly onRequest?: (info: RequestInfo) => void;
}

/**
 * `NEXLA_API_URL`, and exactly one of `NEXLA_SERVICE_KEY` and `NEXLA_ACCESS_TOKEN` (the order Nexla's Python SDK
 * reads them in). `NEXLA_ALLOW_INSECURE_HTTP=1` allows plain http to a non-loopback host.
 */
export function clientOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): NexlaClientOptions {
  const set = (name: string) => (env[name] ?? "") !== "";
  const serviceKey = env["NEXLA_SERVICE_KEY"];
  const accessToken = env["NEXLA_ACCESS_TOKEN"];
  if (set("NEXLA_SERVICE_KEY") && set("NEXLA_ACCESS_TOKEN")) {
    throw configurationError(
      "Both NEXLA_SERVICE_KEY and NEXLA_ACCESS_TOKEN are set. Set only one: a service key (renewed automatically) is best for automation.",
    );
  }
  if (!serviceKey && !accessToken) {
    throw configurationError(
      "No Nexla credentials: set NEXLA_SERVICE_KEY (or NEXLA_ACCESS_TOKEN), or the nexla:serviceKey (or nexla:accessToken) stack config as a secret.",
    );
  }
  return {
    baseUrl: set("NEXLA_API_URL") ? (env["NEXLA_API_URL"] as string) : DEFAULT_API_URL,
    auth: serviceKey ? { serviceKey } : { accessToken: accessToken as string },
    allowInsecureHttp: ["1", "true"].includes(env["NEXLA_ALLOW_INSECURE_HTTP"] ?? ""),
  };
}

export function configurationError(message: string): NexlaError {
  return new NexlaError(message, { code: "configuration" });
}

const loopback = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** The base URL, checked: absolute http(s), and plain http only to loopback unless explicitly allowed. */
export function checkBaseUrl(raw: string, allowInsecureHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw configurationError(
      `NEXLA_API_URL "${raw}" is not a URL. Set it to Nexla's API base URL, e.g. ${DEFAULT_API_URL}.`,
    );
  }
  if (url.username || url.password) {
    throw configurationError(
      "NEXLA_API_URL must not hold credentials. Remove them and set NEXLA_SERVICE_KEY or NEXLA_ACCESS_TOKEN instead.",
    );
  }
  if (url.protocol === "http:" && !loopback.test(url.hostname) && !allowInsecureHttp) {
    throw configurationError(
      `Refusing plain http to ${url.host}: credentials would cross the network unencrypted. Use https, or set NEXLA_ALLOW_INSECURE_HTTP=1 if you must.`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw configurationError(`NEXLA_API_URL must be an http(s) URL, got ${url.protocol}.`);
  }
  return url;
}
