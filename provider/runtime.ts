/**
 * The Flow provider's implementation, loaded by the serialized shim (shim.ts) in the provider process. It
 * composes the Nexla client and the planner. Module state (the configured credentials and one client per
 * credential) is shared by every resource operation of the process, so the client's throttle spans them all.
 */
import type * as pulumi from "@pulumi/pulumi";
import { checkFlowInputs } from "./check.js";
import { clientFor, configureFrom } from "./internal/credentials.js";
import { deleteScope } from "./internal/delete.js";
import { adopt, reconcile } from "./internal/execute.js";
import type { FlowInputs } from "./inputs.js";
import {
  anchorFromOutputs,
  diffFlow,
  inputsFromOutputs,
  refreshedInputs,
  resourceId,
  toOutputs,
  type FlowOutputs,
} from "./state.js";
import { observe } from "../src/planner/index.js";

type Bag = Record<string, unknown>;

export async function configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
  configureFrom(request.config);
}

export async function check(_olds: Bag, news: Bag): Promise<pulumi.dynamic.CheckResult> {
  const { inputs, failures } = checkFlowInputs(news);
  return failures.length > 0 ? { inputs: news, failures } : { inputs };
}

export async function diff(_id: string, olds: Bag, news: Bag): Promise<pulumi.dynamic.DiffResult> {
  return diffFlow(olds, news);
}

export async function create(news: Bag): Promise<pulumi.dynamic.CreateResult> {
  const inputs = news as unknown as FlowInputs;
  const client = clientFor();
  const observed = await adopt(client, inputs);
  const id = resourceId(observed, inputs.scope);
  const outs = await reconcile(client, inputs, observed, id, news);
  return { id, outs: { ...outs } };
}

export async function read(id: string, props: Bag): Promise<pulumi.dynamic.ReadResult> {
  const inputs = inputsFromOutputs(props);
  const anchor = anchorFromOutputs(props);
  const response = await clientFor().tryGetFlow(anchor);
  // Gone in Nexla: no id, so Pulumi drops the resource from state (docs/pulumi.md A4).
  if (response === undefined) return {};
  const outs: FlowOutputs = toOutputs(inputs, observe(response, anchor, inputs.scope));
  return { id, props: { ...outs }, inputs: refreshedInputs(outs) };
}

export async function update(id: string, _olds: Bag, news: Bag): Promise<pulumi.dynamic.UpdateResult> {
  const inputs = news as unknown as FlowInputs;
  const client = clientFor();
  const observed = await adopt(client, inputs);
  return { outs: { ...(await reconcile(client, inputs, observed, id, news)) } };
}

export async function remove(_id: string, props: Bag): Promise<void> {
  const inputs = inputsFromOutputs(props);
  await deleteScope(clientFor(), anchorFromOutputs(props), inputs.scope);
}

export { remove as delete };
