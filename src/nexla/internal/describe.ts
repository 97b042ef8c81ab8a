/**
 * The one message grammar (docs/design.md §8.7):
 * "Could not <action> <target> (<METHOD> <path?query>): <what happened>. <what to do>."
 * Messages are built from the call and Nexla's answer only, never from headers, so they hold no credential.
 */
import { STATUS_CODES } from "node:http";
import { codeForStatus, errorCodes, NexlaError } from "../errors.js";
import { advice } from "./advice.js";
import type { CallContext, Listed, Outcome } from "./call-context.js";

export function failure(ctx: CallContext, outcome: Outcome): NexlaError {
  const todo = advice(ctx, outcome) ?? errorCodes[outcome.code].action;
  const message = `Could not ${ctx.action} ${ctx.target} (${ctx.method} ${ctx.path}): ${outcome.what}. ${todo}.`;
  const { code, status, body, attempts, cause } = outcome;
  return new NexlaError(message, {
    code,
    method: ctx.method,
    path: ctx.path,
    body,
    cause,
    ...(status === undefined ? {} : { status }),
    ...(attempts === undefined ? {} : { attempts }),
  });
}

const after = (attempts: number) => (attempts > 1 ? ` after ${attempts} attempts` : "");

/** An HTTP error status, with Nexla's `message` (or `error`) and the resources its body lists. */
export function statusFailure(
  ctx: CallContext,
  status: number,
  body: unknown,
  attempts: number,
  renewed = false,
): NexlaError {
  // A redirect is not part of Nexla's API: the base URL is most likely wrong (http for https, a UI host).
  const code = status >= 300 && status < 400 ? "invalid_response" : codeForStatus(status);
  let what = `Nexla answered ${status} ${STATUS_CODES[status] ?? "(unknown status)"}`;
  if (renewed) what += ", also with a new session token";
  const said = nexlaMessage(body);
  if (said !== undefined) what += `: "${said}"`;
  const resources = listedResources(body);
  const listed: Listed | undefined =
    resources.length > 0 ? { label: listLabel(status), resources } : undefined;
  if (listed !== undefined) what += ` (${listed.label}: ${listed.resources.join(", ")})`;
  const blockers = blockingFlows(body);
  if (blockers !== undefined) what += ` (${blockers})`;
  what += after(attempts);
  return failure(ctx, {
    code,
    what,
    status,
    body,
    attempts,
    renewed,
    ...(said === undefined ? {} : { said }),
    ...(listed === undefined ? {} : { listed }),
  });
}

/** No answer: timeout, refused, reset or dropped connection, DNS failure. */
export function networkFailure(
  ctx: CallContext,
  errorCode: string,
  timeoutMs: number,
  attempts: number,
  cause: unknown,
): NexlaError {
  const what =
    errorCode === "ETIMEDOUT"
      ? `no answer within ${timeoutMs} ms${after(attempts)}`
      : `the connection failed (${errorCode})${after(attempts)}`;
  return failure(ctx, { code: "network", what, attempts, cause });
}

/** A 2xx answer that is not what the call expects; the body is quoted only where it cannot hold a token. */
export function invalidResponse(
  ctx: CallContext,
  status: number,
  problem: string,
  body: unknown,
): NexlaError {
  return failure(ctx, {
    code: "invalid_response",
    what: `Nexla answered ${status} ${problem}`,
    status,
    body,
  });
}

export function notJson(ctx: CallContext, status: number, text: string): NexlaError {
  const excerpt = ctx.need === "token" ? "" : `: ${JSON.stringify(text.slice(0, 60))}`;
  return invalidResponse(ctx, status, `with a body that is not JSON${excerpt}`, text);
}

function nexlaMessage(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const { message, error } = body as { message?: unknown; error?: unknown };
  const text = typeof message === "string" ? message : typeof error === "string" ? error : undefined;
  const oneLine = text?.replace(/\s+/g, " ").trim();
  return oneLine === undefined || oneLine === "" ? undefined : oneLine.slice(0, 300);
}

/**
 * The 405 delete conflict lists the active resources by kind (SRV flow_node.rb#flow_destroy); the 403 of a
 * change of owner lists what the new owner cannot access (SRV flow_node.rb#flow_chown!).
 */
const listKeys: readonly (readonly [string, string])[] = [
  ["data_sources", "data_source"],
  ["data_sets", "data_set"],
  ["data_sinks", "data_sink"],
  ["data_credentials", "data_credential"],
  ["code_containers", "code_container"],
];

const listLabel = (status: number) =>
  status === 405 ? "still active" : status === 403 ? "not accessible to the new owner" : "listed";

/**
 * The other flows a 405 delete names (SRV flow_node.rb#flow_destroy, docs/nexla-api.md §2.4, §10): who derives
 * flows from the flow's shared nexsets (`sharers`), and the RAG flows it is linked to (`linked_rag_flow_ids`).
 */
function blockingFlows(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const { sharers, linked_rag_flow_ids: rag } = body as { sharers?: unknown; linked_rag_flow_ids?: unknown };
  if (Array.isArray(sharers) && sharers.length > 0) {
    const named = sharers.flatMap((s: unknown) => {
      if (typeof s !== "object" || s === null) return [];
      const { email, org, org_id: orgId } = s as { email?: unknown; org?: unknown; org_id?: unknown };
      const where =
        typeof orgId === "number" ? `${typeof org === "string" ? org : "org"} (org ${orgId})` : "";
      return [[typeof email === "string" ? email : "", where].filter((x) => x !== "").join(" of ")];
    });
    return `flows derived from its shared nexsets belong to: ${named.join("; ")}`;
  }
  if (Array.isArray(rag) && rag.length > 0) {
    const ids = rag.filter((id) => typeof id === "number");
    return `linked RAG ${ids.length === 1 ? "flow" : "flows"}: ${ids.join(", ")}`;
  }
  return undefined;
}

function listedResources(body: unknown): string[] {
  if (typeof body !== "object" || body === null) return [];
  return listKeys.flatMap(([key, kind]) => {
    const ids = (body as Record<string, unknown>)[key];
    return Array.isArray(ids) ? ids.filter((id) => typeof id === "number").map((id) => `${kind} ${id}`) : [];
  });
}
