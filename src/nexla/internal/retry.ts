/**
 * Backoff for retried calls: capped exponential with jitter, and Nexla's `Retry-After` (seconds or an HTTP
 * date) honoured but capped, so one long answer cannot stall a deployment. Nexla's JS SDK caps it at 3 s, its
 * Python SDK not at all (docs/nexla-api.md §8); the cap here is an option.
 */

export interface Backoff {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  const text = value?.trim() ?? "";
  if (text === "") return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before retry number `retry` (1 for the first retry). With a readable `Retry-After` it is that wait,
 * capped at `maxDelayMs`; without one (a 429 from a limiter that sends none, a 503, a reset) it is
 * `baseDelayMs * 2^(retry-1)`, capped, with "equal jitter" (half fixed, half random) so that concurrent
 * callers spread out. Never 0: every retry waits at least 1 ms.
 */
export function retryDelay(
  retry: number,
  retryAfterHeader: string | undefined,
  backoff: Backoff,
  now: number,
  random: () => number = Math.random,
): number {
  const after = parseRetryAfter(retryAfterHeader, now);
  if (after !== undefined) return Math.max(1, Math.min(after, backoff.maxDelayMs));
  const exponential = Math.min(backoff.baseDelayMs * 2 ** (retry - 1), backoff.maxDelayMs);
  return Math.max(1, Math.round(exponential / 2 + (random() * exponential) / 2));
}
