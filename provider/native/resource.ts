/**
 * Check, Diff, Create, Read, Update and Delete of `nexla:index:Flow`: each converts the request, calls the same
 * function of the provider runtime the dynamic Flow calls (provider/runtime.ts), and converts its answer. One
 * code path: every safety rule, refusal, restore and coalesced read of the dynamic provider holds here, because
 * it is the same code. The resource's URN goes in as the Flow's identity (struct.ts), so the release rule tells
 * the operation's Flows apart as it does for dynamic Flows.
 */
import { flowToken } from "../../src/declaration/package-schema.js";
import { changedInputs } from "../../src/declaration/state.js";
import * as runtime from "../runtime.js";
import { emptyPb, providerPb, type ProviderPb } from "./proto.js";
import { fromStruct, toStruct, withIdentity, withoutIdentity } from "./struct.js";

type Bag = Record<string, unknown>;
const { DiffChanges } = providerPb.DiffResponse;
const { PropertyDiff } = providerPb;

/** Refuses a request about any type but the Flow: the plugin serves that one resource. */
export function assertFlow(urn: string, type: string): void {
  const token = type !== "" ? type : typeOfUrn(urn);
  if (token !== flowToken)
    throw new Error(
      `pulumi-resource-nexla serves ${flowToken} only, not ${JSON.stringify(token)}. Declare the resource as ` +
        `type ${flowToken} (in Pulumi YAML, \`type: nexla:Flow\`).`,
    );
}

function typeOfUrn(urn: string): string {
  const parts = urn.split("::");
  const types = parts[parts.length - 2] ?? "";
  return types.slice(types.lastIndexOf("$") + 1);
}

export async function check(request: ProviderPb.CheckRequest): Promise<ProviderPb.CheckResponse> {
  const urn = request.getUrn();
  assertFlow(urn, request.getType());
  const olds = fromStruct(request.getOlds());
  const news = fromStruct(request.getNews());
  const result = await runtime.check(withIdentity(olds.values, urn), withIdentity(news.values, urn));
  const response = new providerPb.CheckResponse();
  response.setInputs(toStruct(withoutIdentity(result.inputs as Bag | undefined), news.secrets));
  response.setFailuresList(
    (result.failures ?? []).map((f) =>
      new providerPb.CheckFailure().setProperty(f.property).setReason(f.reason),
    ),
  );
  return response;
}

export async function diff(request: ProviderPb.DiffRequest): Promise<ProviderPb.DiffResponse> {
  const urn = request.getUrn();
  assertFlow(urn, request.getType());
  const olds = fromStruct(request.getOlds()).values;
  const news = fromStruct(request.getNews()).values;
  const { changes } = await runtime.diff(request.getId(), withIdentity(olds, urn), withIdentity(news, urn));
  const response = new providerPb.DiffResponse();
  response.setChanges(
    changes === true
      ? DiffChanges.DIFF_SOME
      : changes === false
        ? DiffChanges.DIFF_NONE
        : DiffChanges.DIFF_UNKNOWN,
  );
  // Never a replacement: a replacement deletes in Nexla, and only removing a Flow may (docs/design.md §3).
  response.setReplacesList([]);
  response.setDeletebeforereplace(false);
  // What a preview names as changed: each input compared as the model's diff compares it, with the stored
  // outputs (an observed status or owner included), so a drift shows as `status: "MIXED" => "ACTIVE"`.
  if (changes === true) {
    const keys = changedInputs(olds, news);
    response.setDiffsList(keys);
    for (const key of keys) {
      const kind = olds[key] === undefined ? PropertyDiff.Kind.ADD : PropertyDiff.Kind.UPDATE;
      response.getDetaileddiffMap().set(key, new PropertyDiff().setKind(kind).setInputdiff(false));
    }
    response.setHasdetaileddiff(keys.length > 0);
  }
  return response;
}

export async function create(request: ProviderPb.CreateRequest): Promise<ProviderPb.CreateResponse> {
  const urn = request.getUrn();
  assertFlow(urn, request.getType());
  const inputs = fromStruct(request.getProperties());
  const result = await keptInState(inputs.secrets, () => runtime.create(withIdentity(inputs.values, urn)));
  const response = new providerPb.CreateResponse();
  response.setId(result.id);
  response.setProperties(toStruct(withoutIdentity(result.outs as Bag | undefined), inputs.secrets));
  return response;
}

export async function read(request: ProviderPb.ReadRequest): Promise<ProviderPb.ReadResponse> {
  const urn = request.getUrn();
  assertFlow(urn, request.getType());
  const state = fromStruct(request.getProperties());
  const inputs = fromStruct(request.getInputs());
  const secrets = new Set([...state.secrets, ...inputs.secrets]);
  // No stored state: `pulumi import`, whose id names the flow to adopt (src/declaration/import-id.ts).
  const result =
    Object.keys(state.values).length === 0
      ? await runtime.importFlow(request.getId(), withIdentity({}, urn))
      : await runtime.read(request.getId(), withIdentity(state.values, urn));
  const response = new providerPb.ReadResponse();
  // No id: the flow is gone in Nexla, and the engine drops the resource from state.
  response.setId(result.id ?? "");
  if (result.props !== undefined)
    response.setProperties(toStruct(withoutIdentity(result.props as Bag), secrets));
  if (result.inputs !== undefined)
    response.setInputs(toStruct(withoutIdentity(result.inputs as Bag), secrets));
  return response;
}

export async function update(request: ProviderPb.UpdateRequest): Promise<ProviderPb.UpdateResponse> {
  const urn = request.getUrn();
  assertFlow(urn, request.getType());
  const olds = fromStruct(request.getOlds());
  const news = fromStruct(request.getNews());
  const secrets = new Set([...olds.secrets, ...news.secrets]);
  const result = await keptInState(secrets, () =>
    runtime.update(request.getId(), withIdentity(olds.values, urn), withIdentity(news.values, urn)),
  );
  const response = new providerPb.UpdateResponse();
  response.setProperties(toStruct(withoutIdentity(result.outs as Bag | undefined), secrets));
  return response;
}

export async function remove(request: ProviderPb.DeleteRequest): Promise<InstanceType<typeof emptyPb.Empty>> {
  const urn = request.getUrn();
  assertFlow(urn, request.getType());
  const state = fromStruct(request.getProperties());
  await runtime.delete(request.getId(), withIdentity(state.values, urn));
  return new emptyPb.Empty();
}

/**
 * Runs a create or update. The runtime's failure after adoption carries the state to keep (`id`, `properties`,
 * provider/internal/execute.ts): its properties go back like any output (server.ts sends them as
 * ErrorResourceInitFailed), identity removed and the request's secrets marked.
 */
async function keptInState<T>(secrets: ReadonlySet<string>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const e = error as { properties?: Bag };
    if (typeof e === "object" && e !== null && e.properties !== undefined)
      Object.assign(e, { properties: withoutIdentity(e.properties), secrets });
    throw error;
  }
}
