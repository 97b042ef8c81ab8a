/**
 * The Nexla client. Every flow call is built by `flowCall` (paths.ts), so what a preview names is exactly what
 * is sent; the `try` forms return `undefined`/`false` on 404 where the plain forms throw (docs/design.md §8.10).
 */
import { isNexlaError } from "./errors.js";
import { tokenSource } from "./internal/auth.js";
import type { CallContext } from "./internal/call-context.js";
import { createHttp } from "./internal/http.js";
import { expectFlow, expectResource } from "./internal/parse.js";
import { exchange, send } from "./internal/send.js";
import { resolveSettings } from "./internal/settings.js";
import type { NexlaClientOptions } from "./options.js";
import {
  describeCall,
  flowCall,
  flowLabel,
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

/**
 * What the provider's coalesced reads learn of a client beyond its calls; not part of the package's public API
 * (src/nexla/index.ts does not export it).
 */
export interface ClientActivity {
  /**
   * About how long, in ms, a write asked for now would wait for this client's own rate limit: the writes
   * already queued at Nexla's write rate (0 with `rateLimit: false`).
   */
  writeQueueMs(): number;
  /** How many writes (every call but a GET; token exchanges aside) this client has begun, and how many ended. */
  writes(): { readonly begun: number; readonly ended: number };
  /** The user the service key belongs to, from the token exchange; undefined for an access token. */
  userId(): Promise<number | undefined>;
}

const activities = new WeakMap<NexlaClient, ClientActivity>();

/** The activity of a client this module created; a client made elsewhere (a test double) has none. */
export function activityOf(client: NexlaClient): ClientActivity | undefined {
  return activities.get(client);
}

export function createNexlaClient(options: NexlaClientOptions): NexlaClient {
  const conn = connect(options);
  const onFlow = (action: string, anchor: Anchor): Named => ({
    action,
    target: flowLabel(anchor),
    noun: "flow",
  });
  const flow = (anchor: Anchor, action: Answering, scope: Scope, body?: ChangeOwnerBody) =>
    conn.run(flowCall(anchor, action, scope, body), onFlow(flowActions[action], anchor), expectFlow);
  const resource = (kind: ResourceKind, id: number, action: "get" | "activate" | "pause") =>
    conn.run(
      resourceCall(kind, id, action),
      { action: action === "get" ? "read" : action, target: `${kind} ${id}`, noun: kind },
      expectResource,
    );
  // 200 with an empty body (SRV `head :ok`; the OpenAPI's `{code, message}` is not what the server sends).
  const deleteFlow = (anchor: Anchor, scope: Scope) =>
    conn.run(flowCall(anchor, "delete", scope), onFlow("delete", anchor), () => undefined);
  const client: NexlaClient = {
    getFlow: (anchor) => flow(anchor, "get", "flow"),
    tryGetFlow: (anchor) => orUndefined(flow(anchor, "get", "flow")),
    activate: (anchor, scope) => flow(anchor, "activate", scope),
    pause: (anchor, scope) => flow(anchor, "pause", scope),
    deleteFlow,
    tryDeleteFlow: async (anchor, scope) =>
      (await orUndefined(deleteFlow(anchor, scope).then(() => true))) ?? false,
    changeOwner: (anchor, body) => flow(anchor, "change_owner", "flow", body),
    listFlows: (list) =>
      conn.run(listCall(list), { action: "list", target: "flows", noun: "flow" }, expectFlow),
    getResource: (kind, id) => resource(kind, id, "get"),
    tryGetResource: (kind, id) => orUndefined(resource(kind, id, "get")),
    activateResource: (kind, id) => resource(kind, id, "activate"),
    pauseResource: (kind, id) => resource(kind, id, "pause"),
  };
  activities.set(client, conn.activity);
  return client;
}

/** How errors name a call: "<action> <target>", and the noun the advice on a 403 uses. */
type Named = Pick<CallContext, "action" | "target" | "noun">;

interface Connection {
  /** Sends `call`, named in errors as `named` says, and checks the answer with `expect`. */
  run<T>(call: FlowCall, named: Named, expect: (ctx: CallContext, body: unknown) => T): Promise<T>;
  readonly activity: ClientActivity;
}

/** The flow actions that answer the whole flow (SRV render_flows of the origin). */
type Answering = Exclude<FlowAction, "delete">;

const flowActions: Readonly<Record<Answering, string>> = {
  get: "read",
  activate: "activate",
  pause: "pause",
  change_owner: "change the owner of",
};

/** What the caller must be allowed to do, for the advice on a 403. */
function need(call: FlowCall, action: string): CallContext["need"] {
  if (call.method === "GET") return "read";
  return action === "delete" ? "manage" : call.body !== undefined ? "chown" : "operate";
}

/** Checks the options, fills in every default, and wires the token source to the one got instance. */
function connect(options: NexlaClientOptions): Connection {
  const settings = resolveSettings(options);
  const http = createHttp(settings, () => tokens.token());
  const tokens = tokenSource(options.auth, (key) => exchange(http, key), settings.clock);
  const writes = { begun: 0, ended: 0 };
  return {
    async run(call, named, expect) {
      const path = describeCall(call).slice(call.method.length + 1);
      const ctx = { ...named, method: call.method, path, need: need(call, named.action), auth: tokens.mode };
      if (call.method === "GET") return expect(ctx, await send(http, tokens, call, ctx));
      writes.begun += 1;
      try {
        return expect(ctx, await send(http, tokens, call, ctx));
      } finally {
        writes.ended += 1;
      }
    },
    activity: {
      writeQueueMs: () => settings.throttles.writeQueueMs(),
      writes: () => ({ ...writes }),
      userId: () => tokens.userId(),
    },
  };
}

async function orUndefined<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (isNexlaError(error, "not_found")) return undefined;
    throw error;
  }
}
