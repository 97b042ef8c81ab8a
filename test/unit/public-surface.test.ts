/**
 * The package root's names are listed one by one (index.ts), so none shadows another: what a user reads from
 * a flow response fits the root's `ResourceStatus`, and a Flow's observed statuses are its known subset.
 * Checked by `npm run typecheck`; the runtime part asserts the emulator no longer publishes what nothing uses.
 */
import { describe, expect, it } from "vitest";
import type { FlowResource, KnownResourceStatus, ObservedResource, ResourceStatus } from "../../index.js";
import * as emulator from "../../src/emulator/index.js";

describe("the public surface", () => {
  it("types a flow response's status as the root's ResourceStatus, a Flow's as its known subset", () => {
    const fromNexla = (r: FlowResource): ResourceStatus | undefined => r.status;
    const observed = (r: ObservedResource): KnownResourceStatus => r.status;
    const widened = (s: KnownResourceStatus): ResourceStatus => s;
    // @ts-expect-error: Nexla may send a status the provider does not know; it is not a known one.
    const narrowed = (s: ResourceStatus): KnownResourceStatus => s;
    expect([fromNexla, observed, widened, narrowed]).toHaveLength(4);
  });

  it("the emulator entry does not publish the generator's internals", () => {
    expect(Object.keys(emulator)).not.toContain("mixedVariants");
  });
});
