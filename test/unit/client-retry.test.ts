import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "../../src/nexla/internal/retry.js";
import { retryDelay } from "../../src/nexla/internal/retry.js";

const now = Date.parse("2026-11-28T10:00:00Z");
const backoff = { baseDelayMs: 250, maxDelayMs: 10_000 };

describe("parseRetryAfter", () => {
  it("reads delta-seconds", () => {
    expect([parseRetryAfter("1", now), parseRetryAfter(" 120 ", now), parseRetryAfter("0", now)]).toEqual([
      1000, 120_000, 0,
    ]);
  });

  it("reads an HTTP date, relative to now, never negative", () => {
    expect(parseRetryAfter("Sat, 28 Nov 2026 10:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Sat, 28 Nov 2026 09:59:00 GMT", now)).toBe(0);
  });

  it("ignores an absent, blank or unreadable header", () => {
    expect([
      parseRetryAfter(undefined, now),
      parseRetryAfter("  ", now),
      parseRetryAfter("soon", now),
    ]).toEqual([undefined, undefined, undefined]);
  });
});

describe("retryDelay", () => {
  it("honours Retry-After up to maxDelayMs", () => {
    expect(retryDelay(1, "1", backoff, now)).toBe(1000);
    expect(retryDelay(1, "3600", backoff, now)).toBe(10_000);
    expect(retryDelay(1, "Sat, 28 Nov 2026 10:00:03 GMT", backoff, now)).toBe(3000);
    expect(retryDelay(1, "Sat, 28 Nov 2026 11:00:00 GMT", backoff, now)).toBe(10_000);
  });

  it("never answers 0: every retry waits", () => {
    expect(retryDelay(1, "0", backoff, now)).toBe(1);
    expect(retryDelay(1, "Sat, 28 Nov 2026 09:00:00 GMT", backoff, now)).toBe(1);
    expect(retryDelay(1, undefined, { baseDelayMs: 0, maxDelayMs: 0 }, now, () => 0)).toBe(1);
  });

  it("backs off exponentially without Retry-After (a 429 without it too), with equal jitter", () => {
    const low = [1, 2, 3, 4].map((n) => retryDelay(n, undefined, backoff, now, () => 0));
    const high = [1, 2, 3, 4].map((n) => retryDelay(n, undefined, backoff, now, () => 1));
    expect(low).toEqual([125, 250, 500, 1000]);
    expect(high).toEqual([250, 500, 1000, 2000]);
  });

  it("caps the exponential backoff at maxDelayMs", () => {
    expect(retryDelay(10, undefined, backoff, now, () => 1)).toBe(10_000);
    expect(retryDelay(10, undefined, backoff, now, () => 0)).toBe(5000);
    expect(retryDelay(10, "soon", backoff, now, () => 1)).toBe(10_000);
  });
});
