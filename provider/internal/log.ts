/** How messages name a flow: the client's own label, so provider and client messages agree. */
export { flowLabel as label } from "../../src/nexla/index.js";
import type { Anchor } from "../../src/nexla/paths.js";

/** How messages name an anchor itself: `node 200`, `data_set 2101`. */
export function anchorText(anchor: Anchor): string {
  return anchor.kind === "flow" ? `node ${anchor.id}` : `${anchor.kind} ${anchor.id}`;
}

/**
 * The provider process's stderr reaches the Pulumi CLI's output (docs/pulumi.md A1, 3.146.0): each HTTP call
 * the provider is about to make is written there, so a log of `up` says exactly what was done.
 */
export function log(line: string): void {
  process.stderr.write(`[pulumi-nexla] ${line}\n`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
