/**
 * The control routes under `/_emulator` (a real Nexla has no such path): no auth, no rate limit, not in
 * the request log. They call the same `EmulatorControl` as in-process tests.
 */
import type { Context, Hono } from "hono";
import type { ResourceKind, ResourceStatus } from "../../seed.js";
import type { EmulatorControl, Fault } from "../../types.js";
import { ControlError } from "../control.js";
import type { AppEnv } from "../core.js";
import { json } from "../http.js";
import { SeedError } from "../seed-check.js";
import { COLLECTIONS } from "./flows.js";

type Ctx = Context<AppEnv>;

const done = () => new Response(null, { status: 204 });

async function jsonBody(c: Ctx): Promise<Record<string, unknown> | undefined> {
  const text = await c.req.text();
  if (text.trim() === "") return undefined;
  const body: unknown = JSON.parse(text);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ControlError(400, "The body must be a JSON object.");
  }
  return body as Record<string, unknown>;
}

function integer(value: unknown, name: string): number {
  if (!Number.isSafeInteger(value)) throw new ControlError(400, `${name} must be an integer.`);
  return value as number;
}

/** JSON has no Infinity: `"times": "Infinity"` or `null` means forever. */
function faultFrom(body: Record<string, unknown> | undefined): Fault {
  if (body === undefined || typeof body["path"] !== "string")
    throw new ControlError(400, "A fault needs a string path.");
  const times = body["times"];
  return {
    ...(body as unknown as Fault),
    ...(times === null || times === "Infinity" ? { times: Infinity } : {}),
  };
}

/** Maps a control failure to an answer; anything unexpected is rethrown. */
function failed(error: unknown): Response {
  if (error instanceof SeedError) return json({ message: error.message, problems: error.problems }, 400);
  if (error instanceof ControlError) return json({ message: error.message }, error.status);
  if (error instanceof SyntaxError || error instanceof TypeError)
    return json({ message: error.message }, 400);
  throw error;
}

const safely =
  (action: (c: Ctx) => Response | Promise<Response>) =>
  async (c: Ctx): Promise<Response> => {
    try {
      return await action(c);
    } catch (error) {
      return failed(error);
    }
  };

export function controlRoutes(app: Hono<AppEnv>, control: EmulatorControl): void {
  const at = (path: string) => `/_emulator${path}`;
  app.post(
    at("/reset"),
    safely(async (c) => (control.reset((await jsonBody(c)) as never), done())),
  );
  app.get(at("/state"), () => json(control.state()));
  app.post(
    at("/faults"),
    safely(async (c) => (control.injectFault(faultFrom(await jsonBody(c))), done())),
  );
  app.delete(at("/faults"), () => (control.clearFaults(), done()));
  app.get(at("/requests"), () => json(control.requests()));
  app.delete(at("/requests"), () => (control.clearRequests(), done()));
  app.get(at("/unhandled"), () => json(control.unhandled()));
  app.post(
    at(`/resources/:res{${COLLECTIONS}}/:id/status`),
    safely(async (c) => {
      const body = (await jsonBody(c)) ?? {};
      const kind = (c.req.param("res") ?? "").slice(0, -1) as ResourceKind;
      const id = integer(Number(c.req.param("id")), "id");
      control.setStatus(kind, id, body["status"] as ResourceStatus, { cascade: body["cascade"] === true });
      return done();
    }),
  );
  app.post(
    at("/flows/:id/owner"),
    safely(async (c) => {
      const body = (await jsonBody(c)) ?? {};
      const id = integer(Number(c.req.param("id")), "id");
      control.setOwner(id, integer(body["owner_id"], "owner_id"), integer(body["org_id"], "org_id"));
      return done();
    }),
  );
  app.post(
    at("/orgs/:id"),
    safely(async (c) => {
      const body = (await jsonBody(c)) ?? {};
      const unknown = Object.keys(body).filter((k) => !["cluster_status", "active_source_limit"].includes(k));
      if (unknown.length > 0)
        throw new ControlError(
          400,
          `Unknown field ${unknown.join(", ")} (known: cluster_status, active_source_limit).`,
        );
      control.setOrg(integer(Number(c.req.param("id")), "id"), {
        ...(body["cluster_status"] === undefined ? {} : { clusterStatus: body["cluster_status"] as never }),
        ...(body["active_source_limit"] === undefined
          ? {}
          : { activeSourceLimit: body["active_source_limit"] as never }),
      });
      return done();
    }),
  );
  app.delete(
    at("/flows/:id"),
    safely((c) => (control.deleteFlow(integer(Number(c.req.param("id")), "id")), done())),
  );
}
