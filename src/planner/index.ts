/**
 * The planner: pure judgement, no I/O, clock or randomness (docs/design.md §2). A flow response becomes an
 * observed state; desired and observed states become the ordered HTTP calls that reconcile them.
 */
export { observe } from "./observe.js";
export { flowList, type FlowList } from "./list.js";
export { plan } from "./plan.js";
export { planDelete } from "./delete.js";
export { renderPlan } from "./render.js";
export { isAt, deriveStatus, desiredStatuses, sameOwner, ownerText } from "./status.js";
export { reached, shortfall, type Shortfall } from "./reach.js";
export { PlannerError, isPlannerError, type PlannerErrorCode } from "./errors.js";
export type {
  Desired,
  DesiredOwner,
  DesiredStatus,
  ObservedFlow,
  ObservedResource,
  ObservedStatus,
  Ownership,
  ResourceRef,
  Step,
  StepAction,
} from "./types.js";
