/**
 * Runs the planner's steps against Nexla, then confirms: the last write's answer (the whole flow) when it
 * already shows the declared state, else polls until every resource in scope reports it (docs/design.md §3,
 * "Converge, then confirm"). A failure after adoption keeps the resource
 * in state with what Nexla reports (the error carries `id` and `properties`, docs/pulumi.md A1) and says
 * which steps ran and which did not.
 */
import { describeCall, flowCall, type Anchor, type Scope } from "../../src/nexla/paths.js";
import type { FlowResponse, NexlaClient } from "../../src/nexla/index.js";
import {
  observe,
  ownerText,
  plan,
  reached,
  renderPlan,
  shortfall,
  type Desired,
  type ObservedFlow,
  type Step,
} from "../../src/planner/index.js";
import { anchorOf, type FlowInputs } from "../../src/declaration/schema.js";
import { toOutputs, type FlowOutputs } from "../../src/declaration/state.js";
import { clock as systemClock, label, log, type Clock } from "./log.js";
import type { FlowReads } from "./reads.js";

type Bag = Record<string, unknown>;

/**
 * Reads the flow a Flow resource manages (the whole flow: Nexla renders it from its origin whatever the
 * anchor) and observes its scope: the read of `create`, which adopts it, and of `update`. Flow manages
 * existing flows; it never creates one. `ownerId`: who owned the flow when last seen, if known, for the list
 * likely to show it (reads.ts).
 */
export async function readScope(
  reads: FlowReads,
  inputs: FlowInputs,
  ownerId?: number,
): Promise<{ response: FlowResponse; observed: ObservedFlow }> {
  const anchor = anchorOf(inputs);
  const response = await reads.read(anchor, { ownerId });
  if (response === undefined) {
    throw new Error(
      `Could not adopt ${label(anchor)} (${describeCall(flowCall(anchor, "get", inputs.scope))}): Nexla has no ` +
        "such flow. Flow manages flows that already exist in Nexla: create the flow there first, then declare " +
        "it here with its id.",
    );
  }
  return { response, observed: observe(response, anchor, inputs.scope) };
}

export function desiredOf(inputs: FlowInputs): Desired {
  return inputs.owner === undefined
    ? { status: inputs.status }
    : { status: inputs.status, owner: inputs.owner };
}

/** Runs one step; activate, pause and change owner answer with the whole flow (docs/nexla-api.md §2.3). */
export async function runStep(
  client: NexlaClient,
  step: Step,
  anchor: Anchor,
  scope: Scope,
): Promise<FlowResponse | undefined> {
  if (step.action === "activate") return client.activate(anchor, scope);
  if (step.action === "pause") return client.pause(anchor, scope);
  if (step.action === "delete") return void (await client.deleteFlow(anchor, scope));
  if (step.call.body !== undefined) return client.changeOwner(anchor, step.call.body);
  return undefined;
}

/**
 * The last write's own answer as the first confirmation: Nexla renders the whole flow after the write, so
 * when it already shows the declared state no read follows. Undefined when it does not (yet), or cannot be
 * read as this Flow's scope; then `converge` polls.
 */
export function confirmedBy(
  answer: FlowResponse | undefined,
  inputs: FlowInputs,
  anchor: Anchor,
): ObservedFlow | undefined {
  if (answer === undefined) return undefined;
  try {
    const observed = observe(answer, anchor, inputs.scope);
    return reached(observed, desiredOf(inputs)) ? observed : undefined;
  } catch {
    return undefined;
  }
}

/** Plans, runs and confirms; returns the outputs to store. */
export async function reconcile(
  client: NexlaClient,
  inputs: FlowInputs,
  observed: ObservedFlow,
  id: string,
  news: Bag,
): Promise<FlowOutputs> {
  const anchor = anchorOf(inputs);
  const done: Step[] = [];
  let steps: Step[] = [];
  try {
    steps = plan(desiredOf(inputs), observed, anchor, inputs.scope);
    for (const line of renderPlan(steps)) log(`${label(anchor)}: ${line}`);
    let answer: FlowResponse | undefined;
    for (const step of steps) {
      answer = await runStep(client, step, anchor, inputs.scope);
      done.push(step);
    }
    const confirmed =
      steps.length === 0
        ? observed
        : (confirmedBy(answer, inputs, anchor) ?? (await converge(client, inputs, anchor)));
    return toOutputs(inputs, confirmed);
  } catch (error) {
    throw await keepInState(client, inputs, anchor, observed, { id, news, steps, done, error });
  }
}

interface Failure {
  readonly id: string;
  readonly news: Bag;
  readonly steps: readonly Step[];
  readonly done: readonly Step[];
  readonly error: unknown;
}

/** The error the engine turns into "created/updated with errors": the resource stays in state. */
async function keepInState(
  client: NexlaClient,
  inputs: FlowInputs,
  anchor: Anchor,
  before: ObservedFlow,
  failure: Failure,
): Promise<Error> {
  const { steps, done, error } = failure;
  const message = error instanceof Error ? error.message : String(error);
  const failed = steps[done.length];
  const account =
    steps.length === 0
      ? ""
      : ` Calls made: ${list(done)}; failed: ${failed ? describeCall(failed.call) : "none"}; not made: ${list(steps.slice(done.length + 1))}.`;
  // State records what Nexla reports after the failure. When it cannot be read, the reading from before the
  // calls would be a guess: the status is stored as UNKNOWN, which the next `up` or refresh reads afresh.
  const now = await client.tryGetFlow(anchor).then(
    (response) => (response === undefined ? undefined : observe(response, anchor, inputs.scope)),
    () => undefined,
  );
  const outputs: FlowOutputs =
    now === undefined ? { ...toOutputs(inputs, before), status: "UNKNOWN" } : toOutputs(inputs, now);
  const properties = { ...outputs, __provider: failure.news["__provider"] };
  // The engine shows an init failure by its `reasons`, not its message (grpcResponseFromError in the shim).
  const full = message + account;
  return Object.assign(new Error(full, { cause: error }), { id: failure.id, properties, reasons: [full] });
}

function list(steps: readonly Step[]): string {
  return steps.length === 0 ? "none" : steps.map((s) => describeCall(s.call)).join(", ");
}

/** Polls with capped backoff until Nexla reports the declared state, or the user's timeout passes. */
export async function converge(
  client: NexlaClient,
  inputs: FlowInputs,
  anchor: Anchor,
  clock: Clock = systemClock,
): Promise<ObservedFlow> {
  const desired = desiredOf(inputs);
  const started = clock.now();
  const deadline = started + inputs.convergeTimeoutSeconds * 1000;
  let last: ObservedFlow | undefined;
  for (let delay = 100; ; delay = Math.min(delay * 2, 5000)) {
    const response = await client.tryGetFlow(anchor);
    // A 404 right after a write is eventual consistency, not a deleted flow, for a few seconds.
    if (response === undefined && clock.now() - started > GONE_AFTER_MS) {
      throw new Error(gone(anchor, Math.round((clock.now() - started) / 1000)));
    }
    if (response !== undefined) {
      last = observe(response, anchor, inputs.scope);
      if (reached(last, desired)) return last;
    }
    if (clock.now() + delay > deadline) break;
    await clock.sleep(delay);
  }
  throw new Error(notConverged(anchor, inputs, desired, last));
}

/** How long 404s right after a write are taken for eventual consistency before the flow counts as gone. */
const GONE_AFTER_MS = 10_000;

function gone(anchor: Anchor, seconds: number): string {
  return (
    `Could not confirm ${label(anchor)}: Nexla accepted the calls, but for ${seconds} s after them it no ` +
    "longer finds the flow. Run `pulumi refresh` to see what is left."
  );
}

function notConverged(anchor: Anchor, inputs: FlowInputs, desired: Desired, last?: ObservedFlow): string {
  const head = `Could not confirm ${label(anchor)}: Nexla accepted the calls, but after ${inputs.convergeTimeoutSeconds} s`;
  if (last === undefined)
    return `${head} it has not answered with the flow. Run \`pulumi refresh\` to see what is left.`;
  const short = shortfall(last, desired);
  const behind = short.resources.map((r) => `${r.kind} ${r.id} is ${r.status}`);
  if (short.owner) behind.push(`owner is not yet ${ownerText(short.owner)}`);
  return (
    `${head} ${behind.join(", ")} (desired ${desired.status}). Check the flow in Nexla, or raise ` +
    "convergeTimeoutSeconds if it settles slowly."
  );
}
