/**
 * Per-user, per-second request limits by weight, as Nexla's Rack::Attack setup computes them (SRV
 * rate_limit.rb, services/rate_limit/path_service.rb; docs/nexla-api.md §5.2). Fixed one-second windows.
 * Requests without a valid token are answered 401 before any limit: Nexla's per-IP limits for
 * unauthenticated requests (2/2/2/1) and per-user overrides are not modelled.
 */
import type { RateLimits } from "../types.js";

export type Weight = keyof RateLimits;

/** Nexla's per-user per-second defaults (SRV rate_limit.rb). */
export const nexlaRateLimits: RateLimits = { common: 10, light: 12, medium: 8, high: 5 };

/** The weight of a routed request, or undefined for `/token*`, which Nexla does not limit. */
export function weightOf(method: string, path: string): Weight | undefined {
  if (path === "/token" || path.startsWith("/token/")) return undefined;
  if (["POST", "PUT", "PATCH", "DELETE"].includes(method)) return "medium";
  if (method !== "GET") return "common";
  if (path.includes("data_set") || path.endsWith("/all")) return "high";
  return path.startsWith("/users") || path.startsWith("/data_maps") ? "medium" : "light";
}

interface Window {
  second: number;
  count: number;
}

export class RateLimiter {
  #windows = new Map<string, Window>();

  constructor(
    private readonly limits: RateLimits | false,
    private readonly clock: () => number,
  ) {}

  /** Counts a request; false when it is over the limit (Rack::Attack counts throttled requests too). */
  take(userId: number, weight: Weight): boolean {
    if (this.limits === false) return true;
    const second = Math.floor(this.clock() / 1000);
    const key = `${userId}:${weight}`;
    const window = this.#windows.get(key);
    if (window === undefined || window.second !== second) {
      this.#windows.set(key, { second, count: 1 });
      return 1 <= this.limits[weight];
    }
    window.count += 1;
    return window.count <= this.limits[weight];
  }

  clear(): void {
    this.#windows = new Map();
  }
}
