/**
 * "What to do" where it depends on the call or on Nexla's answer; otherwise the catalogue's action for the
 * code applies (errors.ts).
 */
import type { CallContext, Outcome } from "./describe.js";

const verbs = { read: "read", operate: "operate", manage: "delete", chown: "", token: "" } as const;

/** `flow`, or the resource kind for calls on one resource (`data_set 2101` → `data_set`). */
const noun = (target: string) => (target.startsWith("flow") ? "flow" : (target.split(" ")[0] ?? "resource"));

export function advice(ctx: CallContext, outcome: Outcome): string | undefined {
  switch (outcome.code) {
    case "unauthorized":
      return unauthorized(ctx, outcome.renewed === true);
    case "forbidden":
      return ctx.need === "chown"
        ? "Changing a flow's owner needs a Nexla super user, and the new owner needs access to the flow's project and resources"
        : `Check that the credentials belong to a user who can ${verbs[ctx.need]} this ${noun(ctx.target)}`;
    case "conflict":
      return ctx.need === "manage" && /paused|still active/.test(outcome.what)
        ? "Pause it first (every resource listed), then delete it"
        : undefined;
    case "validation":
      return /rate limited/i.test(outcome.what)
        ? "Its source is RATE_LIMITED: Nexla refuses to activate or pause it until the limit lifts, so wait, then run again"
        : undefined;
    default:
      return undefined;
  }
}

function unauthorized(ctx: CallContext, renewed: boolean): string {
  if (ctx.need === "token")
    return "Check NEXLA_SERVICE_KEY: Nexla does not accept it (mistyped, rotated or revoked)";
  if (ctx.auth === "accessToken") {
    return (
      "The access token is invalid or expired: log in to Nexla, open /token on its UI host to get a new one and set " +
      "NEXLA_ACCESS_TOKEN, or set NEXLA_SERVICE_KEY instead, whose session tokens are renewed automatically"
    );
  }
  return renewed
    ? "Check that the service key's user is still active in Nexla and may use the API"
    : "Run again; if it persists, check NEXLA_SERVICE_KEY";
}
