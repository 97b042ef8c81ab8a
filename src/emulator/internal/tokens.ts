/** Session tokens: the seeded access tokens, and tokens issued by `POST /token` (SRV token_controller.rb). */
import { randomBytes } from "node:crypto";
import type { SeedUser } from "../seed.js";
import type { Store } from "./store.js";

interface Issued {
  readonly userId: number;
  readonly expiresAt: number;
}

export class TokenBook {
  #issued = new Map<string, Issued>();
  /** Seeded tokens presented to `POST /token/logout`; they stay invalid until reset. */
  #revoked = new Set<string>();

  constructor(
    private readonly store: () => Store,
    private readonly ttlSeconds: number,
    private readonly clock: () => number,
  ) {}

  /** A fresh random token for `user`, valid for the configured lifetime. */
  issue(user: SeedUser): { readonly token: string; readonly expiresIn: number } {
    const token = `emu-${randomBytes(24).toString("base64url")}`;
    this.#issued.set(token, { userId: user.id, expiresAt: this.clock() + this.ttlSeconds * 1000 });
    return { token, expiresIn: this.ttlSeconds };
  }

  /** The user a Bearer token belongs to, or undefined if it is unknown, expired or logged out. */
  userFor(token: string): SeedUser | undefined {
    const issued = this.#issued.get(token);
    if (issued !== undefined) {
      return issued.expiresAt > this.clock() ? this.store().users.get(issued.userId) : undefined;
    }
    if (this.#revoked.has(token)) return undefined;
    return [...this.store().users.values()].find((u) => u.access_token === token);
  }

  /** The user a service key belongs to (`Authorization: Basic <service key>`, the key as is, as the SDKs send it). */
  userForServiceKey(key: string): SeedUser | undefined {
    return [...this.store().users.values()].find((u) => u.service_key === key);
  }

  revoke(token: string): void {
    if (!this.#issued.delete(token)) this.#revoked.add(token);
  }

  clear(): void {
    this.#issued = new Map();
    this.#revoked = new Set();
  }
}
