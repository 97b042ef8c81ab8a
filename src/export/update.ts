/**
 * `export --update FILE`: what to change in a file export wrote earlier, so that it says what Nexla has now
 * without undoing what a person made of it (issue 19). Pure: the file's entries and Nexla's flows in, the
 * changes out. The file stays the source of truth for names, order and entries of flows it does not touch:
 *
 * - a scope whose resources now all agree on another status takes that status (and, with `--with-owner`, an
 *   owner that changed is taken);
 * - an entry is never removed or split: a scope that is MIXED now keeps its declared status, with a note
 *   naming the resources that differ (the next `up --refresh` sets them back), and an entry whose anchor is gone from
 *   Nexla keeps its place, with a note;
 * - flows no entry covers are added at the end, named as export names them;
 * - an added entry gets the `dependsOn` export writes (delete-order.ts), naming entries of the file as well as
 *   added ones; an entry already in the file keeps its `dependsOn` as it is (a person may have removed one on
 *   purpose, and adding one changes the order of deletes, which Nexla did not change): when it lacks one export
 *   would write, a note above it and the summary name what to add.
 */
import type { Anchor } from "../nexla/paths.js";
import { collectionOf, resourceKinds, type FlowNode, type FlowResponse } from "../nexla/types.js";
import { isAt, observe, type ObservedFlow } from "../planner/index.js";
import type { DeclaredStatus, ExportedFlow } from "./decompose.js";
import type { Declaration } from "../declaration/declaration.js";
import { anchorText } from "./drift.js";
import { matches, type Filters } from "./filters.js";
import { nameAll, type NamedFlow } from "./entries.js";
import {
  circularText,
  dependenciesFirst,
  precedences,
  precedenceText,
  split,
  type Precedence,
} from "./delete-order.js";

/** An entry of the file: what it declares, and the entries it depends on. */
export type FileEntry = Declaration & { readonly dependsOn: readonly string[] };

export interface EntryChange {
  readonly status?: DeclaredStatus;
  readonly owner?: { readonly ownerId: number; readonly orgId: number };
  /**
   * Notes export keeps above the entry, replacing the ones an earlier update wrote; absent for an entry
   * this update does not look at (the filters leave its flow out), whose notes stay as they are.
   */
  readonly notes?: readonly string[];
}

export interface UpdatePlan {
  /** One per entry of the file, in its order. */
  readonly changes: readonly EntryChange[];
  readonly added: readonly NamedFlow[];
  /** What changed, for the person who ran it. */
  readonly summary: readonly string[];
}

export interface UpdateOptions {
  readonly filters: Filters;
  readonly withOwner: boolean;
}

export function planUpdate(
  entries: readonly FileEntry[],
  flows: readonly { readonly response: FlowResponse; readonly flow: ExportedFlow }[],
  options: UpdateOptions,
): UpdatePlan {
  const find = locator(flows.map((f) => f.response));
  const wanted = new Set(
    flows.filter((f) => matches(f.flow, options.filters)).map((f) => f.flow.originNodeId),
  );
  const filtered = !noneGiven(options.filters);
  const owned = new Set<number>();
  const covered = new Set<number>();
  const summary: string[] = [];
  /** The flow of each entry of the file that Nexla still has. */
  const flowOf: (number | undefined)[] = [];
  const changes = entries.map((entry, i): EntryChange => {
    const response = find(entry.anchor);
    if (response === undefined) {
      if (filtered && !named(entry.anchor, options.filters)) return {};
      summary.push(
        `${entry.name}: ${anchorText(entry.anchor)} is gone from Nexla; the entry is kept, with a note.`,
      );
      return { notes: [goneNote(entry)] };
    }
    const observed = observe(response, entry.anchor, entry.scope);
    covered.add(observed.originNodeId);
    flowOf[i] = observed.originNodeId;
    if (!wanted.has(observed.originNodeId)) return {};
    const change = statusChange(entry, observed, summary);
    if (!options.withOwner) return change;
    const owner = ownerChange(entry, observed, owned.has(observed.originNodeId));
    if (entry.owner !== undefined || owner !== undefined) owned.add(observed.originNodeId);
    if (owner === undefined) return change;
    summary.push(`${entry.name}: owner → user ${owner.ownerId}/org ${owner.orgId}, as Nexla has it now.`);
    return { ...change, owner };
  });
  const fresh = nameAll(
    flows.map((f) => f.flow).filter((f) => wanted.has(f.originNodeId) && !covered.has(f.originNodeId)),
  );
  refuseClashes(entries, fresh);
  const order = deleteOrder(entries, flowOf, fresh, flows);
  const added = dependenciesFirst(
    fresh.map((n) => withDependencies(n, order.pairs, order.names)),
    order.pairs,
  );
  const noted = changes.map((change, i) => {
    const entry = entries[i] as FileEntry;
    const flow = flowOf[i];
    if (change.notes === undefined || flow === undefined || !wanted.has(flow)) return change;
    const missing = order.pairs
      .filter((p) => p.first.originNodeId === flow)
      .map((p) => ({
        p,
        names: (order.names.get(p.then.originNodeId) ?? []).filter((n) => !entry.dependsOn.includes(n)),
      }))
      .filter(({ names }) => names.length > 0);
    if (missing.length === 0) return change;
    const names = missing.flatMap((m) => m.names).join(", ");
    const why = missing.map((m) => precedenceText(m.p)).join("; ");
    summary.push(
      `${entry.name}: must be deleted before ${names} (${why}), but has no dependsOn on it: add that by ` +
        "hand, so that one destroy deletes both (--update leaves an entry's dependsOn as it is).",
    );
    return {
      ...change,
      notes: [
        ...change.notes,
        `this must be deleted before ${names} (${why}): add dependsOn on ${names}, so that one destroy ` +
          "deletes both (--update leaves an entry's dependsOn as it is).",
      ],
    };
  });
  for (const n of added)
    for (const e of n.entries) summary.push(`${e.name}: added (flow ${n.flow.originNodeId}).`);
  if (order.circular.length > 0) summary.push(circularText(order.circular));
  return { changes: noted, added, summary };
}

/**
 * The pairs of flows that have entries in the file or among those added, and the names of each flow's
 * entries (those of the file first).
 */
function deleteOrder(
  entries: readonly FileEntry[],
  flowOf: readonly (number | undefined)[],
  added: readonly NamedFlow[],
  flows: readonly { readonly flow: ExportedFlow }[],
) {
  const names = new Map<number, string[]>();
  const add = (flow: number, name: string) => names.set(flow, [...(names.get(flow) ?? []), name]);
  entries.forEach((e, i) => {
    const flow = flowOf[i];
    if (flow !== undefined) add(flow, e.name);
  });
  for (const n of added) for (const e of n.entries) add(n.flow.originNodeId, e.name);
  const declared = flows.map((f) => f.flow).filter((f) => names.has(f.originNodeId));
  return { ...split(precedences(declared)), names };
}

/** An added flow with the `dependsOn` export writes, naming every entry of each flow it must be deleted before. */
function withDependencies(
  named: NamedFlow,
  pairs: readonly Precedence[],
  names: ReadonlyMap<number, readonly string[]>,
): NamedFlow {
  const before = pairs.filter((p) => p.first.originNodeId === named.flow.originNodeId);
  if (before.length === 0) return named;
  const dependsOn = before.flatMap((p) => names.get(p.then.originNodeId) ?? []);
  return { ...named, entries: named.entries.map((e) => ({ ...e, dependsOn })), deletedBefore: before };
}

function statusChange(entry: Declaration, observed: ObservedFlow, summary: string[]): EntryChange {
  if (observed.status === "MIXED") {
    const differ = observed.resources
      .filter((r) => !isAt(r.status, entry.status))
      .map((r) => `${r.kind} ${r.id} is ${r.status}`);
    summary.push(
      `${entry.name}: MIXED in Nexla (${differ.join(", ")}); kept ${entry.status}: the next ` +
        `\`pulumi up --refresh\` will change Nexla back to ${entry.status}.`,
    );
    return {
      notes: [
        `Nexla has this MIXED now (${differ.join(", ")}); declared ${entry.status}, so the next \`pulumi up --refresh\` sets them back.`,
      ],
    };
  }
  if (observed.status === entry.status) return { notes: [] };
  summary.push(`${entry.name}: status ${entry.status} → ${observed.status}, as Nexla has it now.`);
  return { status: observed.status, notes: [] };
}

/** An owner that changed; for a flow none of whose entries declares one, its first entry declares it. */
function ownerChange(entry: Declaration, observed: ObservedFlow, flowOwned: boolean): Declaration["owner"] {
  const now = observed.owner;
  if (now === undefined) return undefined;
  const o = entry.owner;
  if (o === undefined) return flowOwned ? undefined : now;
  return o.ownerId === now.ownerId && o.orgId === now.orgId ? undefined : now;
}

function goneNote(entry: Declaration): string {
  return (
    `${anchorText(entry.anchor)} is gone from Nexla; the entry is kept: remove it once you have checked ` +
    "(removing it deletes nothing that is gone)."
  );
}

function refuseClashes(entries: readonly Declaration[], added: readonly NamedFlow[]): void {
  const names = new Set(entries.map((e) => e.name));
  const clash = added.flatMap((n) => n.entries).filter((e) => names.has(e.name));
  if (clash.length > 0)
    throw new Error(
      `new flows would be named ${clash.map((e) => `"${e.name}"`).join(", ")}, which the file already uses for ` +
        "other entries: rename those entries (keep the old name in aliases) and run again. Nothing was written.",
    );
}

/** The response (one flow) that holds an anchor: a node of the flow, or one of its resources. */
function locator(responses: readonly FlowResponse[]): (anchor: Anchor) => FlowResponse | undefined {
  const byKey = new Map<string, FlowResponse>();
  for (const response of responses) {
    const origin = response.flows[0];
    const walk = (node: FlowNode): void => {
      byKey.set(`flow ${node.id}`, response);
      for (const child of node.children ?? []) if (child.origin_node_id === origin?.id) walk(child);
    };
    if (origin !== undefined) walk(origin);
    for (const kind of resourceKinds)
      for (const r of response[collectionOf[kind]] ?? []) byKey.set(`${kind} ${r.id}`, response);
  }
  return (anchor) => byKey.get(`${anchor.kind} ${anchor.id}`);
}

/** Whether `--flow` names the anchor: a gone flow can match no other filter. */
function named(anchor: Anchor, f: Filters): boolean {
  return anchor.kind === "flow" && f.flowIds.includes(anchor.id);
}

function noneGiven(f: Filters): boolean {
  return (
    f.flowIds.length + f.projectIds.length + f.ownerIds.length + f.statuses.length === 0 &&
    f.namePattern === undefined
  );
}
