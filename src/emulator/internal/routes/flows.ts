/**
 * The flow routes, in both addressings: `/flows/{node id}…` and `/{data_sources|data_sets|data_sinks}/{id}/flow…`
 * (DOC-UF; SRV flows_controller.rb serves both through flow_node_from_id_or_resource).
 */
import type { Hono } from "hono";
import type { ResourceKind, SeedUser } from "../../seed.js";
import { ACCESS_ROLES, listedFor, type AccessRole } from "../access.js";
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

/**
 * `access_role`, absent meaning `owner` (OA `access_roles`: "the absence of this property in the request is
 * treated as owner"). The server's answer to a value outside the four is not known; the emulator refuses it
 * with a 400 that names them.
 */
function accessRoleOf(c: ApiContext): AccessRole {
  const raw = c.req.query("access_role");
  if (raw === undefined) return "owner";
  const role = ACCESS_ROLES.find((r) => r === raw);
  if (role === undefined)
    throw new HttpError(400, {
      message: `access_role must be one of ${ACCESS_ROLES.join(", ")}; got ${JSON.stringify(raw)}`,
    });
  return role;
}

/**
 * `org_id`: every flow of one org, for super users only (405 otherwise), 100 to a page unless `per_page` says
 * otherwise (SRV flows#index; docs/nexla-api.md §2.2). A super user holds `admin` on every flow, so
 * `access_role` narrows the list only when it is `owner` given explicitly.
 */
function orgOf(c: ApiContext, user: SeedUser): number | undefined {
  const raw = c.req.query("org_id");
  if (raw === undefined) return undefined;
  if (!user.super_user) throw new HttpError(405);
  return parseId(raw);
}

function listFlows(core: Core, c: ApiContext, user: SeedUser): Response {
  const store = core.store;
  const org = orgOf(c, user);
  const role = org !== undefined && c.req.query("access_role") === undefined ? "admin" : accessRoleOf(c);
  // SRV render_builder.rb#build_flows sorts by id, descending, by default.
  const listed = store
    .origins()
    .filter((o) => {
      const owner = flowOwner(store, o);
      return (org === undefined || owner.org_id === org) && listedFor(user, owner, role);
    })
    .reverse();
  const url = new URL(c.req.url);
  if (org !== undefined && !url.searchParams.has("page") && !url.searchParams.has("per_page"))
    url.searchParams.set("per_page", "100");
  const page = paginate(listed, url);
  const status = core.settle.visible.bind(core.settle);
  const render = () =>
    renderFlows(store, page.items, { viewer: user, flowsOnly: truthy(c.req.query("flows_only")), status });
  const key = `list ${user.id} ${url.search}`;
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
