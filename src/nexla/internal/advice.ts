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
      return conflict(ctx, outcome);
    case "validation":
      if (/source limit would be exceeded/i.test(outcome.said ?? "")) return SOURCE_LIMIT;
      return /rate limited/i.test(outcome.said ?? "")
        ? "Its source is RATE_LIMITED: Nexla refuses to activate or pause it until the limit lifts, so wait, then run again"
        : undefined;
    default:
      return undefined;
  }
}

const stillActive = (outcome: Outcome) => outcome.listed?.label === "still active";

/** docs/nexla-api.md §10 item 4: at the limit, Nexla refuses every activate and pause of a source-led flow. */
const SOURCE_LIMIT =
  "The flow's org has as many active data sources as its Nexla tier allows, and Nexla then refuses to activate " +
  "or pause its flows: pause a data source of another flow of the org in Nexla, or have the org's limit raised, " +
  "then run again";

/** The 405s (docs/nexla-api.md §2.4, §10): the blocking flows, a migrating cluster, or resources still active. */
function conflict(ctx: CallContext, outcome: Outcome): string | undefined {
  const said = outcome.said ?? "";
  const retain =
    "or give the Flow the retainOnDelete resource option to leave this flow in Nexla when the Flow is removed";
  if (/shared nexsets have downstream flows/i.test(said))
    return `Delete those derived flows in Nexla, or detach them from this flow's shared nexsets, first; ${retain}`;
  if (/linked to a RAG flow/i.test(said))
    return `Unlink it from the RAG flow in Nexla (or delete that flow) first; ${retain}`;
  if (/cluster is migrating/i.test(said))
    return "Nexla refuses to activate or pause the data sources of an org while its cluster migrates: wait until the migration ends, then run again";
  if (/source limit would be exceeded/i.test(said)) return SOURCE_LIMIT;
  // Nexla's 405 for a delete says the resources must be paused, and lists those still active.
  return ctx.need === "manage" && (stillActive(outcome) || /paused|still active/.test(said))
    ? "Pause it first (every resource listed), then delete it"
    : undefined;
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
