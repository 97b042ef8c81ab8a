/**
 * Single resources: `GET /{res}/{id}` and resource-only `PUT /{res}/{id}/activate|pause`, which change that
 * resource alone and answer with it, not with a flow (SRV data_sources#activate and siblings; docs/nexla-api.md §2.1).
 */
import type { Hono } from "hono";
import type { ResourceKind, SeedUser } from "../../seed.js";
import { canAccess } from "../access.js";
import type { AppEnv, Core } from "../core.js";
import { guarded, type ApiContext } from "../guard.js";
import { deleteSink, setResourceStatus } from "../flow-ops.js";
import { empty, failure, HttpError, json, parseId } from "../http.js";
import { renderSingleResource } from "../render-resource.js";
import type { ResourceRecord } from "../store.js";
import { COLLECTIONS } from "./flows.js";

function resource(core: Core, c: ApiContext, user: SeedUser): ResourceRecord {
  const kind = (c.req.param("res") ?? "").slice(0, -1) as ResourceKind;
  const found = core.store.findResource(kind, parseId(c.req.param("id")));
  if (found === undefined) throw new HttpError(404);
  if (!canAccess(user, found)) throw new HttpError(403);
  return found;
}

export function resourceRoutes(app: Hono<AppEnv>, core: Core): void {
  const base = `/:res{${COLLECTIONS}}/:id`;
  app.get(
    base,
    guarded(core, (c, user) => {
      const found = resource(core, c, user);
      return json(renderSingleResource(core.store, found, user, core.settle.visible.bind(core.settle)));
    }),
  );
  app.put(
    `${base}/:action{activate|pause}`,
    guarded(core, (c, user) => {
      const found = resource(core, c, user);
      // SRV data_sources_controller.rb#activate, before the source's own activate! / pause! checks.
      if (found.kind === "data_source" && found.status === "RATE_LIMITED")
        throw failure(400, "Data source is rate limited");
      setResourceStatus(
        core.store,
        core.settle,
        found,
        c.req.param("action") === "activate" ? "activate" : "pause",
      );
      core.changed();
      return json(renderSingleResource(core.store, found, user, (r) => r.status));
    }),
  );
  // 200 with an empty body (SRV data_sinks_controller.rb#destroy `head :ok`); the other kinds are not modelled.
  app.delete(
    "/data_sinks/:id",
    guarded(core, (c, user) => {
      const found = core.store.findResource("data_sink", parseId(c.req.param("id")));
      if (found === undefined) throw new HttpError(404);
      if (!canAccess(user, found)) throw new HttpError(403);
      deleteSink(core.store, found);
      core.changed();
      return empty(200);
    }),
  );
}
