/**
 * What happens around the app for every API request: injected faults and latency, the no-cache headers,
 * and the request log. Control requests (`/_emulator/…`) pass straight through.
 */
import type { Hono } from "hono";
import type { Fault } from "../types.js";
import type { AppEnv, Core, Ticket } from "./core.js";
import { addNoCacheHeaders } from "./http.js";
import { loggedQuery } from "./request-log.js";

/** The global timer, so tests can fake it (vi.useFakeTimers). */
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The connection is to be destroyed without an answer. */
export const DROPPED = Symbol("dropped");
export type Outcome = Response | typeof DROPPED;

function faultOutcome(fault: Fault): Outcome {
  if (fault.drop === true) return DROPPED;
  const headers = { "Content-Type": "application/json; charset=utf-8", ...fault.headers };
  const body = fault.body === undefined ? null : JSON.stringify(fault.body);
  return new Response(body, { status: fault.status ?? 500, headers });
}

async function answer(
  core: Core,
  app: Hono<AppEnv>,
  request: Request,
  url: URL,
  ticket: Ticket,
): Promise<Outcome> {
  const fault = core.faults.take(request.method, url.pathname);
  if (fault?.latencyMs !== undefined) await delay(fault.latencyMs);
  const acts = fault !== undefined && (fault.status !== undefined || fault.drop === true);
  if (acts && fault.after !== true) return faultOutcome(fault);
  const response = await app.fetch(request, { ticket });
  if (!acts) return response;
  await response.body?.cancel();
  return faultOutcome(fault);
}

export function createPipeline(core: Core, app: Hono<AppEnv>): (request: Request) => Promise<Outcome> {
  return async (request) => {
    const url = new URL(request.url);
    // Anything but an API read may change the state: rendered reads are dropped before and after it.
    const reads = request.method === "GET" && !url.pathname.startsWith("/_emulator");
    if (!reads) core.revision += 1;
    try {
      return await handled(core, app, request, url);
    } finally {
      if (!reads) core.revision += 1;
    }
  };
}

async function handled(core: Core, app: Hono<AppEnv>, request: Request, url: URL): Promise<Outcome> {
  if (url.pathname.startsWith("/_emulator")) return app.fetch(request, { ticket: {} });
  const time = core.clock();
  const ticket: Ticket = {};
  const outcome = await answer(core, app, request, url, ticket);
  if (outcome !== DROPPED) addNoCacheHeaders(outcome);
  const entry = {
    method: request.method,
    path: url.pathname,
    query: loggedQuery(url),
    status: outcome === DROPPED ? 0 : outcome.status,
    ...(ticket.user === undefined ? {} : { userId: ticket.user.id }),
    time,
  };
  core.log.record(entry, ticket.unhandled === true);
  return outcome;
}
