/**
 * What the Flow resource stores: its outputs (desired inputs echoed, observed state beside them) and the
 * diff between stored outputs and new inputs. Pure.
 */
import type { Anchor, Scope } from "../src/nexla/paths.js";
import type { ObservedFlow } from "../src/planner/index.js";
import {
  anchorKeys,
  DEFAULT_CONVERGE_TIMEOUT_SECONDS,
  findAnchor,
  UNKNOWN,
  type FlowInputs,
  type OwnerInputs,
} from "./inputs.js";

type Bag = Record<string, unknown>;
type Kind = "data_source" | "data_set" | "data_sink";

export interface ObservedResourceOut {
  readonly id: number;
  readonly status: string;
  readonly ownerId: number;
  readonly orgId: number;
}

/** The Flow resource's outputs. `status` and `owner` are what Nexla reports, under the input names. */
export interface FlowOutputs extends Omit<FlowInputs, "status" | "owner"> {
  readonly status: "ACTIVE" | "PAUSED" | "MIXED";
  readonly owner?: OwnerInputs;
  readonly originNodeId: number;
  readonly anchorNodeId: number;
  readonly flowName: string | null;
  readonly flowOwner: { readonly ownerId: number; readonly orgId: number } | null;
  readonly dataSources: readonly ObservedResourceOut[];
  readonly dataSets: readonly ObservedResourceOut[];
  readonly dataSinks: readonly ObservedResourceOut[];
  readonly rateLimited: readonly number[];
}

/** The resource id: the origin node for a whole flow, `origin/anchor` for a sub-flow. */
export function resourceId(observed: ObservedFlow, scope: Scope): string {
  return scope === "flow" ? `${observed.originNodeId}` : `${observed.originNodeId}/${observed.anchorNodeId}`;
}

export function toOutputs(inputs: FlowInputs, observed: ObservedFlow): FlowOutputs {
  const of = (kind: Kind) =>
    observed.resources
      .filter((r) => r.kind === kind)
      .map(({ id, status, ownerId, orgId }) => ({ id, status, ownerId, orgId }));
  const owner = observed.owner;
  const outs: FlowOutputs = {
    ...inputs,
    status: observed.status,
    originNodeId: observed.originNodeId,
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

/** The inputs a refresh stores: the declared ones, with status and owner as Nexla reports them now. */
export function refreshedInputs(outs: FlowOutputs): Bag {
  const keep = ["scope", "convergeTimeoutSeconds", "status", "owner", ...Object.keys(anchorKeys)] as const;
  const all = outs as unknown as Bag;
  const inputs: Bag = {};
  for (const key of keep) if (all[key] !== undefined) inputs[key] = all[key];
  return inputs;
}

/**
 * Reads the inputs back from stored outputs (refresh and delete get only those), with the defaults `check`
 * would have filled in, so state written by an older version still reads.
 */
export function inputsFromOutputs(outs: Bag): FlowInputs {
  return {
    scope: "flow",
    convergeTimeoutSeconds: DEFAULT_CONVERGE_TIMEOUT_SECONDS,
    ...outs,
  } as unknown as FlowInputs;
}

export interface FlowDiff {
  readonly changes: boolean;
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
}

/** Stored outputs vs new inputs: anchor or scope → replace; status or owner → update; else nothing. */
export function diffFlow(olds: Bag, news: Bag): FlowDiff {
  const replaces = [...Object.keys(anchorKeys), "scope"].filter((key) =>
    differs(olds[key], news[key] ?? defaults[key]),
  );
  const status = differs(olds["status"], news["status"]);
  const owner = ownerDiffers(olds["owner"], news["owner"]);
  return { changes: replaces.length > 0 || status || owner, replaces, deleteBeforeReplace: false };
}

const defaults: Bag = { scope: "flow" };

function differs(old: unknown, now: unknown): boolean {
  return now === UNKNOWN || old !== now;
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
