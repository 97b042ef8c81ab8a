/**
 * Session tokens. An access token is used as is. A service key is exchanged at `POST /token` with
 * `Authorization: Basic <service key>` (as is, not base64: what Nexla's SDKs send, NOTES.md section 1), the
 * token cached, renewed a minute before it expires, and concurrent callers share one exchange.
 */
import type { Got } from "got";
import type { NexlaAuth } from "../options.js";
import type { Clock } from "./throttle.js";

const RENEW_MARGIN_MS = 60_000;
/** Nexla's SDKs assume this when `expires_in` is missing (NOTES.md section 1). */
const DEFAULT_EXPIRES_IN_S = 3600;

export interface TokenSource {
  token(): Promise<string>;
  /** Forget the cached token after a 401; true when a new one can be obtained (service-key mode). */
  invalidate(): boolean;
}

export function tokenSource(
  auth: NexlaAuth,
  exchange: (key: string) => Promise<unknown>,
  clock: Clock,
): TokenSource {
  if ("accessToken" in auth) return { token: async () => auth.accessToken, invalidate: () => false };
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const obtain = async () => {
    const body = (await exchange(auth.serviceKey)) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== "string")
      throw new Error("POST /token answered without an access_token");
    const ttl = typeof body.expires_in === "number" ? body.expires_in : DEFAULT_EXPIRES_IN_S;
    cached = { token: body.access_token, expiresAt: clock.now() + ttl * 1000 };
    return body.access_token;
  };
  return {
    async token() {
      if (cached && clock.now() < cached.expiresAt - RENEW_MARGIN_MS) return cached.token;
      pending ??= obtain().finally(() => (pending = undefined));
      return pending;
    },
    invalidate() {
      cached = undefined;
      return true;
    },
  };
}

export type { Got };
