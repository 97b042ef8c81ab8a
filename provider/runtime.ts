/**
 * The Flow provider's implementation, loaded by the serialized shim (shim.cts) in the provider process. It
 * composes the Nexla client and the planner. Module state (the configured credentials and one client per
 * credential, what each Flow of the operation declares) is shared by every resource operation of the process,
 * so the client's throttle spans them all and Flows that contradict each other are seen.
 *
 * The rules it keeps: only removing a Flow (or `destroy`) deletes anything in Nexla, never an edit; a Flow acts
 * only on the flow it adopted (`originNodeId`); a write that may have taken effect and then failed is repaired
 * or reported, and state records what Nexla reports after it.
 */
import type * as pulumi from "@pulumi/pulumi";
import { checkFlowInputs } from "../src/declaration/check.js";
import { clientFor, configureFrom, readsFor } from "./internal/credentials.js";
import { deleteScope } from "./internal/delete.js";
import { adopt, reconcile } from "./internal/execute.js";
import { anchorText, forFlow, label, log } from "./internal/log.js";
import {
  declare,
  placed,
  refuseContradictionsIn,
  refuseContradictionsStored,
  rememberStored,
  type Declared,
  type Placed,
} from "./internal/overlap.js";
import { releaseNote } from "./internal/release.js";
import { anchorOf, findAnchor, UNKNOWN, type FlowInputs } from "../src/declaration/schema.js";
import {
  anchorFromOutputs,
  diffFlow,
  inputsFromOutputs,
  movedOutputs,
  refreshedInputs,
  refreshedOutputs,
  resourceId,
} from "../src/declaration/state.js";
import { observe, type ObservedFlow } from "../src/planner/index.js";
import type { Anchor } from "../src/nexla/paths.js";
import type { FlowResponse } from "../src/nexla/types.js";

type Bag = Record<string, unknown>;

export async function configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
  configureFrom(request.config);
}

export async function check(_olds: Bag, news: Bag): Promise<pulumi.dynamic.CheckResult> {
  const { inputs, failures } = checkFlowInputs(news);
  // Declared even when another input is wrong: a Flow the program still names keeps its flow from any delete
  // of this operation (release.ts), whatever else it gets wrong.
  const declared = declaredBy(failures.length > 0 ? news : inputs);
  if (declared !== undefined) declare(declared);
  if (failures.length > 0) return { inputs: news, failures };
  return { inputs };
}

export function diff(id: string, olds: Bag, news: Bag): Promise<pulumi.dynamic.DiffResult> {
  return forFlow(news["__flowName"], () => diffIn(id, olds, news));
}

async function diffIn(_id: string, olds: Bag, news: Bag): Promise<pulumi.dynamic.DiffResult> {
  const { changes, repointed } = diffFlow(olds, news);
  if (repointed) await explainRepoint(olds, news);
  else {
    const stored = placedFromState(olds, news);
    if (stored !== undefined) refuseContradictionsStored(stored, rememberStored(stored));
  }
  return { changes };
}

export function create(news: Bag): Promise<pulumi.dynamic.CreateResult> {
  return forFlow(news["__flowName"], () => createIn(news));
}

async function createIn(news: Bag): Promise<pulumi.dynamic.CreateResult> {
  const inputs = news as unknown as FlowInputs;
  const client = clientFor();
  const { response, observed } = await adopt(readsFor(client), inputs);
  refuseContradictions(inputs, observed, response);
  const id = resourceId(observed, inputs.scope);
  const outs = await reconcile(client, inputs, observed, id, news);
  return { id, outs: { ...outs } };
}

export function read(id: string, props: Bag): Promise<pulumi.dynamic.ReadResult> {
  return forFlow(props["__flowName"], () => readIn(id, props));
}

async function readIn(id: string, props: Bag): Promise<pulumi.dynamic.ReadResult> {
  const inputs = inputsFromOutputs(props);
  const anchor = anchorFromOutputs(props);
  const response = await readsFor(clientFor()).read(anchor, { onlyRead: true });
  // Gone in Nexla: no id, so Pulumi drops the resource from state (docs/pulumi.md A4).
  if (response === undefined) return {};
  const observed = observe(response, anchor, inputs.scope);
  const pinned = adoptedFlow(props);
  if (pinned !== undefined && observed.originNodeId !== pinned) {
    log(
      `${label(anchor)}: Nexla now reports it in flow ${observed.originNodeId}, not in flow ${pinned}, which ` +
        `this Flow adopted. Nothing will be done to flow ${observed.originNodeId}: \`up\` fails on this Flow ` +
        `until it is pointed at flow ${pinned} again, or at another flow on purpose, or removed.`,
    );
    const outs = movedOutputs(props, observed.originNodeId);
    return { id, props: { ...outs }, inputs: refreshedInputs(outs) };
  }
  const outs = refreshedOutputs(props, observed);
  return { id, props: { ...outs }, inputs: refreshedInputs(outs) };
}

export function update(id: string, olds: Bag, news: Bag): Promise<pulumi.dynamic.UpdateResult> {
  return forFlow(news["__flowName"], () => updateIn(id, olds, news));
}

async function updateIn(id: string, olds: Bag, news: Bag): Promise<pulumi.dynamic.UpdateResult> {
  const inputs = news as unknown as FlowInputs;
  const client = clientFor();
  const { response, observed } = await adopt(readsFor(client), inputs);
  const pinned = adoptedFlow(olds);
  if (pinned !== undefined && observed.originNodeId !== pinned) {
    // Only a new anchor is a decision to manage another flow; the same anchor found elsewhere (a new scope
    // included) is Nexla moving it, and nothing is done to that flow.
    if (!reanchored(olds, news)) throw moved(findAnchor(olds), pinned, observed.originNodeId);
    log(released(inputs, pinned, observed));
  }
  refuseContradictions(inputs, observed, response);
  return { outs: { ...(await reconcile(client, inputs, observed, id, news)) } };
}

export function remove(_id: string, props: Bag): Promise<void> {
  const inputs = inputsFromOutputs(props);
  const name = typeof props["__flowName"] === "string" ? props["__flowName"] : "this Flow";
  return forFlow(props["__flowName"], () => {
    const client = clientFor();
    return deleteScope(client, anchorFromOutputs(props), inputs.scope, {
      adoptedFlow: adoptedFlow(props),
      reads: readsFor(client),
      keep: (response, observed, anchor, scope) => releaseNote(name, anchor, scope, response, observed),
    });
  });
}

export { remove as delete };

/** Whether the program names another anchor than the one stored. */
function reanchored(olds: Bag, news: Bag): boolean {
  const [was, now] = [findAnchor(olds), findAnchor(news)];
  return was?.kind !== now?.kind || was?.id !== now?.id;
}

/** The flow a Flow adopted: its origin node, as stored at the last create, update or refresh. */
function adoptedFlow(stored: Bag): number | undefined {
  const origin = stored["originNodeId"];
  return typeof origin === "number" ? origin : undefined;
}

function moved(anchor: Anchor | undefined, pinned: number, now: number): Error {
  const subject = anchor === undefined ? "its anchor" : anchorText(anchor);
  return new Error(
    `This Flow adopted flow ${pinned}, but Nexla now reports ${subject} in flow ${now}. Nothing was done to ` +
      `flow ${now} or to flow ${pinned}. Point the Flow at a resource of flow ${pinned} again; to manage flow ` +
      `${now} instead, change the anchor on purpose (e.g. flowId: ${now}: flow ${pinned} is then released, ` +
      "left as it is); or remove the Flow (`pulumi destroy` deletes nothing outside the flow it adopted).",
  );
}

function released(inputs: FlowInputs, pinned: number, observed: ObservedFlow): string {
  return (
    `flow ${pinned} is released — left in Nexla exactly as it is — and this Flow manages ` +
    `flow ${observed.originNodeId} from now on (anchor ${anchorText(anchorOf(inputs))}). Nothing is deleted.`
  );
}

/** Says, in preview and up, what a new anchor or scope does: an in-place change, or a release. */
async function explainRepoint(olds: Bag, news: Bag): Promise<void> {
  const to = findAnchor(news);
  const pinned = adoptedFlow(olds);
  if (to === undefined || pinned === undefined) {
    log(
      `the anchor is not known yet; the update reads it and changes this Flow in place. An edit ` +
        "never deletes anything in Nexla.",
    );
    return;
  }
  // A single GET, never a batch: diff runs in the engine's step generation, one resource at a time, and a
  // read held for queued writes would hold up every step after it (reads.ts).
  const origin = await clientFor()
    .tryGetFlow(to)
    .then(
      (response) => (response === undefined ? "missing" : observe(response, to, "flow").originNodeId),
      () => "unreadable" as const,
    );
  if (origin === pinned) {
    log(
      `now anchored on ${anchorText(to)} in the same flow ${pinned}: an in-place change; nothing is deleted.`,
    );
  } else if (typeof origin === "number" && !reanchored(olds, news)) {
    log(
      `Nexla now reports ${anchorText(to)} in flow ${origin}, not in flow ${pinned}, which this Flow adopted: ` +
        `the update will refuse, and nothing is done to flow ${origin}.`,
    );
  } else if (typeof origin === "number") {
    log(
      `${anchorText(to)} is in flow ${origin}: flow ${pinned} will be released — left in Nexla ` +
        `exactly as it is — and this Flow will manage flow ${origin}. Nothing is deleted.`,
    );
  } else {
    log(
      `${anchorText(to)} could not be read now (${origin}); the update reads it again. An edit never ` +
        `deletes anything in Nexla: flow ${pinned} is left as it is if the new anchor is in another flow.`,
    );
  }
}

function refuseContradictions(inputs: FlowInputs, observed: ObservedFlow, response: FlowResponse): void {
  const declared = declaredBy(inputs as unknown as Bag);
  if (declared !== undefined) refuseContradictionsIn(placed(declared, observed), response);
}

/**
 * What a Flow declares, from its inputs; undefined while its name or anchor is not known. It is identified by
 * its URN; a program of an older version of this package sends the name only.
 */
function declaredBy(inputs: Bag): Declared | undefined {
  const name = inputs["__flowName"];
  const urn = inputs["__flowUrn"];
  const anchor = findAnchor(inputs);
  if (typeof name !== "string" || anchor === undefined) return undefined;
  const owner = inputs["owner"] as { ownerId?: unknown; orgId?: unknown } | undefined;
  const ownerPair =
    typeof owner?.ownerId === "number" && typeof owner.orgId === "number"
      ? { ownerId: owner.ownerId, orgId: owner.orgId }
      : undefined;
  return {
    urn: typeof urn === "string" && urn !== UNKNOWN ? urn : name,
    name,
    anchor,
    scope: inputs["scope"] === "downstream" ? "downstream" : "flow",
    status: String(inputs["status"]),
    owner: ownerPair,
  };
}

/** A Flow placed from its stored outputs, when the new inputs keep its anchor and scope. */
function placedFromState(olds: Bag, news: Bag): Placed | undefined {
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
