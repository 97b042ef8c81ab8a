/**
 * What the README's three Flows (orders ACTIVE, the clickstream sub-flow below data set 2101 PAUSED, billing-export
 * handed to user 2 of org 2 and ACTIVE), as examples/yaml and examples/python declare them, leave in the emulator's
 * sample org: the same whatever the language, since every language goes through the one native plugin.
 */
import { expect } from "vitest";
import { resourcesOfFlow, type Harness } from "./harness.js";

const sorted = (lines: readonly string[]) => [...lines].sort();

/** After the first `up`: exactly the three writes, billing-export active under its new owner. */
export function expectReadmeFlowsUp(h: Pick<Harness, "emulator" | "writes">, out: string): void {
  expect(sorted(h.writes())).toEqual([
    "PUT /data_sets/2101/flow/pause",
    "PUT /data_sources/1200/flow",
    "PUT /data_sources/1200/flow/activate?all=1",
  ]);
  expect(resourcesOfFlow(h, 300)).toEqual([
    "data_source 1200 ACTIVE",
    "data_set 2200 ACTIVE",
    "data_sink 3200 ACTIVE",
  ]);
  const billing = h.emulator.control.state().data_sources.find((r) => r.id === 1200);
  expect([billing?.owner_id, billing?.org_id]).toEqual([2, 2]);
  // The provider's lines are shown under the resource they are about, not under the stack.
  expect(out).toMatch(
    /nexla:index:Flow \(billing-export\):\n(?: {4}.*\n)*? {4}flow of data_source 1200: PUT \/data_sources\/1200\/flow {2}\(changes owner/,
  );
}

/** After `destroy`: orders and billing-export gone, of clickstream only the sub-flow below data set 2101. */
export function expectReadmeFlowsDestroyed(h: Pick<Harness, "emulator">): void {
  expect(resourcesOfFlow(h, 100)).toEqual([]);
  expect(resourcesOfFlow(h, 300)).toEqual([]);
  expect(resourcesOfFlow(h, 200)).toEqual([
    "data_source 1100 ACTIVE",
    "data_set 2100 ACTIVE",
    "data_set 2104 ACTIVE",
    "data_sink 3100 ACTIVE",
    "data_sink 3102 ACTIVE",
  ]);
}
