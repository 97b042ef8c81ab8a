/** How resource statuses and owners add up to a scope's status and a flow's owner. */
import type { ResourceStatus } from "../nexla/types.js";
import type {
  DesiredStatus,
  ObservedResource,
  ObservedStatus,
  Ownership,
  ResourceRef,
  StepAction,
} from "./types.js";

/**
 * What each status a Flow can declare means to the planner, in one place: which resource statuses are at it,
 * the call that brings a scope there, and how reasons name it. `INIT` counts as paused: a resource never
 * activated does not run (docs/design.md §3). `RATE_LIMITED` is neither. A new status is one entry here; the
 * declaration model's `FlowStatus` is checked against these at compile time.
 */
export const desiredStatuses = {
  ACTIVE: { at: ["ACTIVE"], action: "activate", word: "ACTIVE" },
  PAUSED: { at: ["PAUSED", "INIT"], action: "pause", word: "paused" },
} as const satisfies Record<
  DesiredStatus,
  { readonly at: readonly ResourceStatus[]; readonly action: StepAction; readonly word: string }
>;

/**
 * Whether a resource already is in the target state. No status outside Nexla's reaches the planner: observing
 * a flow refuses one as a `malformed_response` (response.ts).
 */
export function isAt(status: ResourceStatus, target: DesiredStatus): boolean {
  return (desiredStatuses[target].at as readonly ResourceStatus[]).includes(status);
}

/**
 * A flow's own `status` is only its origin node's (docs/nexla-api.md §3), and sub-flows can be paused under an
 * active origin, so the status of a scope is derived from every resource in it.
 */
export function deriveStatus(resources: readonly ObservedResource[]): ObservedStatus {
  if (resources.every((r) => isAt(r.status, "ACTIVE"))) return "ACTIVE";
  if (resources.every((r) => isAt(r.status, "PAUSED"))) return "PAUSED";
  return "MIXED";
}

/** The distinct owner/org pairs, in order of first appearance. */
export function distinctOwners(resources: readonly ObservedResource[]): Ownership[] {
  const owners: Ownership[] = [];
  for (const { ownerId, orgId } of resources) {
    if (!owners.some((o) => sameOwner(o, { ownerId, orgId }))) owners.push({ ownerId, orgId });
  }
  return owners;
}

export function sameOwner(a: Ownership | undefined, b: Ownership): boolean {
  return a !== undefined && a.ownerId === b.ownerId && a.orgId === b.orgId;
}

/** `2/org 2`: how an owner is shown in reasons and previews. */
export function ownerText(owner: Ownership): string {
  return `${owner.ownerId}/org ${owner.orgId}`;
}

/** `3 of 5 resources in scope are PAUSED`, or `… are not ACTIVE (2 PAUSED, 1 INIT)`. */
export function statusCount(
  behind: readonly ObservedResource[],
  total: number,
  target: DesiredStatus,
): string {
  const counts = new Map<string, number>();
  for (const { status } of behind) counts.set(status, (counts.get(status) ?? 0) + 1);
  const head = `${behind.length} of ${total} resources in scope ${behind.length === 1 ? "is" : "are"}`;
  const [only] = counts.keys();
  if (counts.size === 1 && only !== undefined) return `${head} ${only}`;
  const each = [...counts].map(([status, n]) => `${n} ${status}`).join(", ");
  return `${head} not ${desiredStatuses[target].word} (${each})`;
}

/** A resource's kind and id alone, as steps and errors carry it. */
export function ref({ kind, id }: ResourceRef): ResourceRef {
  return { kind, id };
}
