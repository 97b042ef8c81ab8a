#!/usr/bin/env node
/** `pulumi-nexla`: export an org's flows as declarations, and report drift in words (`--help`). */
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { createNexlaClient } from "../nexla/client.js";
import { clientOptionsFromEnv } from "../nexla/options.js";
import { parseCommand, usage, UsageError, type Command } from "./args.js";
import { runExport, type ExportIo } from "./export.js";

export interface CliIo extends ExportIo {
  readonly env: NodeJS.ProcessEnv;
}

/** Runs one command and answers its exit status: 0 done, 1 failed (said why), 2 bad usage. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`pulumi-nexla: ${error.message}`);
    io.err("Run `pulumi-nexla --help` for the commands and their options.");
    return 2;
  }
  if (command.command === "help") {
    io.out(usage + "\n");
    return 0;
  }
  try {
    const client = createNexlaClient(clientOptionsFromEnv(io.env));
    if (command.command === "export") {
      await runExport(client, command, io);
      return 0;
    }
    const { runDrift } = await import("./drift.js");
    return await runDrift(client, command.flowsFile, io);
  } catch (error) {
    io.err(`pulumi-nexla ${command.command}: ${(error as Error).message}`);
    return 1;
  }
}

async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (line) => process.stderr.write(line + "\n"),
    env: process.env,
  });
}

const invoked = process.argv[1] === undefined ? "" : pathToFileURL(realpathSync(process.argv[1])).href;
if (import.meta.url === invoked) await main();
