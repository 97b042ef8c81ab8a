/**
 * A per-client sliding-window throttle: at most `limit` requests in any `1000 + marginMs` ms, callers served in
 * order. Nexla limits each user per second by request weight in fixed one-second windows on its own clock
 * (Rack::Attack, docs/nexla-api.md §5.2). A sliding window of exactly 1000 ms holds only for arrival times: a
 * request sent late in one window whose trip is a few ms slower than the next one's can land in the same fixed
 * window as `limit` later ones, and Nexla answers 429. The margin absorbs that difference in trip times, so our
 * own throttle never draws a 429, at the cost of a rate `1000 / (1000 + marginMs)` of Nexla's limit.
 * Pulumi runs resource operations concurrently, so one throttle per weight is shared by every call of a client.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class Throttle {
  private readonly sent: number[] = [];
  private queue: Promise<void> = Promise.resolve();
  private waiting = 0;

  constructor(
    private readonly limit: number,
    private readonly clock: Clock,
    private readonly windowMs = 1000,
  ) {}

  /** Resolves when one more request fits in the window. */
  acquire(): Promise<void> {
    this.waiting += 1;
    const turn = this.queue.then(() => this.waitForSlot()).finally(() => (this.waiting -= 1));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** About how long a request asked for now would wait for its slot: the queue ahead of it at this rate. */
  queuedMs(): number {
    return (this.waiting * this.windowMs) / this.limit;
  }

  private async waitForSlot(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (this.sent.length > 0 && (this.sent[0] ?? now) <= now - this.windowMs) this.sent.shift();
      if (this.sent.length < this.limit) {
        this.sent.push(now);
        return;
      }
      await this.clock.sleep((this.sent[0] ?? now) + this.windowMs - now);
    }
  }
}

export interface Throttles {
  acquire(method: string, path: string): Promise<void>;
  /** About how long a write asked for now would wait for its turn (0 without limits). */
  writeQueueMs(): number;
}

export interface Limits {
  readonly writesPerSecond: number;
  readonly readsPerSecond: number;
  readonly heavyReadsPerSecond: number;
  /** Added to the one-second window (see Throttle). */
  readonly marginMs: number;
}

/**
 * One throttle per Nexla request weight: writes (medium), reads (light), and GETs whose path contains
 * `data_set` (high) (SRV services/rate_limit/path_service.rb). `/token` is not limited by Nexla.
 */
export function throttles(limits: Limits | false, clock: Clock): Throttles {
  if (limits === false) return { acquire: async () => undefined, writeQueueMs: () => 0 };
  const window = 1000 + limits.marginMs;
  const writes = new Throttle(limits.writesPerSecond, clock, window);
  const reads = new Throttle(limits.readsPerSecond, clock, window);
  const heavy = new Throttle(limits.heavyReadsPerSecond, clock, window);
  return {
    acquire: (method, path) =>
      method !== "GET" ? writes.acquire() : path.includes("data_set") ? heavy.acquire() : reads.acquire(),
    writeQueueMs: () => writes.queuedMs(),
  };
}
