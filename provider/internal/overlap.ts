/**
 * Flows of one stack that cover the same Nexla resources and declare different statuses (or, anywhere in the
 * same flow, different owners) would undo each other on every `up`. They are refused before any call.
 *
 * The engine calls `check` for every Flow of the program, so the provider keeps what each Flow declares, by URN
 * (name and parent: two Flows of one name under different parents are two declarations): in its process, and
 * shared with the operation's other provider processes (one per provider instance, shared-declarations.ts). Two
 * moments judge it:
 * - `diff` (preview and up), from the scopes stored in state: a scope contains another Flow's anchor node;
 * - `create` and `update`, after their read and before their first write, from that read: every other
 *   declared Flow whose anchor is in the flow just read is placed in it, so even Flows new to the stack are
 *   judged on what Nexla reports now.
 * Overlaps that agree are allowed.
 */
import { declarationOf, type Declaration } from "../../src/declaration/declaration.js";
import { findAnchor, UNKNOWN } from "../../src/declaration/schema.js";
import { adoptedFlow } from "../../src/declaration/state.js";
import type { Anchor, Scope } from "../../src/nexla/paths.js";
import type { FlowResponse } from "../../src/nexla/types.js";
import {
  observe,
  ownerText,
  sameOwner,
  type ObservedFlow,
  type ResourceRef,
} from "../../src/planner/index.js";
import { apiUrlFor } from "./credentials.js";
import { anchorText } from "./log.js";
import { sharedFor } from "./shared-declarations.js";

type Bag = Record<string, unknown>;

/**
 * A Flow of this operation as `check` saw it: its declaration (src/declaration), identified by URN, with the
 * status as sent, which may not be a valid one (a Flow that fails its checks still keeps its flow).
 */
export interface Declared extends Omit<Declaration, "status"> {
  /** The Flow's URN: its identity in the operation. A program of an older version sends the name only. */
  readonly urn: string;
  readonly status: string;
}

/** A declared Flow placed in a flow: the node ids and resources its scope covers. */
export interface Placed extends Declared {
  readonly originNodeId: number;
  readonly anchorNodeId: number;
  readonly nodeIds: ReadonlySet<number>;
  readonly resources: readonly ResourceRef[];
}

const declared = new Map<string, Declared>();

/**
 * Records what a Flow of this operation declares (from `check`), here and for the operation's other provider
 * processes, before `check` answers: the engine runs no delete of the program's removed Flows before then.
 */
export function declare(flow: Declared): void {
  declared.set(flow.urn, flow);
  sharedFor(apiUrlFor())?.publish(flow);
}

/**
 * Whether the Flow of `urn` is declared in this operation (its `check` ran in this process, as the engine runs its
 * diff): false in a refresh, which runs no program.
 */
export function isDeclared(urn: string): boolean {
  return declared.has(urn);
}

/**
 * Every Flow this operation declares: the program's Flows, once the engine has checked them, whichever provider
 * process checked each (this process's own record wins for its own Flows).
 */
export function declarations(): readonly Declared[] {
  const others = sharedFor(apiUrlFor())?.others() ?? new Map<string, Declared>();
  for (const urn of declared.keys()) others.delete(urn);
  return [...others.values(), ...declared.values()];
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
  for (const other of declarations()) {
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
        `(${ownerText(a.owner)} and ${ownerText(b.owner)}); ownership is ` +
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

/**
 * What a Flow declares, from its inputs; undefined while its name or anchor is not known. It is identified by
 * its URN; a program of an older version of this package sends the name only.
 */
export function declaredBy(inputs: Bag): Declared | undefined {
  const name = inputs["__flowName"];
  const urn = inputs["__flowUrn"];
  if (typeof name !== "string" || findAnchor(inputs) === undefined) return undefined;
  return {
    ...declarationOf(name, inputs),
    urn: typeof urn === "string" && urn !== UNKNOWN ? urn : name,
    status: String(inputs["status"]),
  };
}

/** A Flow placed from its stored outputs, when the new inputs keep its anchor and scope. */
export function placedFromState(olds: Bag, news: Bag): Placed | undefined {
  const declared = declaredBy(news);
  const origin = adoptedFlow(olds);
  const anchorNode = olds["anchorNodeId"];
  if (declared === undefined || origin === undefined || typeof anchorNode !== "number") return undefined;
  if (typeof olds["anchorMovedTo"] === "number") return undefined;
  const resources = (["dataSources", "dataSets", "dataSinks"] as const).flatMap((key, i) => {
    const kind = (["data_source", "data_set", "data_sink"] as const)[i]!;
    const list = Array.isArray(olds[key]) ? (olds[key] as Bag[]) : [];
    return list.map((r) => ({ kind, id: r["id"] as number, node: r["flowNodeId"] }));
  });
  // State written before flowNodeId was stored cannot be placed; create and update judge it from a read.
  if (resources.some((r) => typeof r.node !== "number")) return undefined;
  return {
    ...declared,
    originNodeId: origin,
    anchorNodeId: anchorNode,
    nodeIds: new Set(resources.map((r) => r.node as number)),
    resources: resources.map(({ kind, id }) => ({ kind, id })),
  };
}
