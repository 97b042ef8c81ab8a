/**
 * "What to do" where it depends on the call or on Nexla's answer; otherwise the catalogue's action for the
 * code applies (errors.ts).
 */
import type { CallContext, Outcome } from "./call-context.js";

const verbs = { read: "read", operate: "operate", manage: "delete", chown: "", token: "" } as const;

export function advice(ctx: CallContext, outcome: Outcome): string | undefined {
  switch (outcome.code) {
    case "unauthorized":
      return unauthorized(ctx, outcome.renewed === true);
    case "forbidden":
      return ctx.need === "chown"
        ? "Changing a flow's owner needs a Nexla super user, and the new owner needs access to the flow's project and resources"
        : `Check that the credentials belong to a user who can ${verbs[ctx.need]} this ${ctx.noun}`;
    case "conflict":
      // Nexla's 405 for a delete says the resources must be paused, and lists those still active.
      return ctx.need === "manage" && (stillActive(outcome) || /paused|still active/.test(outcome.said ?? ""))
        ? "Pause it first (every resource listed), then delete it"
        : undefined;
    case "validation":
      return /rate limited/i.test(outcome.said ?? "")
        ? "Its source is RATE_LIMITED: Nexla refuses to activate or pause it until the limit lifts, so wait, then run again"
        : undefined;
    default:
      return undefined;
  }
}

const stillActive = (outcome: Outcome) => outcome.listed?.label === "still active";

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
