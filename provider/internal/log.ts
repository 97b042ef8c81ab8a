import type { Anchor } from "../../src/nexla/paths.js";

/** `flow 200`, `flow of data_set 2101`: how messages name the flow a Flow resource manages. */
export function label(anchor: Anchor): string {
  return anchor.kind === "flow" ? `flow ${anchor.id}` : `flow of ${anchor.kind} ${anchor.id}`;
}

/**
 * The provider process's stderr reaches the Pulumi CLI's output (pulumi/NOTES.md A1, 3.146.0): each HTTP call
 * the provider is about to make is written there, so a log of `up` says exactly what was done.
 */
export function log(line: string): void {
  process.stderr.write(`[pulumi-nexla] ${line}\n`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
