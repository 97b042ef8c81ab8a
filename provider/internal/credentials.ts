/**
 * Credentials for the provider process: the provider's stack config (set by `configure`, secrets already
 * decrypted by the engine) first, then the environment names of Nexla's own SDKs. Never resource inputs, so
 * they never reach state (docs/pulumi.md A3).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { clock, log, logProcess } from "./log.js";
import { operations } from "./operations.js";
import { coalescedReads, type FlowReads } from "./reads.js";
import { configNames, providerConfig, qualified } from "../../src/declaration/config.js";
import {
  clientOptionsFromEnv,
  createNexlaClient,
  DEFAULT_API_URL,
  type NexlaClient,
} from "../../src/nexla/index.js";

interface ConfigSource {
  get(key: string): string | undefined;
}

/**
 * Stack config keys the provider reads (`nexla:apiUrl`, …), and the environment variable each one stands for:
 * the provider's configuration as the declaration model describes it (src/declaration/config.ts).
 */
export const configKeys: Readonly<Record<string, string>> = Object.fromEntries(
  configNames.map((name) => [qualified(name), providerConfig[name].env]),
);

/** The installed package's version, logged once per provider process so a log shows which code ran. */
export function packageVersion(): string {
  // Found by walking up: the file sits at provider/internal in the sources and dist/provider/internal when built.
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "pulumi-nexla") return pkg.version ?? "unknown";
    } catch {
      // no package.json here: keep walking up
    }
  }
  return "unknown";
}

let configured: Record<string, string> = {};
const clients = new Map<string, NexlaClient>();

export function configureFrom(config: ConfigSource): void {
  const next: Record<string, string> = {};
  for (const [key, name] of Object.entries(configKeys)) {
    const value = config.get(key);
    if (value !== undefined && value !== "") next[name] = value;
  }
  configured = next;
}

/** One client per API URL and credential in this process, so its throttle covers every resource. */
export function clientFor(env: NodeJS.ProcessEnv = process.env): NexlaClient {
  const merged = mergeCredentials(env);
  const key = createHash("sha256").update(JSON.stringify(merged)).digest("hex");
  let client = clients.get(key);
  if (client === undefined) {
    if (clients.size === 0) logProcess(`provider ${packageVersion()} (${process.cwd()})`);
    // Every attempt is logged with Nexla's answer: polls, retries and token exchanges included (paths only,
    // never a header, so never a credential).
    client = createNexlaClient({
      ...clientOptionsFromEnv(merged),
      onRequest: ({ method, path, status, attempt }) =>
        log(`${method} ${path} → ${status ?? "no answer"}${attempt > 1 ? ` (attempt ${attempt})` : ""}`),
    });
    clients.set(key, client);
  }
  return client;
}

/**
 * The Nexla API this process talks to, as configured (stack config, then the environment), without a trailing
 * slash: which Nexla a Flow's ids belong to (shared-declarations.ts).
 */
export function apiUrlFor(env: NodeJS.ProcessEnv = process.env): string {
  return (mergeCredentials(env)["NEXLA_API_URL"] ?? DEFAULT_API_URL).replace(/\/+$/, "");
}

let coalescers = new WeakMap<NexlaClient, FlowReads>();

/**
 * The reads of one client, coalesced across every Flow of this process (reads.ts): with its throttle, the
 * other thing a client's Flows share.
 */
export function readsFor(client: NexlaClient): FlowReads {
  let reads = coalescers.get(client);
  if (reads === undefined) {
    reads = coalescedReads(client, { clock, operations });
    coalescers.set(client, reads);
  }
  return reads;
}

/**
 * A new operation in this process (the fuzz's provider driver, which runs many in one): lists taken for the
 * last one's refresh reads serve no more reads.
 */
export function forgetReads(): void {
  coalescers = new WeakMap();
}

/** Stack config wins over the environment; a token from config hides a service key from the environment. */
function mergeCredentials(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const fromConfig = { ...configured };
  const merged: NodeJS.ProcessEnv = { ...pick(env), ...fromConfig };
  if (fromConfig["NEXLA_ACCESS_TOKEN"] !== undefined) delete merged["NEXLA_SERVICE_KEY"];
  if (fromConfig["NEXLA_SERVICE_KEY"] !== undefined) delete merged["NEXLA_ACCESS_TOKEN"];
  return merged;
}

function pick(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const name of [...Object.values(configKeys), "NEXLA_ALLOW_INSECURE_HTTP"]) {
    if (env[name] !== undefined && env[name] !== "") out[name] = env[name];
  }
  return out;
}
