/**
 * The Nexla client. Every flow call is built by `flowCall` (paths.ts), so what a preview names is exactly what
 * is sent; the `try` forms return `undefined`/`false` on 404 where the plain forms throw (style.md item 10).
 */
import { isNexlaError } from "./errors.js";
import { tokenSource } from "./internal/auth.js";
import { checkBaseUrl } from "./internal/base-url.js";
import type { CallContext } from "./internal/describe.js";
import { createHttp } from "./internal/http.js";
import { expectFlow, expectResource } from "./internal/parse.js";
import { exchange, send } from "./internal/send.js";
import { systemClock, throttles } from "./internal/throttle.js";
import { DEFAULT_API_URL, type NexlaClientOptions } from "./options.js";
import {
  describeCall,
  flowCall,
  listCall,
  resourceCall,
  type Anchor,
  type FlowAction,
  type FlowCall,
  type ListFlowsOptions,
  type Scope,
} from "./paths.js";
import type { ChangeOwnerBody, FlowResponse, ResourceKind, ResourceResponse } from "./types.js";

export interface NexlaClient {
  /** The flow the anchor belongs to, whole from its origin. Throws a `not_found` NexlaError on 404. */
  getFlow(anchor: Anchor): Promise<FlowResponse>;
  /** Like getFlow, but `undefined` when Nexla answers 404. */
  tryGetFlow(anchor: Anchor): Promise<FlowResponse | undefined>;
  /** Activates the scope (cascading downstream) and answers the whole flow. */
  activate(anchor: Anchor, scope: Scope): Promise<FlowResponse>;
  /** Pauses the scope (cascading downstream) and answers the whole flow. */
  pause(anchor: Anchor, scope: Scope): Promise<FlowResponse>;
  /** Deletes the anchor's subtree or the whole flow; a 405 while any of it is active, a 404 when gone. */
  deleteFlow(anchor: Anchor, scope: Scope): Promise<void>;
  /** Like deleteFlow, but `false` when the flow is already gone (404). */
  tryDeleteFlow(anchor: Anchor, scope: Scope): Promise<boolean>;
  /** Changes the owner of the whole flow, whatever node is addressed (super users only). */
  changeOwner(anchor: Anchor, body: ChangeOwnerBody): Promise<FlowResponse>;
  /** `GET /flows`: one object whose `flows` holds one origin node per flow. */
  listFlows(options?: ListFlowsOptions): Promise<FlowResponse>;
  getResource(kind: ResourceKind, id: number): Promise<ResourceResponse>;
  tryGetResource(kind: ResourceKind, id: number): Promise<ResourceResponse | undefined>;
  /** Activates this resource alone, no cascade (`PUT /{collection}/{id}/activate`), and answers it. */
  activateResource(kind: ResourceKind, id: number): Promise<ResourceResponse>;
  /** Pauses this resource alone, no cascade (`PUT /{collection}/{id}/pause`), and answers it. */
  pauseResource(kind: ResourceKind, id: number): Promise<ResourceResponse>;
}

/** `flow 200` or `flow of data_set 2101`: how messages name the flow a call addresses. */
export function flowLabel(anchor: Anchor): string {
  return anchor.kind === "flow" ? `flow ${anchor.id}` : `flow of ${anchor.kind} ${anchor.id}`;
}

const flowVerbs: Readonly<Record<FlowAction, readonly [string, CallContext["need"]]>> = {
  get: ["read", "read"],
  activate: ["activate", "operate"],
  pause: ["pause", "operate"],
  delete: ["delete", "manage"],
  change_owner: ["change the owner of", "chown"],
};

async function orUndefined<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (isNexlaError(error, "not_found")) return undefined;
    throw error;
  }
}

export function createNexlaClient(options: NexlaClientOptions): NexlaClient {
  const { call, auth } = connect(options);
  const context = (call: FlowCall, action: string, target: string, need: CallContext["need"]) => ({
    action,
    target,
    need,
    auth,
    method: call.method,
    path: describeCall(call).slice(call.method.length + 1),
  });
  const flow = (anchor: Anchor, action: FlowAction, scope: Scope, body?: ChangeOwnerBody) => {
    const request = flowCall(anchor, action, scope, body);
    const [verb, need] = flowVerbs[action];
    const ctx = context(request, verb, flowLabel(anchor), need);
    return call(request, ctx).then((answer) => (action === "delete" ? undefined : expectFlow(ctx, answer)));
  };
  const resource = (kind: ResourceKind, id: number, action: "get" | "activate" | "pause") => {
    const request = resourceCall(kind, id, action);
    const ctx = context(
      request,
      action === "get" ? "read" : action,
      `${kind} ${id}`,
      action === "get" ? "read" : "operate",
    );
    return call(request, ctx).then((answer) => expectResource(ctx, answer));
  };
  const readFlow = (anchor: Anchor) => flow(anchor, "get", "flow") as Promise<FlowResponse>;
  const deleteFlow = async (anchor: Anchor, scope: Scope) => void (await flow(anchor, "delete", scope));
  return {
    getFlow: readFlow,
    tryGetFlow: (anchor) => orUndefined(readFlow(anchor)),
    activate: (anchor, scope) => flow(anchor, "activate", scope) as Promise<FlowResponse>,
    pause: (anchor, scope) => flow(anchor, "pause", scope) as Promise<FlowResponse>,
    deleteFlow,
    tryDeleteFlow: async (anchor, scope) =>
      (await orUndefined(deleteFlow(anchor, scope).then(() => true))) ?? false,
    changeOwner: (anchor, body) => flow(anchor, "change_owner", "flow", body) as Promise<FlowResponse>,
    listFlows: (listOptions) => {
      const request = listCall(listOptions);
      const ctx = context(request, "list", "flows", "read");
      return call(request, ctx).then((answer) => expectFlow(ctx, answer));
    },
    getResource: (kind, id) => resource(kind, id, "get"),
    tryGetResource: (kind, id) => orUndefined(resource(kind, id, "get")),
    activateResource: (kind, id) => resource(kind, id, "activate"),
    pauseResource: (kind, id) => resource(kind, id, "pause"),
  };
}

/** Checks the options, fills in every default, and wires the token source to the one got instance. */
function connect(options: NexlaClientOptions) {
  const baseUrl = checkBaseUrl(options.baseUrl ?? DEFAULT_API_URL, options.allowInsecureHttp ?? false);
  const clock = options.clock ?? systemClock;
  const limits =
    options.rateLimit === false
      ? false
      : { writesPerSecond: 8, readsPerSecond: 12, heavyReadsPerSecond: 5, ...options.rateLimit };
  const http = createHttp(
    {
      baseUrl,
      timeoutMs: options.timeoutMs ?? 30_000,
      retry: { limit: 4, baseDelayMs: 250, maxDelayMs: 10_000, ...options.retry },
      userAgent: options.userAgent ?? "pulumi-nexla",
      clock,
      throttles: throttles(limits, clock),
      onRequest: options.onRequest,
    },
    () => tokens.token(),
  );
  const tokens = tokenSource(options.auth, (key) => exchange(http, key), clock);
  return {
    auth: tokens.mode,
    call: (request: FlowCall, ctx: CallContext) => send(http, tokens, request, ctx),
  };
}
