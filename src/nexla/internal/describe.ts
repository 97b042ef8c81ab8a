/** What a failed call did and what Nexla said, in the one message grammar of errors.ts. */
import { STATUS_CODES } from "node:http";
import { codeForStatus, errorCodes, NexlaError, type NexlaErrorCode } from "../errors.js";

/** The call as messages name it: action, target, and `METHOD path?query` (never a credential). */
export interface CallContext {
  readonly action: string;
  readonly target: string;
  readonly method: string;
  readonly path: string;
}

export function describeFailure(
  ctx: CallContext,
  code: NexlaErrorCode,
  what: string,
  extra?: Partial<NexlaErrorOpts>,
): NexlaError {
  const message = `Could not ${ctx.action} ${ctx.target} (${ctx.method} ${ctx.path}): ${what}. ${errorCodes[code].action}.`;
  return new NexlaError(message, { code, method: ctx.method, path: ctx.path, ...extra });
}

interface NexlaErrorOpts {
  readonly status: number;
  readonly body: unknown;
  readonly cause: unknown;
}

/** An HTTP error status, with Nexla's `message` (or `error`) and any resource lists it sent. */
export function statusFailure(ctx: CallContext, status: number, body: unknown): NexlaError {
  const code = codeForStatus(status);
  let what = `Nexla answered ${status} ${STATUS_CODES[status] ?? ""}`.trimEnd();
  const said = nexlaMessage(body);
  if (said !== undefined) what += `: "${said}"`;
  const listed = listedResources(body);
  if (listed.length > 0) what += ` (${listed.join(", ")})`;
  return describeFailure(ctx, code, what, { status, body });
}

function nexlaMessage(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const { message, error } = body as { message?: unknown; error?: unknown };
  const text = typeof message === "string" ? message : typeof error === "string" ? error : undefined;
  return text?.replace(/[.!]+$/, "");
}

/** The 405 delete conflict lists the active resources by kind (SRV flow_node.rb#flow_destroy). */
function listedResources(body: unknown): string[] {
  if (typeof body !== "object" || body === null) return [];
  const lists: [string, string][] = [
    ["data_sources", "data_source"],
    ["data_sets", "data_set"],
    ["data_sinks", "data_sink"],
  ];
  return lists.flatMap(([key, kind]) => {
    const ids = (body as Record<string, unknown>)[key];
    return Array.isArray(ids) ? ids.filter((id) => typeof id === "number").map((id) => `${kind} ${id}`) : [];
  });
}
