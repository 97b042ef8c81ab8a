/** Removing a scope: pause what is active, then delete (docs/design.md §3, "Planner rules"). */
import { flowCall, type Anchor, type Scope } from "../nexla/paths.js";
import { cannotDelete } from "./rate-limit.js";
import { ref, statusCount } from "./status.js";
import type { ObservedFlow, Step } from "./types.js";

/**
 * The calls that delete the scope. Nexla refuses with 405 while any resource in the deleted subtree is
 * ACTIVE (SRV flow_node.rb#flow_destroy), so the scope is paused first when something in it is. The delete
 * step's `affects` lists every resource the cascade removes, whether this stack manages it or not. Throws a
 * `PlannerError` with code `rate_limited` when that pause would be refused.
 */
export function planDelete(observed: ObservedFlow, anchor: Anchor, scope: Scope): Step[] {
  const { resources } = observed;
  const call = flowCall(anchor, "delete", scope);
  const remove: Step = {
    action: "delete",
    call,
    reason: `deletes ${resources.length === 1 ? "the only resource" : `all ${resources.length} resources`} in scope, managed by this stack or not`,
    affects: resources.map(ref),
  };
  const active = resources.filter((r) => r.status === "ACTIVE");
  if (active.length === 0) return [remove];
  if (observed.rateLimited.length > 0)
    throw cannotDelete(anchor, call, observed.rateLimited, active.map(ref));
  const reason = `${statusCount(active, resources.length, "PAUSED")}; Nexla refuses to delete active resources (405)`;
  return [
    { action: "pause", call: flowCall(anchor, "pause", scope), reason, affects: active.map(ref) },
    remove,
  ];
}
