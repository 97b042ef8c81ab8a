/**
 * The client's options with every default filled in and checked at once, so a bad number is a configuration
 * error naming every problem rather than a hang (a rate limit of 0) or a request that never retries.
 */
import { configurationError, DEFAULT_API_URL, type NexlaClientOptions } from "../options.js";
import { checkBaseUrl } from "./base-url.js";
import type { HttpSettings } from "./http.js";
import { systemClock, throttles, type Limits } from "./throttle.js";

export const defaults = {
  timeoutMs: 30_000,
  retry: { limit: 4, baseDelayMs: 250, maxDelayMs: 10_000 },
  rateLimit: { writesPerSecond: 8, readsPerSecond: 12, heavyReadsPerSecond: 5, marginMs: 100 },
  userAgent: "pulumi-nexla",
} as const;

export function resolveSettings(options: NexlaClientOptions): HttpSettings {
  const baseUrl = checkBaseUrl(options.baseUrl ?? DEFAULT_API_URL, options.allowInsecureHttp ?? false);
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
  const retry = { ...defaults.retry, ...options.retry };
  const limits: Limits | false =
    options.rateLimit === false ? false : { ...defaults.rateLimit, ...options.rateLimit };
  const problems = [
    ...check({ timeoutMs }, (n) => n > 0, "a number above 0"),
    ...check({ "retry.limit": retry.limit }, (n) => Number.isInteger(n) && n >= 0, "a whole number >= 0"),
    ...check(
      { "retry.baseDelayMs": retry.baseDelayMs, "retry.maxDelayMs": retry.maxDelayMs },
      (n) => n >= 0,
      "a number >= 0",
    ),
    ...check(limits === false ? {} : prefixed(limits, "marginMs"), (n) => n > 0, "a number above 0"),
    ...check(
      limits === false ? {} : { "rateLimit.marginMs": limits.marginMs },
      (n) => n >= 0,
      "a number >= 0",
    ),
  ];
  if (problems.length > 0) throw configurationError(`Invalid client options: ${problems.join("; ")}.`);
  return {
    baseUrl,
    timeoutMs,
    retry,
    userAgent: options.userAgent ?? defaults.userAgent,
    clock,
    throttles: throttles(limits, clock),
    onRequest: options.onRequest,
    onRequestStart: options.onRequestStart,
  };
}

function check(values: Record<string, number>, valid: (n: number) => boolean, what: string): string[] {
  return Object.entries(values)
    .filter(([, n]) => !(Number.isFinite(n) && valid(n)))
    .map(([name, n]) => `${name} must be ${what}, not ${n}`);
}

const prefixed = (limits: Limits, except: keyof Limits): Record<string, number> =>
  Object.fromEntries(
    Object.entries(limits)
      .filter(([k]) => k !== except)
      .map(([k, v]) => [`rateLimit.${k}`, v]),
  );
