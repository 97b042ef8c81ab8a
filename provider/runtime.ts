/**
 * The Flow provider's implementation, loaded by the serialized shim (shim.cts) in the provider process. It
 * composes the Nexla client and the planner. Module state (the configured credentials and one client per
 * credential, what each Flow of the operation declares) is shared by every resource operation of the process,
 * so the client's throttle spans them all and Flows that contradict each other are seen.
 *
 * The rules it keeps: only removing a Flow (or `destroy`) deletes anything in Nexla, never an edit, and a delete
 * never touches what another Flow of the operation declares (release.ts); a Flow acts only on the flow it
 * adopted (`originNodeId`); a write that may have taken effect and then failed is repaired or reported, and
 * state records what Nexla reports after it.
 */
import type * as pulumi from "@pulumi/pulumi";
import { checkedInputs, checkFlowInputs } from "../src/declaration/check.js";
import { clientFor, configureFrom, readsFor } from "./internal/credentials.js";
import { adoptForImport } from "./internal/adopt.js";
import { deleteScope } from "./internal/delete.js";
import { readScope, reconcile } from "./internal/execute.js";
import { forFlow, label, log } from "./internal/log.js";
import { tracked } from "./internal/operations.js";
import {
  declare,
  declaredBy,
  isDeclared,
  placed,
  placedFromState,
  refuseContradictionsIn,
  refuseContradictionsStored,
  rememberStored,
} from "./internal/overlap.js";
import { releaseNote } from "./internal/release.js";
import { dynamicHostEngine, shareWith } from "./internal/shared-declarations.js";
import { explainRepoint, moved, reanchored, released } from "./internal/repoint.js";
import { findAnchor, type FlowInputs } from "../src/declaration/schema.js";
import {
  adoptedFlow,
  anchorFromOutputs,
  diffFlow,
  inputsFromOutputs,
  lastOwner,
  movedOutputs,
  refreshedInputs,
  refreshedOutputs,
  resourceId,
} from "../src/declaration/state.js";
import { observe, type ObservedFlow } from "../src/planner/index.js";
import type { FlowResponse } from "../src/nexla/types.js";

type Bag = Record<string, unknown>;

// In the dynamic provider's host, share declarations with the operation's native nexla plugins (release.ts).
const dynamicEngine = dynamicHostEngine();
if (dynamicEngine !== undefined) shareWith(dynamicEngine);

/**
 * Runs one step the engine asked for (create, read, update, delete) on the Flow named `name`: every line it
 * logs names that Flow, and coalesced reads count it as in progress (operations.ts).
 */
function operation<T>(name: unknown, work: () => Promise<T>): Promise<T> {
  return forFlow(name, () => tracked(work));
}

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
  // Not counted in progress: the engine diffs while it generates steps, not as one of the steps it runs at
  // once, and a diff never waits in a batch of reads (repoint.ts reads with a single GET).
  return forFlow(news["__flowName"], () => diffIn(id, olds, news));
}

async function diffIn(_id: string, olds: Bag, news: Bag): Promise<pulumi.dynamic.DiffResult> {
  const { changes, repointed } = diffFlow(olds, news);
  if (repointed) await explainRepoint(olds, news);
  else {
    // Only what the program declares is judged: the engine also diffs in a refresh, which runs no program and
    // must store what Nexla reports even when the stack's stored Flows contradict each other.
    const stored = placedFromState(olds, news);
    if (stored !== undefined && isDeclared(stored.urn))
      refuseContradictionsStored(stored, rememberStored(stored));
  }
  return { changes };
}

export function create(news: Bag): Promise<pulumi.dynamic.CreateResult> {
  return operation(news["__flowName"], () => createIn(news));
}

async function createIn(news: Bag): Promise<pulumi.dynamic.CreateResult> {
  const inputs = checkedInputs(news);
  const client = clientFor();
  const { response, observed } = await readScope(readsFor(client), inputs, inputs.owner?.ownerId);
  refuseContradictions(inputs, observed, response);
  const id = resourceId(observed, inputs.scope);
  const outs = await reconcile(client, inputs, observed, id, news);
  return { id, outs: { ...outs } };
}

export function read(id: string, props: Bag): Promise<pulumi.dynamic.ReadResult> {
  return operation(props["__flowName"], () => readIn(id, props));
}

async function readIn(id: string, props: Bag): Promise<pulumi.dynamic.ReadResult> {
  const inputs = inputsFromOutputs(props);
  const anchor = anchorFromOutputs(props);
  const response = await readsFor(clientFor()).read(anchor, { onlyRead: true, ownerId: lastOwner(props) });
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

/**
 * `pulumi import`: a read with no stored state adopts the flow the import id names, writing nothing
 * (internal/adopt.ts). The native plugin calls it; a dynamic provider cannot be imported (docs/pulumi.md A4).
 */
export function importFlow(importId: string, identity: Bag): Promise<pulumi.dynamic.ReadResult> {
  return operation(identity["__flowName"], async () => {
    const adopted = await adoptForImport(readsFor(clientFor()), importId);
    return { id: adopted.id, props: { ...adopted.outputs }, inputs: adopted.inputs };
  });
}

export function update(id: string, olds: Bag, news: Bag): Promise<pulumi.dynamic.UpdateResult> {
  return operation(news["__flowName"], () => updateIn(id, olds, news));
}

async function updateIn(id: string, olds: Bag, news: Bag): Promise<pulumi.dynamic.UpdateResult> {
  const inputs = checkedInputs(news);
  const client = clientFor();
  const { response, observed } = await readScope(readsFor(client), inputs, lastOwner(olds));
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
  return operation(props["__flowName"], () => {
    const client = clientFor();
    return deleteScope(client, anchorFromOutputs(props), inputs.scope, {
      adoptedFlow: adoptedFlow(props),
      reads: readsFor(client),
      ownerId: lastOwner(props),
      keep: (response, observed, anchor, scope) => releaseNote(name, anchor, scope, response, observed),
    });
  });
}

export { remove as delete };

function refuseContradictions(inputs: FlowInputs, observed: ObservedFlow, response: FlowResponse): void {
  const declared = declaredBy(inputs as unknown as Bag);
  if (declared !== undefined) refuseContradictionsIn(placed(declared, observed), response);
}
