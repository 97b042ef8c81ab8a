/**
 * The provider's configuration, described once and free of Pulumi: each key of the `nexla` config namespace,
 * the environment variable of Nexla's own SDKs it stands for (the fallback when it is not set), whether it is a
 * secret, and its words. The dynamic provider's `configure` (provider/internal/credentials.ts), the native
 * plugin's CheckConfig and Configure, and the package schema (package-schema.ts) all derive from here.
 */
import { checkBaseUrl } from "../nexla/internal/base-url.js";
import { isNexlaError } from "../nexla/errors.js";
import type { CheckFailure } from "./check.js";
import { suggest } from "./suggest.js";

export interface ConfigSpec {
  /** The environment variable read when the key is not set. */
  readonly env: string;
  /** Stored encrypted in state and config; never in a message or a log line. */
  readonly secret: boolean;
  readonly doc: string;
}

export const providerConfig = {
  apiUrl: {
    env: "NEXLA_API_URL",
    secret: false,
    doc:
      "Nexla's API base URL, e.g. `https://dataops.nexla.io/nexla-api` (the default). Plain http only to a " +
      "loopback host, unless `NEXLA_ALLOW_INSECURE_HTTP=1` is set. Falls back to `NEXLA_API_URL`.",
  },
  serviceKey: {
    env: "NEXLA_SERVICE_KEY",
    secret: true,
    doc:
      "A Nexla service key, exchanged for session tokens that are renewed automatically: the credential for " +
      "automation. Set it as a secret. Falls back to `NEXLA_SERVICE_KEY`. Set this or `accessToken`, not both.",
  },
  accessToken: {
    env: "NEXLA_ACCESS_TOKEN",
    secret: true,
    doc:
      "A Nexla session token (it expires and is not renewed). Set it as a secret. Falls back to " +
      "`NEXLA_ACCESS_TOKEN`. Set this or `serviceKey`, not both.",
  },
} as const satisfies Record<string, ConfigSpec>;

export type ConfigName = keyof typeof providerConfig;
export const configNames = Object.keys(providerConfig) as ConfigName[];

/** The package's name: the namespace of its config keys (`nexla:apiUrl`) and of its type tokens. */
export const packageName = "nexla";

/** Keys the engine itself adds to a provider's inputs: not the user's, never refused. */
const engineConfigKeys = ["version", "pluginDownloadURL"];

/**
 * Every problem with a provider configuration at once (the provider's inputs: config keys without the
 * namespace, values already decrypted), one failure per property. `env` supplies the fallbacks, so a missing
 * credential is only a problem when the environment has none either.
 */
export function checkProviderConfig(
  config: Readonly<Record<string, unknown>>,
  env: NodeJS.ProcessEnv = process.env,
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const key of Object.keys(config)) {
    if ((configNames as string[]).includes(key) || engineConfigKeys.includes(key)) continue;
    const hint = suggest(key, configNames);
    failures.push({
      property: key,
      reason:
        `Unknown provider config "${packageName}:${key}". ` +
        (hint
          ? `Did you mean "${packageName}:${hint}"?`
          : `Known keys: ${configNames.map(qualified).join(", ")}.`),
    });
  }
  const value = (name: ConfigName): string | undefined => {
    const raw = config[name];
    if (raw === undefined || raw === null || raw === "") return undefined;
    if (typeof raw === "string") return raw;
    failures.push({ property: name, reason: `${qualified(name)} must be a string, got a ${typeof raw}.` });
    return undefined;
  };
  const [apiUrl, serviceKey, accessToken] = [value("apiUrl"), value("serviceKey"), value("accessToken")];
  if (apiUrl !== undefined) failures.push(...checkApiUrl(apiUrl, env));
  if (serviceKey !== undefined && accessToken !== undefined) {
    const reason =
      `Both ${qualified("serviceKey")} and ${qualified("accessToken")} are set. Set only one: a service key is ` +
      "best for automation, because its session tokens are renewed automatically.";
    failures.push({ property: "serviceKey", reason }, { property: "accessToken", reason });
  }
  const fromEnv = (name: ConfigName) => (env[providerConfig[name].env] ?? "") !== "";
  if (
    serviceKey === undefined &&
    accessToken === undefined &&
    !fromEnv("serviceKey") &&
    !fromEnv("accessToken")
  ) {
    failures.push({
      property: "serviceKey",
      reason:
        `No Nexla credentials: set ${qualified("serviceKey")} (or ${qualified("accessToken")}) as a secret, e.g. ` +
        `\`pulumi config set --secret ${qualified("serviceKey")} <key>\`, or NEXLA_SERVICE_KEY (or ` +
        "NEXLA_ACCESS_TOKEN) in the environment of `pulumi`.",
    });
  }
  return failures;
}

function checkApiUrl(apiUrl: string, env: NodeJS.ProcessEnv): CheckFailure[] {
  const insecure = ["1", "true"].includes(env["NEXLA_ALLOW_INSECURE_HTTP"] ?? "");
  try {
    checkBaseUrl(apiUrl, insecure, qualified("apiUrl"));
    return [];
  } catch (error) {
    if (!isNexlaError(error)) throw error;
    return [{ property: "apiUrl", reason: error.message }];
  }
}

/** `nexla:apiUrl`: how a config key is named in stack config and in messages. */
export function qualified(name: ConfigName): string {
  return `${packageName}:${name}`;
}
