/**
 * Flows of one stack that cover the same Nexla resources and declare different statuses (or, anywhere in the
 * same flow, different owners) would undo each other on every `up`. They are refused before any call.
 *
 * The engine runs one provider process per operation and calls `check` for every Flow of the program, so the
 * process keeps what each Flow declares, by URN (name and parent: two Flows of one name under different
 * parents are two declarations). Two moments judge it:
 * - `diff` (preview and up), from the scopes stored in state: a scope contains another Flow's anchor node;
 * - `create` and `update`, after their read and before their first write, from that read: every other
 *   declared Flow whose anchor is in the flow just read is placed in it, so even Flows new to the stack are
 *   judged on what Nexla reports now.
 * Overlaps that agree are allowed.
 */
import type { Anchor, Scope } from "../../src/nexla/paths.js";
import type { FlowResponse } from "../../src/nexla/types.js";
import { observe, sameOwner, type ObservedFlow, type ResourceRef } from "../../src/planner/index.js";
import { anchorText } from "./log.js";

export interface Declared {
  /** The Flow's URN: its identity in the operation. State written before it was stored has the name only. */
  readonly urn: string;
  /** The resource name, for messages. */
  readonly name: string;
  readonly anchor: Anchor;
  readonly scope: Scope;
  readonly status: string;
  readonly owner?: { readonly ownerId: number; readonly orgId: number } | undefined;
}

/** A declared Flow placed in a flow: the node ids and resources its scope covers. */
export interface Placed extends Declared {
  readonly originNodeId: number;
  readonly anchorNodeId: number;
  readonly nodeIds: ReadonlySet<number>;
  readonly resources: readonly ResourceRef[];
}

const declared = new Map<string, Declared>();

/** Records what a Flow of this operation declares (from `check`). */
export function declare(flow: Declared): void {
  declared.set(flow.urn, flow);
}

/** Every Flow this operation declares: the program's Flows, once the engine has checked them. */
export function declarations(): readonly Declared[] {
  return [...declared.values()];
}

/** Forgets every declaration: for tests, which run many operations in one process. */
export function forgetDeclarations(): void {
  declared.clear();
}

export function placed(flow: Declared, observed: ObservedFlow): Placed {
  return {
    ...flow,
    originNodeId: observed.originNodeId,
    anchorNodeId: observed.anchorNodeId,
    nodeIds: new Set(observed.resources.map((r) => r.flowNodeId)),
    resources: observed.resources.map(({ kind, id }) => ({ kind, id })),
  };
}

/**
 * Refuses `flow`, placed by a fresh read (`response`), when another declared Flow contradicts it. Every other
 * declaration whose anchor is in the same flow is placed by the same response.
 */
export function refuseContradictionsIn(flow: Placed, response: FlowResponse): void {
  const others: Placed[] = [];
  for (const other of declared.values()) {
    if (other.urn === flow.urn) continue;
    const observed = tryObserve(response, other.anchor, other.scope);
    if (observed !== undefined && observed.originNodeId === flow.originNodeId)
      others.push(placed(other, observed));
  }
  refuse(flow, others);
}

/** Refuses `flow`, placed from state, when another Flow placed from state contradicts it (`diff`). */
export function refuseContradictionsStored(flow: Placed, stored: readonly Placed[]): void {
  refuse(
    flow,
    stored.filter((other) => other.urn !== flow.urn),
  );
}

const storedPlacements = new Map<string, Placed>();

/** The placements known from state in this operation (each `diff` adds its own). */
export function rememberStored(flow: Placed): Placed[] {
  storedPlacements.set(flow.urn, flow);
  return [...storedPlacements.values()];
}

export function forgetStored(): void {
  storedPlacements.clear();
}

export function tryObserve(response: FlowResponse, anchor: Anchor, scope: Scope): ObservedFlow | undefined {
  try {
    return observe(response, anchor, scope);
  } catch {
    return undefined; // its anchor is not in this flow
  }
}

function refuse(flow: Placed, others: readonly Placed[]): void {
  const reasons = others.flatMap((other) => contradiction(flow, other));
  if (reasons.length > 0) throw new Error(reasons.join(" "));
}

function contradiction(a: Placed, b: Placed): string[] {
  if (a.originNodeId !== b.originNodeId) return [];
  const found: string[] = [];
  const overlap = a.nodeIds.has(b.anchorNodeId) || b.nodeIds.has(a.anchorNodeId);
  const known = (s: string) => s === "ACTIVE" || s === "PAUSED";
  if (overlap && known(a.status) && known(b.status) && a.status !== b.status) {
    const inB = new Set(b.resources.map(key));
    const shared = a.resources.filter((r) => inB.has(key(r))).map(key);
    found.push(
      `Flows "${a.name}" (${describe(a)}) and "${b.name}" (${describe(b)}) overlap in flow ${a.originNodeId} ` +
        `and declare different statuses: "${a.name}" ${a.status}, "${b.name}" ${b.status}. Shared: ` +
        `${shared.join(", ")}. Nothing was changed. Declare each resource in one Flow only, or give both the ` +
        "same status.",
    );
  }
  if (a.owner && b.owner && !sameOwner(a.owner, b.owner)) {
    found.push(
      `Flows "${a.name}" and "${b.name}" are both in flow ${a.originNodeId} and declare different owners ` +
        `(${a.owner.ownerId}/org ${a.owner.orgId} and ${b.owner.ownerId}/org ${b.owner.orgId}); ownership is ` +
        "whole-flow in Nexla. Nothing was changed. Declare the owner in one of them only.",
    );
  }
  return found;
}

function describe({ anchor, scope }: Placed): string {
  return `${anchorText(anchor)}, scope ${scope}`;
}

function key(r: ResourceRef): string {
  return `${r.kind} ${r.id}`;
}
