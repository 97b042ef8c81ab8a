/** Whether a scope is as desired, and where it falls short: the question behind convergence and drift. */
import { isAt, sameOwner } from "./status.js";
import type { DesiredStatus, ObservedFlow, ObservedResource, Ownership } from "./types.js";

export interface Shortfall {
  /** Resources in scope not at the desired status (`INIT` counts as paused). */
  readonly resources: readonly ObservedResource[];
  /** The desired owner, when the whole flow does not have it yet. */
  readonly owner?: Ownership;
}

/** Where `observed` falls short of a status and, when one is desired, an owner of the whole flow. */
export function shortfall(
  observed: ObservedFlow,
  desired: { readonly status: DesiredStatus; readonly owner?: Ownership | undefined },
): Shortfall {
  const resources = observed.resources.filter((r) => !isAt(r.status, desired.status));
  const owner = desired.owner;
  return owner === undefined || sameOwner(observed.owner, owner) ? { resources } : { resources, owner };
}

/** Whether `observed` is as desired: every resource in scope at the status, and the owner when desired. */
export function reached(
  observed: ObservedFlow,
  desired: { readonly status: DesiredStatus; readonly owner?: Ownership | undefined },
): boolean {
  const short = shortfall(observed, desired);
  return observed.status === desired.status && short.owner === undefined;
}
