/**
 * Defensive checks of 2xx bodies: only what the product reads is required (docs/nexla-api.md §2.3: Nexla's
 * Python SDK requires `flows` and nothing else); unknown fields are kept. A body that fails is an
 * `invalid_response` error naming the call, never a TypeError deep in the caller.
 */
import type { FlowResponse, ResourceResponse } from "../types.js";
import type { SessionToken } from "./auth.js";
import type { CallContext } from "./call-context.js";
import { invalidResponse } from "./describe.js";

const isObject = (body: unknown): body is Record<string, unknown> =>
  typeof body === "object" && body !== null && !Array.isArray(body);

export function expectFlow(ctx: CallContext, body: unknown): FlowResponse {
  if (!isObject(body) || !Array.isArray(body["flows"])) {
    throw invalidResponse(ctx, 200, 'without the "flows" list of a flow response', body);
  }
  if (!body["flows"].every((node) => isObject(node) && typeof node["id"] === "number")) {
    throw invalidResponse(ctx, 200, 'with a "flows" list whose nodes lack a numeric "id"', body);
  }
  return body as FlowResponse;
}

export function expectResource(ctx: CallContext, body: unknown): ResourceResponse {
  if (!isObject(body) || typeof body["id"] !== "number" || typeof body["status"] !== "string") {
    throw invalidResponse(ctx, 200, 'without the numeric "id" and the "status" of a resource', body);
  }
  return body as ResourceResponse;
}

/** The body of `POST /token`; never quoted in a message, since it holds the token. */
export function expectToken(ctx: CallContext, body: unknown): SessionToken {
  const token = isObject(body) ? body["access_token"] : undefined;
  if (typeof token !== "string" || token === "") {
    throw invalidResponse(ctx, 200, "without an access_token", undefined);
  }
  const expiresIn = isObject(body) ? body["expires_in"] : undefined;
  const valid = typeof expiresIn === "number" && Number.isFinite(expiresIn) && expiresIn > 0;
  // The user the key belongs to (OA-SESS Token.user), when Nexla says; only ever a hint to the caller.
  const user = isObject(body) && isObject(body["user"]) ? body["user"]["id"] : undefined;
  const userId = typeof user === "number" && Number.isSafeInteger(user) && user > 0 ? user : undefined;
  return { accessToken: token, expiresIn: valid ? expiresIn : undefined, userId };
}
