/**
 * The flow routes, in both addressings: `/flows/{node id}…` and `/{data_sources|data_sets|data_sinks}/{id}/flow…`
 * (DOC-UF; SRV flows_controller.rb serves both through flow_node_from_id_or_resource).
 */
import type { Hono } from "hono";
import type { ResourceKind, SeedUser } from "../../seed.js";
import { canAccess } from "../access.js";
import { parseFlowUpdate, updateFlow } from "../chown.js";
import type { AppEnv, Core } from "../core.js";
import {
  authorize,
  deleteFlow,
  flowOwner,
  resolveNode,
  setFlowStatus,
  type Address,
  type FlowScope,
} from "../flow-ops.js";
import { guarded, type ApiContext } from "../guard.js";
import { empty, HttpError, json, jsonText, parseId, truthy } from "../http.js";
import { paginate } from "../pagination.js";
import { renderFlows } from "../render-flow.js";
import { renderedText } from "../render-cache.js";
import type { NodeRecord, ResourceRecord } from "../store.js";

export const COLLECTIONS = "data_sources|data_sets|data_sinks";
const kindOf = (collection: string) => collection.slice(0, -1) as ResourceKind;

function address(c: ApiContext): Address {
  const collection = c.req.param("res");
  const id = parseId(c.req.param("id"));
  return collection === undefined ? { kind: "flow", id } : { kind: kindOf(collection), id };
}

/** `all` or `full_tree`, on any addressing (SRV flows_controller.rb#activate, #destroy). */
const scopeOf = (c: ApiContext): FlowScope =>
  truthy(c.req.query("all")) || truthy(c.req.query("full_tree")) ? "flow" : "downstream";

/** The whole flow of `node`'s origin: reads show settling statuses, write answers the stored ones (by default). */
function flowResponse(core: Core, c: ApiContext, user: SeedUser, node: NodeRecord, read: boolean): Response {
  const settling = read || core.settleAnswers;
  const status = settling ? core.settle.visible.bind(core.settle) : (r: ResourceRecord) => r.status;
  const flowsOnly = truthy(c.req.query("flows_only"));
  const origin = core.store.originOf(node);
  const render = () => renderFlows(core.store, [origin], { viewer: user, flowsOnly, status });
  if (!read) return json(render());
  return jsonText(renderedText(core, `flow ${origin.id} ${user.id} ${flowsOnly}`, render));
}

function listFlows(core: Core, c: ApiContext, user: SeedUser): Response {
  const store = core.store;
  // SRV render_builder.rb#build_flows sorts by id, descending, by default.
  const readable = store
    .origins()
    .filter((o) => canAccess(user, flowOwner(store, o)))
    .reverse();
  const page = paginate(readable, new URL(c.req.url));
  const status = core.settle.visible.bind(core.settle);
  const render = () =>
    renderFlows(store, page.items, { viewer: user, flowsOnly: truthy(c.req.query("flows_only")), status });
  const key = `list ${user.id} ${new URL(c.req.url).search}`;
  return jsonText(renderedText(core, key, render), 200, page.headers);
}

function register(app: Hono<AppEnv>, core: Core, base: string): void {
  const node = (c: ApiContext, user: SeedUser): NodeRecord => {
    const found = resolveNode(core.store, address(c));
    authorize(core.store, user, found);
    return found;
  };
  app.get(
    base,
    guarded(core, (c, user) => flowResponse(core, c, user, node(c, user), true)),
  );
  app.put(
    `${base}/:action{activate|pause}`,
    guarded(core, (c, user) => {
      const found = node(c, user);
      const action = c.req.param("action") === "activate" ? "activate" : "pause";
      setFlowStatus(core.store, core.settle, found, action, scopeOf(c));
      core.changed();
      return flowResponse(core, c, user, found, false);
    }),
  );
  app.delete(
    base,
    guarded(core, (c, user) => {
      deleteFlow(core.store, node(c, user), scopeOf(c));
      core.changed();
      return empty(200);
    }),
  );
  app.put(
    base,
    guarded(core, async (c, user) => {
      const found = node(c, user);
      // Super users only (DOC-UF); the rule itself is in ApiUserInfo, absent from the SRV snapshot.
      if (!user.super_user) throw new HttpError(403);
      updateFlow(
        core.store,
        core.store.originOf(found),
        parseFlowUpdate(await c.req.text(), c.req.header("Content-Type")),
      );
      core.changed();
      return flowResponse(core, c, user, found, false);
    }),
  );
}

export function flowRoutes(app: Hono<AppEnv>, core: Core): void {
  app.get(
    "/flows",
    guarded(core, (c, user) => listFlows(core, c, user)),
  );
  register(app, core, "/flows/:id");
  register(app, core, `/:res{${COLLECTIONS}}/:id/flow`);
}
