/** Desired + observed → the ordered calls that reconcile them (docs/design.md §3, "Planner rules"). */
import { flowCall, type Anchor, type Scope } from "../nexla/paths.js";
import type { ChangeOwnerBody } from "../nexla/types.js";
import { cannotChangeStatus } from "./rate-limit.js";
import { desiredStatuses, isAt, ownerText, ref, sameOwner, statusCount } from "./status.js";
import type { Desired, DesiredOwner, DesiredStatus, ObservedFlow, Step } from "./types.js";

/**
 * The calls that bring the scope to `desired`, in order; none when it is in sync. Throws a `PlannerError`
 * with code `rate_limited` when a status change is needed and Nexla would refuse it.
 */
export function plan(desired: Desired, observed: ObservedFlow, anchor: Anchor, scope: Scope): Step[] {
  const status = statusStep(desired.status, observed, anchor, scope);
  const owner = desired.owner && ownerStep(desired.owner, observed, anchor, scope);
  // Desired PAUSED: stop the data before it changes hands. Desired ACTIVE: start it only under its final owner.
  const ordered = desired.status === "PAUSED" ? [status, owner] : [owner, status];
  return ordered.filter((step) => step !== undefined);
}

/**
 * Activate or pause the scope, unless every resource in it already is in the target state.
 *
 * Rate limits: a RATE_LIMITED resource in scope is neither active nor paused, so the scope is MIXED and a
 * status step is needed whatever is desired, even when every other resource already is in the target state.
 * Emitting the step would earn only Nexla's bare 400 and, for desired ACTIVE, after the owner change had run:
 * a half-done plan. Planning nothing would call in sync a scope that is not, and the provider's confirmation
 * would fail later with a vaguer message. So the plan fails before any call, naming the resources and what to
 * do. When the status is already satisfied (a downstream scope under a rate-limited origin) nothing is
 * refused: Nexla checks the rate limit on activate and pause only (docs/nexla-api.md §2.4), not on an owner change.
 */
function statusStep(
  target: DesiredStatus,
  observed: ObservedFlow,
  anchor: Anchor,
  scope: Scope,
): Step | undefined {
  if (observed.status === target) return undefined;
  const action = desiredStatuses[target].action;
  const call = flowCall(anchor, action, scope);
  if (observed.rateLimited.length > 0) {
    throw cannotChangeStatus(action, anchor, call, observed.rateLimited, restNote(observed, target));
  }
  const behind = observed.resources.filter((r) => !isAt(r.status, target));
  const reason = `${statusCount(behind, observed.resources.length, target)}; desired ${target}`;
  return { action, call, reason, affects: behind.map(ref) };
}

/**
 * Change the whole flow's owner (Nexla has no per-sub-flow ownership, SRV flow_node.rb#flow_chown!) when its
 * owner or org differs, or its resources have several. The include flags are not reported by Nexla, so a plan
 * cannot tell whether they were applied: they ride along on a change, and never cause one on their own
 * (otherwise a flow that declares them would never be in sync).
 */
function ownerStep(
  owner: DesiredOwner,
  observed: ObservedFlow,
  anchor: Anchor,
  scope: Scope,
): Step | undefined {
  if (sameOwner(observed.owner, owner)) return undefined;
  const body: ChangeOwnerBody = {
    owner_id: owner.ownerId,
    org_id: owner.orgId,
    include_data_credentials: owner.includeDataCredentials,
    include_code_containers: owner.includeCodeContainers,
  };
  const now = observed.owner
    ? `owner is ${ownerText(observed.owner)}`
    : `owners are mixed (${observed.owners.map(ownerText).join(", ")})`;
  return {
    action: "change_owner",
    call: flowCall(anchor, "change_owner", scope, body),
    reason: `${now}; desired ${ownerText(owner)}`,
    affects: observed.flowResources.filter((r) => !sameOwner(r, owner)).map(ref),
  };
}

function restNote(observed: ObservedFlow, target: DesiredStatus): string {
  const rest = observed.resources.filter((r) => r.status !== "RATE_LIMITED");
  const done = rest.length > 0 && rest.every((r) => isAt(r.status, target));
  return done ? ` Every other resource in scope already is ${target}.` : "";
}
