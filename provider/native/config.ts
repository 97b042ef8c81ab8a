/**
 * The provider's configuration in the native plugin: CheckConfig names every problem (the declaration model's
 * checkProviderConfig) and marks the credentials secret; DiffConfig says which keys changed and never asks for
 * a replacement (a new credential or URL reconfigures the process; replacing the provider would replace every
 * Flow, and a replacement deletes); Configure applies the config through the runtime's own `configure`, the
 * environment variables of Nexla's SDKs standing in for any key not set (provider/internal/credentials.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import {
  checkProviderConfig,
  configNames,
  packageName,
  providerConfig,
  qualified,
} from "../../src/declaration/config.js";
import { UNKNOWN } from "../../src/declaration/schema.js";
import { configure } from "../runtime.js";
import { providerPb, type ProviderPb } from "./proto.js";
import { fromStruct, toStruct } from "./struct.js";

export function checkConfig(request: ProviderPb.CheckRequest): ProviderPb.CheckResponse {
  const { values, secrets } = fromStruct(request.getNews());
  const failures = checkProviderConfig(values, process.env);
  const secret = new Set([...secrets, ...configNames.filter((name) => providerConfig[name].secret)]);
  const response = new providerPb.CheckResponse();
  response.setInputs(toStruct(values, secret));
  response.setFailuresList(
    failures.map((f) => new providerPb.CheckFailure().setProperty(f.property).setReason(f.reason)),
  );
  return response;
}

export function diffConfig(request: ProviderPb.DiffRequest): ProviderPb.DiffResponse {
  const olds = fromStruct(request.getOlds()).values;
  const news = fromStruct(request.getNews()).values;
  const set = (value: unknown) => (value === "" || value === null ? undefined : value);
  const changed = configNames.filter((name) => news[name] === UNKNOWN || set(olds[name]) !== set(news[name]));
  const response = new providerPb.DiffResponse();
  response.setChanges(
    changed.length > 0
      ? providerPb.DiffResponse.DiffChanges.DIFF_SOME
      : providerPb.DiffResponse.DiffChanges.DIFF_NONE,
  );
  response.setDiffsList(changed);
  response.setReplacesList([]);
  response.setDeletebeforereplace(false);
  return response;
}

export async function configureFromRequest(
  request: ProviderPb.ConfigureRequest,
): Promise<ProviderPb.ConfigureResponse> {
  const { values } = fromStruct(request.getArgs());
  const variables = request.getVariablesMap();
  const config = new Map<string, string>();
  for (const name of configNames) {
    // `args` holds the provider's inputs; older engines sent only `variables`, keyed `nexla:config:apiUrl`.
    const value = values[name] ?? variables.get(`${packageName}:config:${name}`);
    if (typeof value === "string" && value !== "") config.set(qualified(name), value);
  }
  const source: pulumi.dynamic.Config = {
    get: (key) => config.get(key),
    require: (key) => {
      const value = config.get(key);
      if (value === undefined) throw new Error(`The provider config ${key} is not set.`);
      return value;
    },
  };
  await configure({ config: source });
  const response = new providerPb.ConfigureResponse();
  // Secrets come in marked and go back marked (struct.ts). Previews get no create or update: the engine
  // previews them from the inputs, as it does for the dynamic provider (docs/pulumi.md C2).
  response.setAcceptsecrets(true);
  response.setSupportspreview(false);
  response.setAcceptresources(false);
  response.setAcceptoutputs(false);
  return response;
}
