/**
 * The order in which Nexla lets exported flows be deleted, written as `dependsOn`. Nexla refuses to delete a
 * flow, or any part of it, while a RAG flow linked to it exists, and while a flow derived from one of its shared
 * nexsets exists (docs/nexla-api.md §2.4 and §4 items 1–2: both checks look at the flow's origin, whatever node
 * is deleted). Pulumi deletes a resource before those it depends on, so every Flow of the flow that must go first
 * depends on every Flow of the other: one `destroy` (or one edit that removes both) then deletes both. Pure: it
 * reads what the list of flows already rendered (`flow_type`, `linked_flows`, a derived origin's parent), so it
 * costs no call.
 *
 * Only pairs whose flows both have Flows in the file get `dependsOn`. Flows that refuse each other's delete (two
 * RAG flows linked to each other) can be deleted in no order, and a `dependsOn` circle is refused by Pulumi and by
 * the flows file: those pairs are reported, never written.
 */
import type { ExportedFlow } from "./decompose.js";
import type { NamedFlow } from "./entries.js";

/** Two flows Nexla deletes only in this order. */
export interface Precedence {
  /** The flow to delete first: its Flows depend on those of `then`. */
  readonly first: ExportedFlow;
  /** The flow Nexla refuses to delete while `first` exists. */
  readonly then: ExportedFlow;
  /** `rag`: `first` is a RAG flow linked to `then`; `derived`: `first` derives from a shared nexset of `then`. */
  readonly why: "rag" | "derived";
}

export interface DeleteOrder {
  /** The pairs that have `dependsOn`, by the origin of the flow deleted first, then of the other. */
  readonly pairs: readonly Precedence[];
  /** The pairs no `dependsOn` can order: each flow refuses the other's delete, through others or not. */
  readonly circular: readonly Precedence[];
}

/** Every pair of `flows` Nexla would delete only in one order, `first`'s origin ascending, then `then`'s. */
export function precedences(flows: readonly ExportedFlow[]): Precedence[] {
  const byId = new Map(flows.map((f) => [f.originNodeId, f]));
  const byNode = new Map(flows.flatMap((f) => f.observed.flowResources.map((r) => [r.flowNodeId, f])));
  const found = new Map<string, Precedence>();
  const add = (first: ExportedFlow, then: ExportedFlow, why: Precedence["why"]) => {
    const key = `${first.originNodeId} ${then.originNodeId}`;
    if (first !== then && !found.has(key)) found.set(key, { first, then, why });
  };
  for (const flow of flows) {
    // A link reads the same from either side (Nexla lists it on both); Nexla refuses the delete of the side
    // linked to a RAG flow.
    for (const id of flow.linkedFlows) {
      const other = byId.get(id);
      if (other === undefined) continue;
      if (other.flowType === "rag") add(other, flow, "rag");
      if (flow.flowType === "rag") add(flow, other, "rag");
    }
    if (flow.sharedNodeId !== null) {
      const shared = byNode.get(flow.sharedNodeId);
      if (shared !== undefined) add(flow, shared, "derived");
    }
  }
  const order = (p: Precedence) => [p.first.originNodeId, p.then.originNodeId] as const;
  return [...found.values()].sort((a, b) => order(a)[0] - order(b)[0] || order(a)[1] - order(b)[1]);
}

/**
 * `named` with `dependsOn` on the entries of each flow that must be deleted first, naming every entry of the
 * other flow, and in an order where each flow comes after the flows its entries depend on (a TypeScript program
 * declares a Flow before it is named in another's `dependsOn`): by origin otherwise, as `nameAll` has them.
 */
export function withDeleteOrder(named: readonly NamedFlow[]): DeleteOrder & { readonly flows: NamedFlow[] } {
  const declared = named.filter((n) => n.entries.length > 0);
  const { pairs, circular } = split(precedences(declared.map((n) => n.flow)));
  const byId = new Map(named.map((n) => [n.flow.originNodeId, n]));
  const dependsOn = new Map<number, string[]>();
  for (const { first, then } of pairs) {
    const names = byId.get(then.originNodeId)?.entries.map((e) => e.name) ?? [];
    dependsOn.set(first.originNodeId, [...(dependsOn.get(first.originNodeId) ?? []), ...names]);
  }
  const linked = named.map((n): NamedFlow => {
    const names = dependsOn.get(n.flow.originNodeId);
    if (names === undefined) return n;
    return {
      ...n,
      entries: n.entries.map((e) => ({ ...e, dependsOn: names })),
      deletedBefore: pairs.filter((p) => p.first === n.flow),
    };
  });
  return { flows: dependenciesFirst(linked, pairs), pairs, circular };
}

/** The pairs `dependsOn` can order, and those in a circle of refusals (a strongly connected component). */
export function split(all: readonly Precedence[]): DeleteOrder {
  const next = new Map<number, number[]>();
  for (const p of all)
    next.set(p.first.originNodeId, [...(next.get(p.first.originNodeId) ?? []), p.then.originNodeId]);
  const reaches = (from: number, to: number): boolean => {
    const seen = new Set<number>();
    const stack = [from];
    while (stack.length > 0) {
      const at = stack.pop() as number;
      if (at === to) return true;
      if (seen.has(at)) continue;
      seen.add(at);
      stack.push(...(next.get(at) ?? []));
    }
    return false;
  };
  const inCircle = (p: Precedence) => reaches(p.then.originNodeId, p.first.originNodeId);
  return { pairs: all.filter((p) => !inCircle(p)), circular: all.filter(inCircle) };
}

/** `flows` in their order, except that a flow others depend on is moved up to just before the first of them. */
export function dependenciesFirst(flows: readonly NamedFlow[], pairs: readonly Precedence[]): NamedFlow[] {
  const before = new Map<number, number[]>();
  for (const { first, then } of pairs)
    before.set(first.originNodeId, [...(before.get(first.originNodeId) ?? []), then.originNodeId]);
  const byId = new Map(flows.map((n) => [n.flow.originNodeId, n]));
  const placed = new Set<number>();
  const out: NamedFlow[] = [];
  const place = (n: NamedFlow): void => {
    if (placed.has(n.flow.originNodeId)) return;
    placed.add(n.flow.originNodeId);
    for (const id of before.get(n.flow.originNodeId) ?? []) {
      const other = byId.get(id);
      if (other !== undefined) place(other);
    }
    out.push(n);
  };
  flows.forEach(place);
  return out;
}

/**
 * The pairs of `all` (every flow read) whose flow to delete first has no Flow in the file while the other has
 * (`declared`): a destroy of the stack is refused for that other flow until the first is deleted some other way.
 */
export function outsideFirst(all: readonly ExportedFlow[], declared: readonly ExportedFlow[]): Precedence[] {
  const inFile = new Set(declared.map((f) => f.originNodeId));
  return precedences(all).filter((p) => inFile.has(p.then.originNodeId) && !inFile.has(p.first.originNodeId));
}

/** Pairs from `outsideFirst`, in words, with the way out. */
export function outsideText(outside: readonly Precedence[]): string {
  const held = [...new Set(outside.map((p) => p.then.originNodeId))].sort((a, b) => a - b);
  return (
    `Nexla refuses to delete flow${held.length === 1 ? "" : "s"} ${held.join(", ")} while flows this file ` +
    `leaves out exist (${outside.map(precedenceText).join("; ")}): a destroy of this stack fails there until ` +
    "those are deleted. Export them too (--flow ID) to have one destroy delete both, in order."
  );
}

/** `first` before `then`, in words: why Nexla needs that order. */
export function precedenceText({ first, then, why }: Precedence): string {
  return why === "rag"
    ? `flow ${first.originNodeId} is a RAG flow linked to flow ${then.originNodeId}`
    : `flow ${first.originNodeId} derives from a shared nexset of flow ${then.originNodeId}`;
}

/** Flows that refuse each other's delete, in words, with the way out. */
export function circularText(circular: readonly Precedence[]): string {
  const ids = [...new Set(circular.flatMap((p) => [p.first.originNodeId, p.then.originNodeId]))];
  return (
    `No order lets one destroy delete flows ${ids.sort((a, b) => a - b).join(", ")}: Nexla refuses to delete ` +
    `each while another exists (${circular.map(precedenceText).join("; ")}). No dependsOn was written between ` +
    "them; remove a link in Nexla before deleting them."
  );
}
