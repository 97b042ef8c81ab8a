/** The emulator CLI's flags. Bad flags are a one-line error and the usage text, exit status 2. */
import { parseArgs } from "node:util";

export const usage = `Usage: pulumi-nexla-emulator [options]

Serves a local Nexla API with sample flows, for demos and CI.

Options:
  --port N          port to listen on (0 = any free port)   [default: 8787]
  --host HOST       address to listen on                    [default: 127.0.0.1]
  --seed FILE       start from this JSON seed instead of the sample org
  --seed-from-snapshot FILE
                    serve the flows of a snapshot written by
                    \`pulumi-nexla export --snapshot FILE\`, with the sample users
  --data FILE       keep the state in this JSON file; if it exists, start from it
                    instead of the seed
  --settle-ms N     reads show the old status for N ms after a change  [default: 0]
  --no-rate-limits  turn off Nexla's per-user rate limits
  -h, --help        show this help`;

export interface CliOptions {
  readonly help: boolean;
  readonly port: number;
  readonly host: string;
  readonly seedFile?: string;
  readonly snapshotFile?: string;
  readonly dataFile?: string;
  readonly settleMs: number;
  readonly rateLimits: boolean;
}

export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}

function whole(value: string | undefined, flag: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > max)
    throw new CliUsageError(`${flag} must be a whole number from 0 to ${max}, got "${value}"`);
  return n;
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        seed: { type: "string" },
        "seed-from-snapshot": { type: "string" },
        data: { type: "string" },
        "settle-ms": { type: "string" },
        "no-rate-limits": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new CliUsageError((error as Error).message.split("\n")[0] ?? "bad arguments");
  }
  const snapshot = values["seed-from-snapshot"];
  if (snapshot !== undefined && values.seed !== undefined)
    throw new CliUsageError("--seed and --seed-from-snapshot both give the starting state: use one of them");
  return {
    help: values.help === true,
    port: whole(values.port, "--port", 8787, 65535),
    host: values.host ?? "127.0.0.1",
    ...(values.seed === undefined ? {} : { seedFile: values.seed }),
    ...(snapshot === undefined ? {} : { snapshotFile: snapshot }),
    ...(values.data === undefined ? {} : { dataFile: values.data }),
    settleMs: whole(values["settle-ms"], "--settle-ms", 0, 86_400_000),
    rateLimits: values["no-rate-limits"] !== true,
  };
}
