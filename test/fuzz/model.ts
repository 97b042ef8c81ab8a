/**
 * A model-based fuzz of the whole stack: random orgs, random programs of Flows, and random sequences of
 * program edits, out-of-band changes in Nexla, injected faults and operations, with invariants checked
 * against the emulator's state after every operation. The same model runs two ways (a `Driver`): through the
 * real Pulumi CLI (cli-driver.ts), and through the provider's methods in this process, sequenced as the
 * engine sequences them (provider-driver.ts), which does thousands of steps a minute.
 *
 * Invariants, after every operation (S0 is Nexla before it, S1 after; P the program it ran):
 * 1. no resource that P declares (its Flows placed in S0) was deleted, and nothing changed outside the
 *    flows that P's Flows, or Flows the stack held, were ever placed in;
 * 2. a resource is deleted only in a flow that a Flow removed from the program (or destroyed) had adopted;
 * 3. after a successful `up` that saw Nexla as it is (a refresh since the last out-of-band change, or
 *    `up --refresh`), every declared scope is at its declared status and owner in Nexla;
 * 4. after a failed operation, a `refresh` succeeds and leaves each Flow's stored status equal to what Nexla
 *    reports for its scope;
 * 5. `preview` and `refresh` never write; an `up` right after a successful `up`, with nothing changed since,
 *    writes nothing.
 * The fuzz's own out-of-band changes are made between operations, so they are never counted against it.
 * Targeted runs (`--target`) are not generated: the engine checks only the targeted Flows, so a targeted
 * delete cannot see what the rest of the program declares (README, Safety rules).
 */
import fc from "fast-check";
import type { Emulator, Fault } from "pulumi-nexla/emulator";
import { moveSubtree } from "../fixtures/seed-edits.js";
import { keyOf, locate, place, anchorKinds, type AnchorKey, type Key, type Located } from "./org.js";

/** One Flow of a program: what the `declared` e2e program and the provider driver both take. */
export interface Decl {
  readonly name: string;
  /** Declared under a component of this name (a parent), or at the stack's root. */
  readonly parent?: string;
  readonly anchor: { readonly key: AnchorKey; readonly id: number };
  readonly scope: "flow" | "downstream";
  readonly status: "ACTIVE" | "PAUSED";
  readonly owner?: { readonly ownerId: number; readonly orgId: number };
  readonly ignoreChanges?: readonly ("status" | "owner")[];
  readonly retainOnDelete?: boolean;
  /** Earlier names (Pulumi aliases). */
  readonly aliases?: readonly string[];
  /** Served by the native plugin (`NativeFlow`, `nexla:index:Flow`) instead of the dynamic provider. */
  readonly native?: boolean;
}

export type Operation = "up" | "preview" | "refresh" | "up-refresh" | "destroy";

export interface OperationOutcome {
  readonly ok: boolean;
  /** Everything the operation said (error, output, provider log). */
  readonly said: string;
}

/** What the stack holds of a Flow: its URN and stored outputs. */
export interface StoredFlow {
  readonly urn: string;
  readonly outputs: Record<string, unknown>;
}

export interface Driver {
  readonly emulator: Emulator;
  /** A new, empty stack for a new run. */
  newStack(): Promise<void>;
  run(operation: Operation, program: readonly Decl[]): Promise<OperationOutcome>;
  /** The Flows the stack holds now. */
  stored(): Promise<StoredFlow[]>;
}

/** The Flow arguments a declaration has, as a program passes them (both drivers send these). */
export function argsOf(d: Decl): Record<string, unknown> {
  return {
    [d.anchor.key]: d.anchor.id,
    scope: d.scope,
    status: d.status,
    ...(d.owner === undefined ? {} : { owner: d.owner }),
    convergeTimeoutSeconds: 5,
  };
}

export const urnOf = (d: Pick<Decl, "name" | "parent" | "native">) =>
  `${d.parent === undefined ? "" : "fuzz:index:Group$"}${d.native === true ? "nexla:index:Flow" : "pulumi-nodejs:dynamic/nexla:Flow"}::${d.name}`;

/** The model: the program as edited so far, and what the invariants need to know of the past. */
export interface Model {
  program: Decl[];
  /** URNs the stack may hold (a superset: a failed `up` may have created some of the program's Flows). */
  stack: Set<string>;
  /** Every flow (origin node) each URN was ever placed in: what its delete may act on. */
  adopted: Map<string, Set<number>>;
  /** An out-of-band change was made since the last refresh. */
  unrefreshed: boolean;
  /** The last operation was a successful `up`, and nothing changed since. */
  settled: boolean;
  /** A fault armed for the next operation. */
  fault: Fault | undefined;
  /** The log of steps, for the failure message. */
  steps: string[];
  names: number;
}

export const newModel = (): Model => ({
  program: [],
  stack: new Set(),
  adopted: new Map(),
  unrefreshed: false,
  settled: false,
  fault: undefined,
  steps: [],
  names: 0,
});

type Real = Driver;
type Cmd = fc.AsyncCommand<Model, Real>;

/** A choice among run-time options: a number the command resolves against the model when it runs. */
const pick = <T>(list: readonly T[], n: number): T | undefined =>
  list.length === 0 ? undefined : list[n % list.length];

const anchorKeyOf = (r: Located): AnchorKey =>
  (Object.entries(anchorKinds).find(([, kind]) => kind === r.kind)?.[0] ?? "flowId") as AnchorKey;

function newName(m: Model, base: string): string {
  m.names += 1;
  return `${base}-${m.names}`;
}

// ---- program edits --------------------------------------------------------------------------------------

type Edit = (m: Model, nexla: Map<Key, Located>, n: readonly number[]) => string | undefined;

const replaceAt = (m: Model, i: number, ...by: Decl[]) => m.program.splice(i, 1, ...by);

const edits: Record<string, Edit> = {
  add(m, nexla, [a = 0, b = 0, c = 0]) {
    const r = pick([...nexla.values()], a);
    if (r === undefined) return undefined;
    const byNode = b % 4 === 0;
    const d: Decl = {
      name: newName(m, "f"),
      anchor: byNode ? { key: "flowId", id: r.node } : { key: anchorKeyOf(r), id: r.id },
      scope: c % 2 === 0 ? "flow" : "downstream",
      status: b % 2 === 0 ? "ACTIVE" : "PAUSED",
      ...(c % 5 === 1 ? { ignoreChanges: ["status" as const] } : {}),
      ...(c % 7 === 2 ? { retainOnDelete: true } : {}),
      ...((c >> 1) % 3 === 0 ? { native: true } : {}),
    };
    m.program.push(d);
    return `add ${JSON.stringify(d)}`;
  },
  remove(m, _n, [a = 0]) {
    const d = pick(m.program, a);
    if (d === undefined) return undefined;
    m.program.splice(m.program.indexOf(d), 1);
    return `remove ${d.name}`;
  },
  rename(m, _n, [a = 0, b = 0]) {
    const d = pick(m.program, a);
    if (d === undefined) return undefined;
    const name = newName(m, d.name.replace(/-\d+$/, ""));
    const aliases = b % 3 === 0 ? { aliases: [...(d.aliases ?? []), d.name] } : {};
    replaceAt(m, m.program.indexOf(d), { ...d, name, ...aliases });
    return `rename ${d.name} → ${name}${b % 3 === 0 ? " (alias)" : ""}`;
  },
  split(m, nexla, [a = 0]) {
    const d = pick(m.program, a);
    const placed = d && place(nexla, d);
    if (d === undefined || placed === undefined) return undefined;
    const at = [...placed.keys].map((k) => nexla.get(k)!);
    // The children of the scope's root become Flows of their own.
    const root = at.find((r) => r.parent === null || !at.some((o) => o.node === r.parent));
    const children = at.filter((r) => root !== undefined && r.parent === root.node);
    if (children.length === 0) return undefined;
    const { aliases: _aliases, ...rest } = d;
    const parts: Decl[] = children.map((r) => ({
      ...rest,
      name: newName(m, "part"),
      anchor: { key: anchorKeyOf(r), id: r.id },
      scope: "downstream",
    }));
    replaceAt(m, m.program.indexOf(d), ...parts);
    return `split ${d.name} → ${parts.map((p) => p.name).join(", ")}`;
  },
  merge(m, nexla, [a = 0]) {
    const d = pick(m.program, a);
    const placed = d && place(nexla, d);
    if (d === undefined || placed === undefined) return undefined;
    const same = m.program.filter((o) => place(nexla, o)?.origin === placed.origin);
    const merged: Decl = {
      ...d,
      name: newName(m, "whole"),
      anchor: { key: "flowId", id: placed.origin },
      scope: "flow",
    };
    m.program = m.program.filter((o) => !same.includes(o));
    m.program.push(merged);
    return `merge ${same.map((o) => o.name).join(", ")} → ${merged.name}`;
  },
  reanchor(m, nexla, [a = 0, b = 0]) {
    const d = pick(m.program, a);
    const placed = d && place(nexla, d);
    if (d === undefined || placed === undefined) return undefined;
    const r = pick(
      [...placed.keys].map((k) => nexla.get(k)!),
      b,
    );
    if (r === undefined) return undefined;
    replaceAt(m, m.program.indexOf(d), { ...d, anchor: { key: anchorKeyOf(r), id: r.id } });
    return `re-anchor ${d.name} on ${keyOf(r.kind, r.id)}`;
  },
  retarget(m, nexla, [a = 0, b = 0]) {
    const d = pick(m.program, a);
    const r = pick([...nexla.values()], b);
    if (d === undefined || r === undefined) return undefined;
    replaceAt(m, m.program.indexOf(d), { ...d, anchor: { key: anchorKeyOf(r), id: r.id } });
    return `retarget ${d.name} to ${keyOf(r.kind, r.id)}`;
  },
  scope(m, _n, [a = 0]) {
    const d = pick(m.program, a);
    if (d === undefined) return undefined;
    const scope = d.scope === "flow" ? "downstream" : "flow";
    replaceAt(m, m.program.indexOf(d), { ...d, scope });
    return `${scope === "flow" ? "widen" : "narrow"} ${d.name}`;
  },
  status(m, _n, [a = 0]) {
    const d = pick(m.program, a);
    if (d === undefined) return undefined;
    const status = d.status === "ACTIVE" ? "PAUSED" : "ACTIVE";
    replaceAt(m, m.program.indexOf(d), { ...d, status });
    return `status ${d.name} ${status}`;
  },
  owner(m, _n, [a = 0, b = 0]) {
    const d = pick(m.program, a);
    if (d === undefined) return undefined;
    const owner = pick([undefined, { ownerId: 2, orgId: 2 }, { ownerId: 3, orgId: 2 }], b);
    const { owner: _old, ...rest } = d;
    replaceAt(m, m.program.indexOf(d), owner === undefined ? rest : { ...rest, owner });
    return `owner ${d.name} ${owner === undefined ? "none" : `${owner.ownerId}/${owner.orgId}`}`;
  },
  door(m, _n, [a = 0]) {
    // The move between the dynamic Flow and NativeFlow: for the engine, a create and a delete in two providers'
    // processes. Aliases name the other type's URNs, so they go.
    const d = pick(m.program, a);
    if (d === undefined) return undefined;
    const { aliases: _aliases, native, ...rest } = d;
    const swapped: Decl = native === true ? rest : { ...rest, native: true };
    if (m.program.some((o) => urnOf(o) === urnOf(swapped))) return undefined;
    replaceAt(m, m.program.indexOf(d), swapped);
    return `${d.name} to ${native === true ? "the dynamic Flow" : "NativeFlow"}`;
  },
  move(m, _n, [a = 0]) {
    const d = pick(m.program, a);
    if (d === undefined) return undefined;
    const { parent, ...rest } = d;
    const moved = parent === undefined ? { ...rest, parent: "group" } : rest;
    if (m.program.some((o) => urnOf(o) === urnOf(moved))) return undefined;
    replaceAt(m, m.program.indexOf(d), moved);
    return `move ${d.name} ${parent === undefined ? "under a component" : "out of its component"}`;
  },
};

// ---- out-of-band changes in Nexla, as a person in its UI makes them --------------------------------------

type Change = (e: Emulator, nexla: Map<Key, Located>, n: readonly number[]) => string | undefined;

const changes: Record<string, Change> = {
  status(e, nexla, [a = 0, b = 0]) {
    const r = pick([...nexla.values()], a);
    if (r === undefined) return undefined;
    const status = b % 2 === 0 ? "ACTIVE" : "PAUSED";
    e.control.setStatus(r.kind, r.id, status);
    return `Nexla UI: ${keyOf(r.kind, r.id)} ${status}`;
  },
  owner(e, nexla, [a = 0, b = 0]) {
    const r = pick([...nexla.values()], a);
    if (r === undefined) return undefined;
    const owner = b % 2 === 0 ? 2 : 3;
    e.control.setOwner(r.origin, owner, 2);
    return `Nexla UI: flow ${r.origin} owner ${owner}/2`;
  },
  delete(e, nexla, [a = 0]) {
    const origins = [...new Set([...nexla.values()].map((r) => r.origin))];
    const origin = pick(origins, a);
    if (origin === undefined || origins.length < 2) return undefined;
    e.control.deleteFlow(origin);
    return `Nexla UI: delete flow ${origin}`;
  },
  move(e, nexla, [a = 0, b = 0]) {
    const all = [...nexla.values()];
    const r = pick(
      all.filter((x) => x.parent !== null && x.kind !== "data_source"),
      a,
    );
    const under = pick(
      all.filter((x) => r !== undefined && x.origin !== r.origin && x.kind !== "data_sink"),
      b,
    );
    if (r === undefined || under === undefined) return undefined;
    const status = b % 2 === 0 ? "ACTIVE" : "PAUSED";
    e.control.reset(moveSubtree(e.control.state(), [r.kind, r.id], [under.kind, under.id], status));
    return `Nexla UI: move ${keyOf(r.kind, r.id)} under ${keyOf(under.kind, under.id)}`;
  },
};

// ---- faults for the next operation ------------------------------------------------------------------------

const faults: readonly Fault[] = [
  { method: "PUT", path: /\/pause$/, status: 429, headers: { "Retry-After": "0" }, times: 2 },
  { method: "PUT", path: /\/activate$/, status: 503, times: 1 },
  { method: "PUT", path: /\/pause$/, status: 500, times: Infinity, after: true },
  { method: "DELETE", path: /./, status: 500, times: 1, after: true },
  { method: "DELETE", path: /./, drop: true, times: 1 },
  { method: "GET", path: /./, status: 502, times: 3 },
  { method: "PUT", path: /^\/flows\/\d+$/, status: 500, times: 1, after: true },
];

// ---- the commands -----------------------------------------------------------------------------------------

const choices = fc.array(fc.nat(1000), { minLength: 3, maxLength: 3 });

/** A program edit (`edit`) or a change in Nexla's UI (`nexla`), its choices resolved when it runs. */
class ChoiceCommand implements Cmd {
  constructor(
    readonly label: "edit" | "nexla",
    readonly kind: string,
    readonly n: readonly number[],
  ) {}
  check = () => true;
  async run(m: Model, real: Real) {
    const nexla = locate(real.emulator.control.state());
    const edit = this.label === "edit";
    const said = edit
      ? edits[this.kind]!(m, nexla, this.n)
      : changes[this.kind]!(real.emulator, nexla, this.n);
    if (said === undefined) return;
    m.steps.push(edit ? `edit: ${said}` : said);
    m.settled = false;
    if (!edit) m.unrefreshed = true;
  }
  toString = () => `${this.label}(${this.kind}, ${this.n.join(",")})`;
}

class FaultCommand implements Cmd {
  constructor(readonly n: number) {}
  check = () => true;
  async run(m: Model) {
    m.fault = faults[this.n % faults.length];
    m.settled = false;
  }
  toString = () => `fault(${this.n})`;
}

class OperationCommand implements Cmd {
  constructor(readonly operation: Operation) {}
  check = () => true;
  async run(m: Model, real: Real) {
    await operate(m, real, this.operation);
  }
  toString = () => `op(${this.operation})`;
}

const edit = (kinds: readonly string[]) =>
  fc.tuple(fc.constantFrom(...kinds), choices).map(([k, n]): Cmd => new ChoiceCommand("edit", k, n));
const operation = (...ops: Operation[]) => fc.constantFrom(...ops).map((op): Cmd => new OperationCommand(op));

/** The steps and how often each comes: Flows are added often enough that programs grow past a few. */
export const commands: fc.Arbitrary<Cmd>[] = [
  fc.oneof(
    { arbitrary: edit(["add"]), weight: 4 },
    { arbitrary: edit(Object.keys(edits).filter((k) => k !== "add")), weight: 6 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...Object.keys(changes)), choices)
        .map(([k, n]): Cmd => new ChoiceCommand("nexla", k, n)),
      weight: 2,
    },
    { arbitrary: fc.nat(100).map((n): Cmd => new FaultCommand(n)), weight: 1 },
    { arbitrary: operation("up"), weight: 4 },
    { arbitrary: operation("preview", "refresh", "up-refresh", "destroy"), weight: 2 },
  ),
];

// ---- one operation and the invariants ---------------------------------------------------------------------

/** Runs `operation` on the program as edited, then checks every invariant; throws naming the one broken. */
export async function operate(m: Model, real: Real, operation: Operation): Promise<void> {
  const e = real.emulator;
  const program = operation === "destroy" ? [] : m.program;
  const before = locate(e.control.state());
  const wasSettled = m.settled && operation === "up";
  for (const d of program) {
    const placed = place(before, d);
    if (placed !== undefined) adoptedBy(m, urnOf(d)).add(placed.origin);
  }
  e.control.clearRequests();
  if (m.fault !== undefined) e.control.injectFault(m.fault);
  const fault = m.fault;
  m.fault = undefined;
  const outcome = await real.run(operation, m.program);
  e.control.clearFaults();
  const writes = e.control.requests().filter((r) => r.method !== "GET" && r.path !== "/token");
  const after = locate(e.control.state());
  m.steps.push(
    `${operation}${fault ? ` with fault ${describeFault(fault)}` : ""} → ${outcome.ok ? "ok" : "failed"}`,
  );
  const fail = (invariant: string, detail: string) => {
    throw new Error(
      `Invariant ${invariant} broken by ${operation}: ${detail}\nSteps:\n  ${m.steps.join("\n  ")}\n` +
        `Program: ${JSON.stringify(m.program)}\nOutput:\n${outcome.said.slice(-6000)}`,
    );
  };

  // 1: nothing the program declares is deleted; nothing changes outside the flows in play.
  const declared = new Map<Key, string>();
  for (const d of program) for (const k of place(before, d)?.keys ?? []) declared.set(k, d.name);
  const deleted = [...before.keys()].filter((k) => !after.has(k));
  const lost = deleted.filter((k) => declared.has(k));
  if (lost.length > 0)
    fail("1", `deleted ${lost.map((k) => `${k} (declared by ${declared.get(k)})`).join(", ")}`);
  const inPlay = new Set<number>();
  for (const urn of [...m.stack, ...program.map(urnOf)])
    for (const o of m.adopted.get(urn) ?? []) inPlay.add(o);
  const changed = [...before.entries()].filter(([k, r]) => {
    const now = after.get(k);
    return now !== undefined && (now.status !== r.status || now.owner !== r.owner);
  });
  const outside = changed.filter(([, r]) => !inPlay.has(r.origin)).map(([k]) => k);
  if (outside.length > 0) fail("1", `changed ${outside.join(", ")}, outside every flow in play`);

  // 2: deletes only in flows adopted by Flows that left the program.
  const removed = [...m.stack].filter(
    (urn) =>
      !program.some((d) => urnOf(d) === urn || d.aliases?.some((a) => urnOf({ ...d, name: a }) === urn)),
  );
  const released = new Set<number>();
  for (const urn of removed) for (const o of m.adopted.get(urn) ?? []) released.add(o);
  const stray = deleted.filter((k) => !released.has(before.get(k)!.origin));
  if (stray.length > 0) fail("2", `deleted ${stray.join(", ")}, in no flow a removed Flow had adopted`);

  // 5: preview and refresh never write; an up right after a successful up writes nothing.
  if ((operation === "preview" || operation === "refresh" || wasSettled) && writes.length > 0)
    fail("5", `wrote ${writes.map((w) => `${w.method} ${w.path}`).join(", ")}`);

  // The model's view of the stack.
  if (operation === "destroy") {
    if (outcome.ok) m.stack.clear();
  } else if (operation === "up" || operation === "up-refresh") {
    if (outcome.ok) m.stack = new Set(program.map(urnOf));
    else for (const d of program) m.stack.add(urnOf(d));
  }
  if (outcome.ok && (operation === "refresh" || operation === "up-refresh")) m.unrefreshed = false;

  // 3: a successful up that saw Nexla as it is leaves every declared scope as declared.
  if (outcome.ok && (operation === "up-refresh" || (operation === "up" && !m.unrefreshed))) {
    for (const d of program) {
      const placed = place(after, d);
      if (placed === undefined) fail("3", `${d.name}'s anchor is gone, yet up succeeded`);
      if (d.ignoreChanges?.includes("status") !== true) {
        const off = [...placed!.keys].filter(
          (k) => (after.get(k)!.status === "INIT" ? "PAUSED" : after.get(k)!.status) !== d.status,
        );
        if (off.length > 0)
          fail(
            "3",
            `${d.name} declares ${d.status}; ${off.map((k) => `${k} ${after.get(k)!.status}`).join(", ")}`,
          );
      }
      if (d.owner !== undefined && d.ignoreChanges?.includes("owner") !== true) {
        const want = `${d.owner.ownerId}/${d.owner.orgId}`;
        const off = [...after.entries()].filter(([, r]) => r.origin === placed!.origin && r.owner !== want);
        if (off.length > 0)
          fail("3", `${d.name} declares owner ${want}; ${off.map(([k, r]) => `${k} ${r.owner}`).join(", ")}`);
      }
    }
  }
  m.settled = outcome.ok && (operation === "up" || operation === "up-refresh");

  // 4: after a failure, a refresh stores what Nexla reports.
  if (!outcome.ok && operation !== "preview" && operation !== "refresh") {
    const refresh = await real.run("refresh", m.program);
    m.steps.push(`refresh (after the failure) → ${refresh.ok ? "ok" : "failed"}`);
    if (!refresh.ok) fail("4", `the refresh after the failure failed:\n${refresh.said.slice(-3000)}`);
    m.unrefreshed = false;
    const nexla = locate(e.control.state());
    for (const flow of await real.stored()) {
      const o = flow.outputs;
      const anchorKey = (Object.keys(anchorKinds) as AnchorKey[]).find((k) => typeof o[k] === "number");
      if (anchorKey === undefined || typeof o["anchorMovedTo"] === "number") continue;
      const placed = place(nexla, {
        anchor: { key: anchorKey, id: o[anchorKey] as number },
        scope: o["scope"] === "downstream" ? "downstream" : "flow",
      });
      if (placed === undefined || placed.origin !== o["originNodeId"]) continue;
      const statuses = new Set(
        [...placed.keys].map((k) => (nexla.get(k)!.status === "INIT" ? "PAUSED" : nexla.get(k)!.status)),
      );
      const observed = statuses.size === 1 ? [...statuses][0] : "MIXED";
      if (o["status"] !== observed)
        fail("4", `after refresh, ${flow.urn} stores ${String(o["status"])}, Nexla reports ${observed}`);
    }
  }
}

function adoptedBy(m: Model, urn: string): Set<number> {
  let set = m.adopted.get(urn);
  if (set === undefined) m.adopted.set(urn, (set = new Set()));
  return set;
}

function describeFault(f: Fault): string {
  return `${f.method ?? "*"} ${String(f.path)} ${f.drop ? "dropped" : f.status}${f.after ? " after applying" : ""}`;
}
