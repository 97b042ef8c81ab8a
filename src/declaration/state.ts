/**
 * What the Flow resource stores: its outputs (desired inputs echoed, observed state beside them) and the
 * diff between stored outputs and new inputs. Pure.
 */
import type { Anchor, Scope } from "../nexla/paths.js";
import type { ObservedFlow } from "../planner/index.js";
import {
  findAnchor,
  flowInputs,
  type flowOutputs,
  inputDefaults,
  inputNames,
  storedEngineKeys,
  UNKNOWN,
  type FlowInputs,
  type FlowStatus,
  type InputName,
  type InputSpec,
  type OutputName,
  type OutputValueOf,
  type Same,
  type ObservedFlowStatus,
  type OwnerInputs,
} from "./schema.js";

type Bag = Record<string, unknown>;
type Kind = "data_source" | "data_set" | "data_sink";

export interface ObservedResourceOut {
  readonly id: number;
  /** The flow node that holds the resource. */
  readonly flowNodeId: number;
  readonly status: string;
  readonly ownerId: number;
  readonly orgId: number;
}

/**
 * The Flow resource's outputs. `status` and `owner` are what Nexla reports, under the input names; `status`
 * is `UNKNOWN` when a write failed and Nexla could not be read after it (the next `up` or refresh reads it).
 */
export interface FlowOutputs extends Omit<FlowInputs, "status" | "owner"> {
  readonly status: ObservedFlowStatus;
  /**
   * The status stored as this Flow's input: the one declared at the last `up`, or the one a refresh found
   * (a refresh that finds the scope MIXED keeps the declared one: MIXED is nothing a program can declare).
   */
  readonly declaredStatus: FlowStatus;
  readonly owner?: OwnerInputs;
  /** The flow this Flow adopted (its origin node): a Flow never acts on another flow. */
  readonly originNodeId: number;
  /**
   * Set by a refresh that finds the anchor in another flow (the origin node of that flow): nothing is done to
   * that flow, and `up` fails until the Flow is pointed at its own flow again or removed.
   */
  readonly anchorMovedTo: number | null;
  readonly anchorNodeId: number;
  readonly flowName: string | null;
  readonly flowOwner: { readonly ownerId: number; readonly orgId: number } | null;
  readonly dataSources: readonly ObservedResourceOut[];
  readonly dataSets: readonly ObservedResourceOut[];
  readonly dataSinks: readonly ObservedResourceOut[];
  readonly rateLimited: readonly number[];
}

// The outputs' type names exactly the inputs and the outputs of schema.ts, and each output holds the value its
// kind and presence there say (a compile error otherwise): the package schema is generated from those.
type ModelOutputs = { readonly [K in OutputName]: OutputValueOf<(typeof flowOutputs)[K]> };
const outputsFollowSchema: [
  Same<keyof FlowOutputs, InputName | OutputName>,
  Same<{ readonly [K in OutputName]: FlowOutputs[K] }, ModelOutputs>,
] = [true, true];
void outputsFollowSchema;

/** The resource id: the origin node for a whole flow, `origin/anchor` for a sub-flow. */
export function resourceId(observed: ObservedFlow, scope: Scope): string {
  return scope === "flow" ? `${observed.originNodeId}` : `${observed.originNodeId}/${observed.anchorNodeId}`;
}

export function toOutputs(inputs: FlowInputs, observed: ObservedFlow): FlowOutputs {
  const of = (kind: Kind) =>
    observed.resources
      .filter((r) => r.kind === kind)
      .map(({ id, flowNodeId, status, ownerId, orgId }) => ({ id, flowNodeId, status, ownerId, orgId }));
  const owner = observed.owner;
  const outs: FlowOutputs = {
    ...inputs,
    status: observed.status,
    declaredStatus: inputs.status,
    originNodeId: observed.originNodeId,
    anchorMovedTo: null,
    anchorNodeId: observed.anchorNodeId,
    flowName: observed.name,
    flowOwner: owner ? { ownerId: owner.ownerId, orgId: owner.orgId } : null,
    dataSources: of("data_source"),
    dataSets: of("data_set"),
    dataSinks: of("data_sink"),
    rateLimited: observed.rateLimited.map((r) => r.id),
  };
  // Ownership as observed, with the include flags as declared: Nexla does not report them. A flow whose
  // resources have different owners has no single owner: the key is left out, so the next diff plans a change.
  if (inputs.owner === undefined || owner === undefined) return withoutOwner(outs);
  return { ...outs, owner: { ...inputs.owner, ownerId: owner.ownerId, orgId: owner.orgId } };
}

function withoutOwner(outs: FlowOutputs): FlowOutputs {
  const { owner: _declared, ...rest } = outs;
  return rest;
}

/**
 * The outputs of a refresh that read `observed`: the status stored as input becomes the observed one when a
 * program could declare it (ACTIVE or PAUSED); a MIXED scope keeps the status stored before.
 */
export function refreshedOutputs(stored: Bag, observed: ObservedFlow): FlowOutputs {
  const origin = observed.flowResources[0]?.status === "ACTIVE" ? "ACTIVE" : "PAUSED";
  const declaredStatus = observed.status === "MIXED" ? storedStatus(stored, origin) : observed.status;
  return toOutputs({ ...inputsFromOutputs(stored), status: declaredStatus }, observed);
}

/**
 * The outputs of a refresh that found the anchor in flow `movedTo`, not in the flow the Flow adopted: what
 * was stored, marked, since nothing can be observed of the adopted flow through that anchor.
 */
export function movedOutputs(stored: Bag, movedTo: number): FlowOutputs {
  const declaredStatus = storedStatus(stored, "ACTIVE");
  return { ...(stored as unknown as FlowOutputs), declaredStatus, anchorMovedTo: movedTo };
}

/**
 * The status stored as input before. State written before `declaredStatus` existed has only the observed
 * status; when that was MIXED too, `fallback` (Nexla's own flow status: its origin's) stands in.
 */
function storedStatus(stored: Bag, fallback: "ACTIVE" | "PAUSED"): "ACTIVE" | "PAUSED" {
  for (const value of [stored["declaredStatus"], stored["status"]])
    if (value === "ACTIVE" || value === "PAUSED") return value;
  return fallback;
}

/**
 * The inputs a refresh stores: every input (and the Flow's name) as stored, with status and owner as Nexla
 * reports them now — the status as `declaredStatus`, never MIXED.
 */
export function refreshedInputs(outs: FlowOutputs): Bag {
  const all = outs as unknown as Bag;
  const inputs: Bag = {};
  for (const key of [...inputNames, ...storedEngineKeys]) if (all[key] !== undefined) inputs[key] = all[key];
  return { ...inputs, status: outs.declaredStatus };
}

/**
 * Reads the inputs back from stored outputs (refresh and delete get only those), with the defaults `check`
 * would have filled in, so state written by an older version still reads.
 */
export function inputsFromOutputs(outs: Bag): FlowInputs {
  return { ...inputDefaults, ...outs } as unknown as FlowInputs;
}

export interface FlowDiff {
  readonly changes: boolean;
  /** The anchor or scope changed: the update re-reads which flow the Flow points at. */
  readonly repointed: boolean;
}

/**
 * Stored outputs vs new inputs, each input by what its change does (schema.ts, `onChange`). Every change is
 * an update, never a replacement: a replacement would delete the old flow (or sub-flow) in Nexla, and only
 * removing a Flow may delete. A new anchor or scope is re-read by the update; status or owner differing from
 * what Nexla reports is an update; so is a stored input that changed (the update stores it); an anchor a
 * refresh found in another flow is an update too, which refuses to act (`up` must not pass it by as in sync).
 */
export function diffFlow(olds: Bag, news: Bag): FlowDiff {
  const keys = changedInputs(olds, news);
  const repointed = keys.some((key) => flowInputs[key].onChange === "repoint");
  const moved = typeof olds["anchorMovedTo"] === "number";
  return { changes: keys.length > 0 || moved, repointed };
}

/**
 * The inputs whose change makes `diffFlow` see an update, each compared as its `onChange` says: what a preview
 * names as changed (the native plugin's Diff answers with them; a dynamic provider cannot, docs/pulumi.md A1).
 */
export function changedInputs(olds: Bag, news: Bag): InputName[] {
  return inputNames.filter((key) => {
    const spec: InputSpec = flowInputs[key];
    if (spec.onChange === "observed" && spec.type.kind === "owner") return ownerDiffers(olds[key], news[key]);
    if (spec.onChange === "observed") return differs(olds[key], news[key]);
    const fallback = inputDefaults[key];
    return differs(JSON.stringify(olds[key] ?? fallback), JSON.stringify(news[key] ?? fallback), news[key]);
  });
}

function differs(old: unknown, now: unknown, raw: unknown = now): boolean {
  return raw === UNKNOWN || old !== now;
}

function ownerDiffers(old: unknown, now: unknown): boolean {
  if (now === undefined || now === null) return false; // ownership not managed
  if (now === UNKNOWN || typeof old !== "object" || old === null) return true;
  const [o, n] = [old as Bag, now as Bag];
  return differs(o["ownerId"], n["ownerId"]) || differs(o["orgId"], n["orgId"]);
}

export function anchorFromOutputs(outs: Bag): Anchor {
  const anchor = findAnchor(outs);
  if (anchor !== undefined) return anchor;
  throw new Error(
    "This Flow's stored state names no anchor (flowId, dataSourceId, dataSetId or dataSinkId). " +
      "Run `pulumi refresh`, or remove it from the state with `pulumi state delete` and declare it again.",
  );
}

/** The flow a Flow adopted: its origin node, as stored at the last create, update or refresh. */
export function adoptedFlow(stored: Readonly<Bag>): number | undefined {
  const origin = stored["originNodeId"];
  return typeof origin === "number" ? origin : undefined;
}

/** Who owned the flow when this Flow last saw it (its stored `flowOwner`), or undefined. */
export function lastOwner(stored: Readonly<Bag>): number | undefined {
  const owner = stored["flowOwner"];
  if (typeof owner !== "object" || owner === null) return undefined;
  const id = (owner as Bag)["ownerId"];
  return typeof id === "number" ? id : undefined;
}
