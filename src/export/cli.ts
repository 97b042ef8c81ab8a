#!/usr/bin/env node
/** `pulumi-nexla`: export an org's flows as declarations, and report drift in words (`--help`). */
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { createNexlaClient } from "../nexla/client.js";
import { clientOptionsFromEnv, type NexlaClientOptions } from "../nexla/options.js";
import { parseCommand, usage, UsageError, type Command } from "./args.js";
import { DRIFT_ERROR, runDrift } from "./drift.js";
import { runExport, type ExportIo } from "./export.js";

export interface CliIo extends ExportIo {
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Runs one command and answers its exit status: 0 done, 1 failed (said why), 2 bad usage; `drift` answers 1
 * for "drifted", so a drift check that could not compare answers 3.
 */
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
    const client = createNexlaClient(withProgress(clientOptionsFromEnv(io.env), command.command, io));
    if (command.command === "export") {
      await runExport(client, command, io);
      return 0;
    }
    return await runDrift(client, command.flowsFile, io);
  } catch (error) {
    io.err(`pulumi-nexla ${command.command}: ${(error as Error).message}`);
    return command.command === "drift" ? DRIFT_ERROR : 1;
  }
}

/** How long an attempt goes unanswered before the command says what it is waiting for. */
export const WAITING_NOTICE_MS = 5_000;

/**
 * Says what the command is waiting for: each attempt that has had no answer for 5 s, and each failed attempt
 * as it happens. A hung API otherwise meant minutes of silence before the error (issue 19: 2 min 33 s), since
 * every attempt waits out its timeout and is retried with backoff.
 */
export function withProgress(
  options: NexlaClientOptions,
  command: string,
  io: Pick<CliIo, "err">,
): NexlaClientOptions {
  const attempts = (options.retry?.limit ?? 4) + 1;
  const seconds = Math.round((options.timeoutMs ?? 30_000) / 1000);
  const waiting = new Map<string, ReturnType<typeof setTimeout>[]>();
  return {
    ...options,
    onRequestStart: ({ method, path }) => {
      const timer = setTimeout(() => {
        io.err(
          `pulumi-nexla ${command}: waiting for ${method} ${path}: no answer yet after ${WAITING_NOTICE_MS / 1000} s ` +
            `(each attempt waits up to ${seconds} s, and is tried ${attempts} times).`,
        );
      }, WAITING_NOTICE_MS);
      timer.unref?.();
      const key = `${method} ${path}`;
      waiting.set(key, [...(waiting.get(key) ?? []), timer]);
    },
    onRequest: ({ method, path, status, attempt }) => {
      const key = `${method} ${path}`;
      const [first, ...rest] = waiting.get(key) ?? [];
      if (first !== undefined) clearTimeout(first);
      if (rest.length > 0) waiting.set(key, rest);
      else waiting.delete(key);
      if (status !== undefined && status !== 429 && status < 500) return;
      const answer = status === undefined ? `no answer within ${seconds} s` : `${status}`;
      io.err(`pulumi-nexla ${command}: ${method} ${path} → ${answer} (attempt ${attempt} of ${attempts}).`);
    },
  };
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
