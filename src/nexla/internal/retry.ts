/**
 * Backoff for retried calls: capped exponential with jitter, and Nexla's `Retry-After` (seconds or an HTTP
 * date) honoured but capped, so one long answer cannot stall a deployment (NOTES.md section 8).
 */
import type { RetryObject } from "got";

export interface Backoff {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export function retryDelay(
  info: Pick<RetryObject, "attemptCount" | "computedValue" | "error">,
  backoff: Backoff,
): number {
  if (info.computedValue === 0) return 0; // got's rules say no retry (method, status, or limit)
  const header = info.error.response?.headers["retry-after"];
  const after = parseRetryAfter(typeof header === "string" ? header : undefined, Date.now());
  if (after !== undefined) return Math.min(after, backoff.maxDelayMs);
  const exponential = Math.min(backoff.baseDelayMs * 2 ** (info.attemptCount - 1), backoff.maxDelayMs);
  return Math.round(exponential / 2 + (Math.random() * exponential) / 2);
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
