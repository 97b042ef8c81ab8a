/** Authentication and rate limiting in front of every modelled API route (SRV api_controller.rb#authenticate). */
import type { Context } from "hono";
import type { SeedUser } from "../seed.js";
import type { AppEnv, Core } from "./core.js";
import { empty, failure } from "./http.js";
import { weightOf } from "./rate-limit.js";

export type ApiContext = Context<AppEnv>;
export type UserHandler = (c: ApiContext, user: SeedUser) => Response | Promise<Response>;

/**
 * The Bearer token's user. Missing header or unknown, expired or logged-out token: empty 401; a header
 * that is not two words: 400 "Invalid header format" (SRV api_controller.rb#authenticate).
 */
export function authenticate(core: Core, c: ApiContext): SeedUser | Response {
  const header = c.req.header("Authorization");
  if (header === undefined) return empty(401);
  const words = header.split(" ");
  if (words.length !== 2) throw failure(400, "Invalid header format");
  const [scheme = "", token = ""] = words;
  const user = scheme.toLowerCase() === "bearer" ? core.tokens.userFor(token) : undefined;
  if (user === undefined) return empty(401);
  c.env.ticket.user = user;
  return user;
}

/** Rack::Attack's default throttled answer (docs/nexla-api.md §5.2), with the Retry-After clients honour. */
function throttled(): Response {
  return new Response("Retry later", {
    status: 429,
    headers: { "Content-Type": "text/plain", "Retry-After": "1" },
  });
}

export function guarded(core: Core, handler: UserHandler): (c: ApiContext) => Promise<Response> {
  return async (c) => {
    const user = authenticate(core, c);
    if (user instanceof Response) return user;
    const weight = weightOf(c.req.method, c.req.path);
    if (weight !== undefined && !core.limiter.take(user.id, weight)) return throttled();
    return handler(c, user);
  };
}
