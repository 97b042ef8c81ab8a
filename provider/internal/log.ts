/** How messages name a flow: the client's own label, so provider and client messages agree. */
export { flowLabel as label } from "../../src/nexla/paths.js";
import { AsyncLocalStorage } from "node:async_hooks";
import type { Anchor } from "../../src/nexla/paths.js";
import { visible } from "../../src/text.js";

/** How messages name an anchor itself: `node 200`, `data_set 2101`. */
export function anchorText(anchor: Anchor): string {
  return anchor.kind === "flow" ? `node ${anchor.id}` : `${anchor.kind} ${anchor.id}`;
}

/** The resource name of the Flow whose operation is running (every method of the provider runs in one). */
const current = new AsyncLocalStorage<string>();

/** Runs one operation of the Flow named `name`, so every line it logs names that Flow. */
export function forFlow<T>(name: unknown, work: () => Promise<T>): Promise<T> {
  return typeof name === "string" ? current.run(name, work) : work();
}

/**
 * The provider process's stderr reaches the Pulumi CLI's output (docs/pulumi.md A1, 3.146.0): each HTTP call
 * the provider is about to make, and each attempt it made with Nexla's answer, is written there, under the
 * name of the Flow it was made for, so a log of `up` says exactly what was done and for which resource.
 */
export function log(line: string): void {
  const name = current.getStore();
  process.stderr.write(`[pulumi-nexla${name === undefined ? "" : ` ${visible(name)}`}] ${visible(line)}\n`);
}

/** A line about the provider process itself (its version and folder), whichever Flow's operation wrote it. */
export function logProcess(line: string): void {
  current.exit(() => log(line));
}

/** The time source of convergence polls and delete retries: the client's own kind, so tests can pass a fake. */
export type { Clock } from "../../src/nexla/internal/throttle.js";

export const clock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};
