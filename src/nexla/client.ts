/**
 * The Nexla client: one got instance built with `extend`, every default written out (style.md item 5).
 * Every flow call is built by `flowCall` (paths.ts), so what a preview names is exactly what is sent.
 */
import got, { HTTPError, RequestError, type Got, type OptionsInit } from "got";
import { isNexlaError, NexlaError } from "./errors.js";
import { tokenSource } from "./internal/auth.js";
import { describeFailure, statusFailure, type CallContext } from "./internal/describe.js";
import { retryDelay } from "./internal/retry.js";
import { systemClock, Throttle, type Clock } from "./internal/throttle.js";
import { checkBaseUrl, DEFAULT_API_URL, type NexlaClientOptions } from "./options.js";
import { describeCall, flowCall, type Anchor, type FlowAction, type FlowCall, type Scope } from "./paths.js";
import {
  collectionOf,
  type ChangeOwnerBody,
  type FlowResponse,
  type ResourceKind,
  type ResourceResponse,
} from "./types.js";

export interface NexlaClient {
  /** The flow the anchor belongs to, whole from its origin. Throws `not_found` for an unknown id. */
  getFlow(anchor: Anchor): Promise<FlowResponse>;
  /** Like getFlow, but `undefined` when Nexla answers 404. */
  tryGetFlow(anchor: Anchor): Promise<FlowResponse | undefined>;
  activate(anchor: Anchor, scope: Scope): Promise<FlowResponse>;
  pause(anchor: Anchor, scope: Scope): Promise<FlowResponse>;
  /** Deletes the anchor's subtree (`downstream`) or the whole flow. Nexla answers 405 while any of it is active. */
  deleteFlow(anchor: Anchor, scope: Scope): Promise<void>;
  /** Like deleteFlow, but `false` when the flow is already gone (404). */
  tryDeleteFlow(anchor: Anchor, scope: Scope): Promise<boolean>;
  /** Changes the owner of the whole flow (super users only). */
  changeOwner(anchor: Anchor, body: ChangeOwnerBody): Promise<FlowResponse>;
  listFlows(options?: {
    readonly flowsOnly?: boolean;
    readonly page?: number;
    readonly perPage?: number;
  }): Promise<FlowResponse>;
  getResource(kind: ResourceKind, id: number): Promise<ResourceResponse>;
  tryGetResource(kind: ResourceKind, id: number): Promise<ResourceResponse | undefined>;
  /** Activates one resource only, no cascade (`PUT /{collection}/{id}/activate`). */
  activateResource(kind: ResourceKind, id: number): Promise<ResourceResponse>;
  pauseResource(kind: ResourceKind, id: number): Promise<ResourceResponse>;
}

const actions: Record<FlowAction, string> = {
  get: "read",
  activate: "activate",
  pause: "pause",
  delete: "delete",
  change_owner: "change the owner of",
};

/** `flow 200` or `flow of data_set 2101`: how messages name the flow a call addresses. */
export function flowLabel(anchor: Anchor): string {
  return anchor.kind === "flow" ? `flow ${anchor.id}` : `flow of ${anchor.kind} ${anchor.id}`;
}

export function createNexlaClient(options: NexlaClientOptions, clock: Clock = systemClock): NexlaClient {
  const base = checkBaseUrl(options.baseUrl ?? DEFAULT_API_URL, options.allowInsecureHttp ?? false);
  const http = buildHttp(options, base, clock);
  const send = async (ctx: CallContext, call: Omit<FlowCall, "body"> & { body?: object }) => {
    const init: OptionsInit = { method: call.method, searchParams: { ...call.query } };
    if (call.body !== undefined) init.json = call.body;
    return request(http.api, http.tokens, ctx, call.path, init);
  };
  const flow = async (anchor: Anchor, action: FlowAction, scope: Scope, body?: ChangeOwnerBody) => {
    const call = flowCall(anchor, action, scope, body);
    const ctx = context(actions[action], flowLabel(anchor), call);
    return send(ctx, call).then((text) => (action === "delete" ? undefined : parseFlow(ctx, text)));
  };
  const resource = async (kind: ResourceKind, id: number, verb?: "activate" | "pause") => {
    const path = `/${collectionOf[kind]}/${id}${verb ? `/${verb}` : ""}`;
    const call = { method: verb ? ("PUT" as const) : ("GET" as const), path, query: {} };
    const ctx = context(verb ?? "read", `${kind} ${id}`, call);
    return parseJson(ctx, await send(ctx, call)) as ResourceResponse;
  };
  const orUndefined = <T>(p: Promise<T>) =>
    p.catch((e: unknown) => (isNexlaError(e, "not_found") ? undefined : Promise.reject(e)));
  return {
    getFlow: (anchor) => flow(anchor, "get", "flow") as Promise<FlowResponse>,
    tryGetFlow: (anchor) => orUndefined(flow(anchor, "get", "flow") as Promise<FlowResponse>),
    activate: (anchor, scope) => flow(anchor, "activate", scope) as Promise<FlowResponse>,
    pause: (anchor, scope) => flow(anchor, "pause", scope) as Promise<FlowResponse>,
    deleteFlow: async (anchor, scope) => void (await flow(anchor, "delete", scope)),
    tryDeleteFlow: (anchor, scope) =>
      orUndefined(flow(anchor, "delete", scope).then(() => true)).then((r) => r ?? false),
    changeOwner: (anchor, body) => flow(anchor, "change_owner", "flow", body) as Promise<FlowResponse>,
    listFlows: async (o = {}) => {
      const query: Record<string, string> = {};
      if (o.flowsOnly) query["flows_only"] = "1";
      if (o.page !== undefined) query["page"] = String(o.page);
      if (o.perPage !== undefined) query["per_page"] = String(o.perPage);
      const call = { method: "GET" as const, path: "/flows", query };
      const ctx = context("list", "flows", call);
      return parseFlow(ctx, await send(ctx, call));
    },
    getResource: (kind, id) => resource(kind, id),
    tryGetResource: (kind, id) => orUndefined(resource(kind, id)),
    activateResource: (kind, id) => resource(kind, id, "activate"),
    pauseResource: (kind, id) => resource(kind, id, "pause"),
  };
}

function context(action: string, target: string, call: Omit<FlowCall, "body">): CallContext {
  return { action, target, method: call.method, path: describeCall(call).slice(call.method.length + 1) };
}

interface Http {
  readonly api: Got;
  readonly tokens: ReturnType<typeof tokenSource>;
}

function buildHttp(options: NexlaClientOptions, base: URL, clock: Clock): Http {
  const retry = { limit: 4, baseDelayMs: 250, maxDelayMs: 10_000, ...options.retry };
  const limits =
    options.rateLimit === false
      ? undefined
      : { writesPerSecond: 8, readsPerSecond: 12, ...options.rateLimit };
  const reads = limits && new Throttle(limits.readsPerSecond, clock);
  const writes = limits && new Throttle(limits.writesPerSecond, clock);
  const common = got.extend({
    prefixUrl: base.href.endsWith("/") ? base.href : `${base.href}/`,
    headers: {
      accept: "application/vnd.nexla.api.v1+json",
      "user-agent": options.userAgent ?? "pulumi-nexla",
    },
    responseType: "text",
    timeout: { request: options.timeoutMs ?? 30_000 },
    https: { rejectUnauthorized: true },
    retry: {
      limit: retry.limit,
      methods: ["GET", "PUT", "DELETE"],
      statusCodes: [429, 502, 503, 504],
      errorCodes: [
        "ETIMEDOUT",
        "ECONNRESET",
        "EADDRINUSE",
        "ECONNREFUSED",
        "EPIPE",
        "ENOTFOUND",
        "ENETUNREACH",
        "EAI_AGAIN",
      ],
      // got would give up on a Retry-After above this; retryDelay caps it instead (NOTES.md section 8).
      maxRetryAfter: Number.MAX_SAFE_INTEGER,
      calculateDelay: (info) => retryDelay(info, retry),
    },
    hooks: {
      afterResponse: [
        (response) => {
          const url = new URL(response.requestUrl);
          const path = url.pathname.slice(base.pathname.replace(/\/$/, "").length) + url.search;
          options.onRequest?.({
            method: response.request.options.method,
            path,
            status: response.statusCode,
            attempt: response.retryCount + 1,
          });
          return response;
        },
      ],
    },
  });
  // The service key goes after `Basic ` as is, not base64: what Nexla's SDKs send (NOTES.md section 1).
  const tokenCall = {
    action: "exchange the service key for",
    target: "a session token",
    method: "POST",
    path: "/token",
  };
  const exchange = (key: string) =>
    common
      .post("token", { headers: { authorization: `Basic ${key}` }, retry: { methods: ["POST"] } })
      .text()
      .then(
        (text) => parseJson(tokenCall, text),
        (error: unknown) => Promise.reject(toNexlaError(tokenCall, error)),
      );
  const tokens = tokenSource(options.auth, exchange, clock);
  const api = common.extend({
    hooks: {
      beforeRequest: [
        async (o) => {
          await (o.method === "GET" ? reads : writes)?.acquire();
          o.headers["authorization"] = `Bearer ${await tokens.token()}`;
        },
      ],
    },
  });
  return { api, tokens };
}

async function request(
  api: Got,
  tokens: Http["tokens"],
  ctx: CallContext,
  path: string,
  init: OptionsInit,
): Promise<string> {
  for (let renewed = false; ; renewed = true) {
    try {
      const response = (await api(path.replace(/^\//, ""), init)) as unknown as { body: string };
      return response.body;
    } catch (error) {
      if (error instanceof NexlaError) throw error;
      const status = error instanceof HTTPError ? error.response.statusCode : undefined;
      // A 401 with a service key: the session may have ended early; get a new token and retry once (PY auth.py).
      if (status === 401 && !renewed && tokens.invalidate()) continue;
      throw toNexlaError(ctx, error);
    }
  }
}

function toNexlaError(ctx: CallContext, error: unknown): NexlaError {
  if (error instanceof HTTPError)
    return statusFailure(ctx, error.response.statusCode, tryJson(error.response.body));
  if (error instanceof RequestError && /token/.test(error.options?.url?.toString() ?? "") && error.response) {
    return statusFailure(
      { ...ctx, action: "authenticate to", method: "POST", path: "/token" },
      error.response.statusCode,
      undefined,
    );
  }
  const reason = error instanceof RequestError ? (error.code ?? error.message) : String(error);
  return describeFailure(ctx, "network", `the request failed (${reason})`, { cause: error });
}

function tryJson(body: unknown): unknown {
  try {
    return typeof body === "string" && body !== "" ? JSON.parse(body) : undefined;
  } catch {
    return undefined;
  }
}

function parseJson(ctx: CallContext, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const start = JSON.stringify(text.slice(0, 60));
    throw describeFailure(ctx, "invalid_response", `Nexla answered with a body that is not JSON (${start})`);
  }
}

function parseFlow(ctx: CallContext, text: string): FlowResponse {
  const body = parseJson(ctx, text);
  if (typeof body !== "object" || body === null || !Array.isArray((body as { flows?: unknown }).flows)) {
    throw describeFailure(
      ctx,
      "invalid_response",
      'Nexla answered without the "flows" list of a flow response',
    );
  }
  return body as FlowResponse;
}
