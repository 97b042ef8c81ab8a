/**
 * Sends one described call through the configured got instance. In service-key mode, a 401 means the session
 * token ended early (revoked, or expired sooner than `expires_in` said): obtain a new one and try once more,
 * as Nexla's SDKs do (PY client.py, JS nexla-client.ts; docs/nexla-api.md §1).
 */
import type { Got } from "got";
import { isNexlaError } from "../errors.js";
import type { FlowCall } from "../paths.js";
import type { SessionToken, TokenSource } from "./auth.js";
import type { CallContext } from "./call-context.js";
import { expectToken } from "./parse.js";
import type { RequestContext } from "./http.js";

export async function send(
  http: Got,
  tokens: TokenSource,
  call: FlowCall,
  ctx: CallContext,
): Promise<unknown> {
  const sent: { token?: string } = {};
  const attempt = async (renewed: boolean) => {
    const context: RequestContext = { call: ctx, renewed, sent };
    const response = await http(call.path.replace(/^\//, ""), {
      method: call.method,
      searchParams: { ...call.query },
      ...(call.body === undefined ? {} : { json: call.body }),
      context: { ...context },
    });
    return response.body;
  };
  try {
    return await attempt(false);
  } catch (error) {
    const unauthorized = isNexlaError(error, "unauthorized") && error.path === ctx.path;
    if (!unauthorized || tokens.mode !== "serviceKey") throw error;
    tokens.invalidate(sent.token);
    return attempt(true);
  }
}

/** How errors name the service-key exchange. */
export const exchangeCall: CallContext = {
  action: "exchange the service key for",
  target: "a session token",
  // What the 403 advice has always said here ("a user who can  this a"): kept byte-identical for now.
  noun: "a",
  method: "POST",
  path: "/token",
  need: "token",
  auth: "serviceKey",
};

/** `POST /token` with `Authorization: Basic <service key>`: the key as is, not base64 (what Nexla's SDKs send). */
export async function exchange(http: Got, serviceKey: string): Promise<SessionToken> {
  const call = exchangeCall;
  const context: RequestContext = { call, exchange: true };
  const response = await http.post("token", {
    headers: { authorization: `Basic ${serviceKey}`, "content-length": "0" },
    context: { ...context },
    // Issuing a second token is harmless, so the exchange is retried like the idempotent calls.
    retry: { methods: ["POST"] },
  });
  return expectToken(call, response.body);
}
