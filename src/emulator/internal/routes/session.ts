/** `POST /token` and `POST /token/logout` (SRV token_controller.rb; OA-SESS). */
import type { Hono } from "hono";
import type { SeedUser } from "../../seed.js";
import type { AppEnv, Core } from "../core.js";
import { guarded } from "../guard.js";
import { empty, json } from "../http.js";

/** The token body of SRV views/api/v1/token/show_token.json.jbuilder (OA-SESS schema Token). */
function tokenBody(core: Core, user: SeedUser, token: string, expiresIn: number): Record<string, unknown> {
  const org = core.store.orgs.get(user.org_ids[0] ?? -1);
  return {
    access_token: token,
    token_type: "Bearer",
    expires_in: expiresIn,
    user: { id: user.id, email: user.email, full_name: user.name },
    org_membership: { status: "ACTIVE", "is_admin?": user.super_user },
    org:
      org === undefined
        ? null
        : { id: org.id, name: org.name, ...(org.email_domain ? { email_domain: org.email_domain } : {}) },
  };
}

/**
 * The SDKs send the service key after `Basic ` as is, not base64-encoded (PY auth.py, JS service-key.ts),
 * so that is what the emulator accepts; anything else is an empty 401.
 */
function serviceKeyUser(core: Core, header: string | undefined): SeedUser | undefined {
  const [scheme = "", key = "", ...rest] = (header ?? "").split(" ");
  if (scheme.toLowerCase() !== "basic" || rest.length > 0) return undefined;
  return core.tokens.userForServiceKey(key);
}

export function sessionRoutes(app: Hono<AppEnv>, core: Core): void {
  app.post("/token", (c) => {
    const user = serviceKeyUser(core, c.req.header("Authorization"));
    if (user === undefined) return empty(401);
    c.env.ticket.user = user;
    const { token, expiresIn } = core.tokens.issue(user);
    return json(tokenBody(core, user, token, expiresIn));
  });
  // Invalidates the presented token and answers `head :ok` (SRV token_controller.rb#invalidate).
  app.post(
    "/token/logout",
    guarded(core, (c) => {
      core.tokens.revoke((c.req.header("Authorization") ?? "").split(" ")[1] ?? "");
      return empty(200);
    }),
  );
}
