#!/usr/bin/env node
/** `pulumi-nexla-emulator`: the emulator as a local server, printing what a person needs to use it. */
import { readFileSync, realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { CliUsageError, parseCliArgs, usage, type CliOptions } from "./internal/cli-args.js";
import { createEmulator, seedFromSnapshot, type RunningEmulator, type Seed } from "./index.js";

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** What a file error means, in words (issue 19 found raw `ENOENT: no such file or directory, open …`). */
const fileErrors: Readonly<Record<string, string>> = {
  ENOENT: "there is no such file. Check the path (relative paths start from the current folder)",
  EACCES: "permission denied. Make the file readable",
  EISDIR: "it is a folder. Name the file",
};

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const why = fileErrors[code] ?? (error as Error).message;
    throw new Error(`Could not read the ${what} ${file}: ${why}.`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`Could not read the ${what} ${file}: it is not JSON (${(error as Error).message}).`, {
      cause: error,
    });
  }
}

function readSeed(options: CliOptions): Seed | undefined {
  if (options.snapshotFile !== undefined)
    return seedFromSnapshot(readJson(options.snapshotFile, "snapshot"), options.snapshotFile);
  return options.seedFile === undefined ? undefined : (readJson(options.seedFile, "seed file") as Seed);
}

function banner(running: RunningEmulator, seed: Seed, io: CliIo): void {
  io.out(`Nexla API emulator listening at ${running.url}`);
  io.out(`  export NEXLA_API_URL=${running.url}`);
  io.out("");
  io.out("Users (exchange the service key at POST /token, or send the access token as a Bearer token):");
  for (const user of seed.users) {
    io.out(`  ${user.id} ${user.email}${user.super_user ? " (super user)" : ""}`);
    io.out(`      service key:  ${user.service_key}`);
    io.out(`      access token: ${user.access_token}`);
  }
  io.out("");
  io.out(`Test controls under ${running.url}/_emulator (reset, state, faults, requests). Ctrl+C stops.`);
}

/**
 * What a rehearsal on a snapshot cannot show: Nexla's flow listing (what export reads) does not report an
 * org's active-source limit or a migrating cluster, so the copy refuses nothing for them unless told to.
 */
function cannotRehearse(running: RunningEmulator): string {
  return (
    "This copy cannot rehearse Nexla's refusals for an org's active-source limit or a migrating cluster: the " +
    "flow listing that export reads does not report them. To rehearse them, set them here: " +
    `POST ${running.url}/_emulator/orgs/{id} with {"active_source_limit": n | "reached"} or ` +
    '{"cluster_status": "MIGRATING"}.'
  );
}

async function start(options: CliOptions, io: CliIo): Promise<RunningEmulator> {
  const seed = readSeed(options);
  const emulator = createEmulator({
    ...(seed === undefined ? {} : { seed }),
    ...(options.dataFile === undefined ? {} : { dataFile: options.dataFile }),
    ...(options.rateLimits ? {} : { rateLimits: false }),
    settleMs: options.settleMs,
  });
  const running = await emulator.listen({ port: options.port, host: options.host });
  banner(running, emulator.control.state(), io);
  if (options.snapshotFile !== undefined) io.out(cannotRehearse(running));
  return running;
}

/**
 * Runs the CLI: the running emulator, or an exit status (0 after --help, 1 when it cannot start, 2 for
 * bad flags).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<RunningEmulator | number> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    io.err(`pulumi-nexla-emulator: ${error.message}`);
    io.err(usage);
    return 2;
  }
  if (options.help) {
    io.out(usage);
    return 0;
  }
  try {
    return await start(options, io);
  } catch (error) {
    io.err(`pulumi-nexla-emulator: ${(error as Error).message}`);
    return 1;
  }
}

async function main(): Promise<void> {
  const io: CliIo = { out: (line) => console.log(line), err: (line) => console.error(line) };
  const started = runCli(process.argv.slice(2), io);
  // Listen for signals before the banner is printed, so a stop right after start is still clean.
  const stop = () => {
    void started
      .then((result) => (typeof result === "number" ? result : result.close().then(() => 0)))
      .then(
        (code) => process.exit(code),
        (error: unknown) => {
          io.err(`pulumi-nexla-emulator: ${(error as Error).message}`);
          process.exit(1);
        },
      );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const result = await started;
  if (typeof result === "number") {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    process.exitCode = result;
  }
}

const invoked = process.argv[1] === undefined ? "" : pathToFileURL(realpathSync(process.argv[1])).href;
if (import.meta.url === invoked) await main();
