/** The planner's vocabulary: what a flow looks like to it, what the user wants, and the steps between. */
import type { FlowCall } from "../nexla/paths.js";
import type { ResourceKind, ResourceStatus } from "../nexla/types.js";

/** A resource named by kind and id, as previews and errors name it: `data_set 2100`. */
export interface ResourceRef {
  readonly kind: ResourceKind;
  readonly id: number;
}

/** One resource of the flow, with the facts Nexla reports for it in the flow response's resource lists. */
export interface ObservedResource extends ResourceRef {
  readonly flowNodeId: number;
  readonly status: ResourceStatus;
  readonly ownerId: number;
  readonly orgId: number;
}

/** A user and org, the pair Nexla's ownership change sets on every resource of a flow. */
export interface Ownership {
  readonly ownerId: number;
  readonly orgId: number;
}

/**
 * A scope's status derived from every resource in it (docs/design.md §3, "Observed status"): `ACTIVE` when
 * all are active, `PAUSED` when all are paused or `INIT`, otherwise `MIXED`, which is drift from either value.
 */
export type ObservedStatus = "ACTIVE" | "PAUSED" | "MIXED";

/** A flow (or sub-flow) as Nexla reports it, reduced to what the planner decides on. */
export interface ObservedFlow {
  /** The flow's id in Nexla: the node id of its origin. */
  readonly originNodeId: number;
  readonly anchorNodeId: number;
  /** The origin node's name; only origin nodes carry one. */
  readonly name: string | null;
  readonly status: ObservedStatus;
  /** Resources in scope, depth first from the scope's root node. */
  readonly resources: readonly ObservedResource[];
  /** Every resource of the whole flow, depth first from the origin (ownership is whole-flow). */
  readonly flowResources: readonly ObservedResource[];
  /**
   * The `RATE_LIMITED` resources that make Nexla refuse to activate or pause this scope: those in scope and,
   * for a downstream scope, the flow's origin too, since Nexla checks the origin whatever node is addressed.
   */
  readonly rateLimited: readonly ResourceRef[];
  /** The whole flow's owner, or `undefined` when its resources have different owners or orgs. */
  readonly owner: Ownership | undefined;
  /** The distinct owner/org pairs of the whole flow, in order of first appearance. */
  readonly owners: readonly Ownership[];
}

export type DesiredStatus = "ACTIVE" | "PAUSED";

/**
 * The owner to give the whole flow. The include flags are not observable (Nexla's flow response does not
 * report them), so they never cause a change on their own: they ride along on a change of owner or org.
 */
export interface DesiredOwner extends Ownership {
  /** Transfer the flow's data credentials to the new owner. @default false */
  readonly includeDataCredentials: boolean;
  /** Transfer the flow's code containers to the new owner. @default false */
  readonly includeCodeContainers: boolean;
}

export interface Desired {
  readonly status: DesiredStatus;
  /** Omit to leave ownership as it is. */
  readonly owner?: DesiredOwner;
}

export type StepAction = "activate" | "pause" | "change_owner" | "delete";

/** One HTTP call of a plan, why it is needed, and the resources it changes. */
export interface Step {
  readonly action: StepAction;
  /** The exact request, built by `flowCall`, so a preview shows what `up` sends. */
  readonly call: FlowCall;
  /** A sentence for previews and logs: `3 of 5 resources in scope are PAUSED; desired ACTIVE`. */
  readonly reason: string;
  /** What the call changes: resources that change status or owner, or every resource a delete removes. */
  readonly affects: readonly ResourceRef[];
}
