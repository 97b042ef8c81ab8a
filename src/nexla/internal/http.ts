/**
 * The one configured got instance (docs/design.md §8.5): built once with `extend`, every default written out,
 * auth and throttling in `beforeRequest`, the log hook in `afterResponse`/`beforeRetry`, and every failure
 * mapped to a NexlaError in `beforeError`.
 */
import got, { HTTPError, ParseError, type Got, type RequestError } from "got";
import { NexlaError } from "../errors.js";
import type { RequestInfo } from "../options.js";
import type { CallContext } from "./call-context.js";
import { networkFailure, notJson, statusFailure } from "./describe.js";
import { retryDelay, type Backoff } from "./retry.js";
import type { Clock, Throttles } from "./throttle.js";

export interface HttpSettings {
  readonly baseUrl: URL;
  readonly timeoutMs: number;
  readonly retry: Backoff & { readonly limit: number };
  readonly userAgent: string;
  readonly clock: Clock;
  readonly throttles: Throttles;
  readonly onRequest: ((info: RequestInfo) => void) | undefined;
  readonly onRequestStart: ((info: Pick<RequestInfo, "method" | "path">) => void) | undefined;
}

/** Per-request data in got's `context`: what the call is for (for messages) and the token it sent. */
export interface RequestContext {
  readonly call: CallContext;
  /** The service-key exchange authenticates itself and is not throttled (Nexla does not limit `/token*`). */
  readonly exchange?: boolean;
  readonly renewed?: boolean;
  readonly sent?: { token?: string };
}

/** Network errors worth retrying: GET, PUT and DELETE are idempotent in Nexla (docs/nexla-api.md §5.4). */
const networkErrorCodes = [
  "ETIMEDOUT",
  "ECONNRESET",
  "ECONNREFUSED",
  "EADDRINUSE",
  "EPIPE",
  "ENOTFOUND",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EAI_AGAIN",
];

export function createHttp(settings: HttpSettings, bearer: () => Promise<string>): Got {
  const { baseUrl, retry, clock } = settings;
  const relative = (url: URL | string) => {
    const u = new URL(url);
    return u.pathname.slice(baseUrl.pathname.replace(/\/$/, "").length) + u.search;
  };
  const report = (method: string, url: URL | string, status: number | undefined, attempt: number) =>
    settings.onRequest?.({ method, path: relative(url), status, attempt });
  return got.extend({
    prefixUrl: baseUrl.href.endsWith("/") ? baseUrl.href : `${baseUrl.href}/`,
    headers: {
      // The API version is chosen by media type (DOC-REF); `application/json` would mean "latest".
      accept: "application/vnd.nexla.api.v1+json",
      "user-agent": settings.userAgent,
    },
    responseType: "json",
    throwHttpErrors: true,
    // Nexla's API does not redirect; following one could send the token elsewhere.
    followRedirect: false,
    timeout: { request: settings.timeoutMs },
    https: { rejectUnauthorized: true },
    context: {},
    retry: {
      limit: retry.limit,
      methods: ["GET", "PUT", "DELETE"],
      statusCodes: [429, 502, 503, 504],
      errorCodes: networkErrorCodes,
      // got gives up when Retry-After exceeds maxRetryAfter; instead retry, waiting at most maxDelayMs.
      maxRetryAfter: Number.POSITIVE_INFINITY,
      backoffLimit: retry.maxDelayMs,
      enforceRetryRules: true,
      // The wait itself goes through the clock (so a fake one sees every delay asked for); got then waits 1 ms,
      // since 0 would mean "do not retry".
      calculateDelay: async ({ attemptCount, error }) => {
        const header = error.response?.headers["retry-after"];
        await clock.sleep(
          retryDelay(attemptCount, typeof header === "string" ? header : undefined, retry, clock.now()),
        );
        return 1;
      },
    },
    hooks: {
      beforeRequest: [
        async (options) => {
          const context = options.context as unknown as RequestContext;
          // Called for its effect only: a value returned from beforeRequest would be taken as the response.
          const started = () =>
            void settings.onRequestStart?.({ method: options.method, path: relative(options.url as URL) });
          if (context.exchange === true) {
            started();
            return;
          }
          // The token first: a slot taken while a token exchange is under way would be spent late, bunched
          // with the next window's requests in one of Nexla's fixed windows.
          const token = await bearer();
          await settings.throttles.acquire(options.method, relative(options.url as URL));
          if (context.sent !== undefined) context.sent.token = token;
          options.headers["authorization"] = `Bearer ${token}`;
          started();
        },
      ],
      afterResponse: [
        (response) => {
          report(response.request.options.method, response.url, response.statusCode, response.retryCount + 1);
          return response;
        },
      ],
      beforeRetry: [
        (error, retryCount) => {
          if (error.response === undefined)
            report(error.options.method, error.options.url as URL, undefined, retryCount);
        },
      ],
      beforeError: [(error) => toNexlaError(error, settings, report)],
    },
  });
}

function toNexlaError(
  error: RequestError,
  settings: HttpSettings,
  report: (method: string, url: URL, status: undefined, attempt: number) => void,
): Error {
  // A token exchange that failed inside beforeRequest: already described, for POST /token.
  if (error.cause instanceof NexlaError) return error.cause;
  const context = error.options.context as unknown as RequestContext;
  const attempts = (error.request?.retryCount ?? 0) + 1;
  if (error instanceof HTTPError) {
    const { statusCode, body } = error.response;
    // Nexla's 404 has an empty body (docs/nexla-api.md §5.1). A 404 page in HTML comes from something else at the base
    // URL (a proxy, the UI host): reading it as "no such flow" would make a refresh drop every flow from state.
    const raw = error.response.rawBody?.toString() ?? "";
    if (statusCode === 404 && raw.trim() !== "" && !isJson(raw))
      return notJson(context.call, statusCode, raw);
    return statusFailure(context.call, statusCode, body, attempts, context.renewed === true);
  }
  if (error instanceof ParseError)
    return notJson(context.call, error.response.statusCode, String(error.response.body));
  report(error.options.method, error.options.url as URL, undefined, attempts);
  // A plain copy of what failed: got's own error holds the request options, Authorization header included.
  const cause = Object.assign(new Error(error.message), { code: error.code });
  return networkFailure(context.call, error.code, settings.timeoutMs, attempts, cause);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
