/**
 * Session tokens. An access token is used as is. A service key is exchanged at `POST /token` (docs/nexla-api.md
 * §1), the token cached and renewed a little before it expires, and concurrent callers share one
 * exchange. After a 401 the caller invalidates the token it sent, and only that one, so a burst of 401s from
 * concurrent calls leads to one new exchange, not one each.
 */
import type { NexlaAuth } from "../options.js";
import type { Clock } from "./throttle.js";

/** Nexla's tokens typically live an hour (DOC-AUTH); assumed when `expires_in` is missing. */
const DEFAULT_EXPIRES_IN_S = 3600;
/** Renew this long before expiry, or after half the lifetime of a short-lived token. */
const RENEW_MARGIN_MS = 60_000;

export interface SessionToken {
  readonly accessToken: string;
  /** Seconds, or undefined when Nexla did not say. */
  readonly expiresIn: number | undefined;
  /** The id of the user the token was issued to, or undefined when Nexla did not say. */
  readonly userId: number | undefined;
}

export interface TokenSource {
  /** `accessToken`: a 401 is final. `serviceKey`: a 401 is worth one new token and one more try. */
  readonly mode: "accessToken" | "serviceKey";
  token(): Promise<string>;
  /** Forgets `sent` if it is still the cached token. */
  invalidate(sent: string | undefined): void;
  /**
   * The user the service key belongs to, as the token exchange said (obtaining a token first if there is none:
   * the exchange every call needs anyway); undefined for an access token, which does not say.
   */
  userId(): Promise<number | undefined>;
}

export function tokenSource(
  auth: NexlaAuth,
  exchange: (serviceKey: string) => Promise<SessionToken>,
  clock: Clock,
): TokenSource {
  if ("accessToken" in auth) {
    const token = auth.accessToken;
    return {
      mode: "accessToken",
      token: async () => token,
      invalidate: () => undefined,
      userId: async () => undefined,
    };
  }
  const key = auth.serviceKey;
  let cached: { readonly token: string; readonly renewAt: number } | undefined;
  let pending: Promise<string> | undefined;
  let userId: number | undefined;
  const obtain = async (): Promise<string> => {
    const session = await exchange(key);
    userId = session.userId;
    const ttlMs = (session.expiresIn ?? DEFAULT_EXPIRES_IN_S) * 1000;
    cached = {
      token: session.accessToken,
      renewAt: clock.now() + ttlMs - Math.min(RENEW_MARGIN_MS, ttlMs / 2),
    };
    return session.accessToken;
  };
  const token = (): Promise<string> => {
    if (cached !== undefined && clock.now() < cached.renewAt) return Promise.resolve(cached.token);
    pending ??= obtain().finally(() => (pending = undefined));
    return pending;
  };
  return {
    mode: "serviceKey",
    token,
    async userId() {
      await token();
      return userId;
    },
    invalidate(sent) {
      if (cached !== undefined && cached.token === sent) cached = undefined;
    },
  };
}
