/**
 * Which exported flows Nexla deletes only in one order (src/export/delete-order.ts): Nexla refuses to delete a flow,
 * or any sub-flow of it, while a RAG flow linked to it exists, or while a flow derived from its shared nexsets exists
 * (docs/nexla-api.md §2.4, §4 items 1–2). Every Flow of the flow that must go first depends on every Flow of the other.
 */
import { describe, expect, it } from "vitest";
import { circularText } from "../../src/export/delete-order.js";
import type { FlowResponse } from "../../src/nexla/types.js";
import { docs, exportOf, flow, mixed, rag, whole } from "./export-flows.js";

/** Each entry's name → its dependsOn. */
function dependsOn(responses: readonly FlowResponse[]): Record<string, readonly string[] | undefined> {
  return Object.fromEntries(
    exportOf(responses).flows.flatMap((n) => n.entries.map((e) => [e.name, e.dependsOn])),
  );
}

describe("which Flows depend on which", () => {
  it("every Flow of a RAG flow depends on every Flow of the flow linked to it, sub-flows of a MIXED flow included", () => {
    // Nexla refuses to delete a sub-flow of docs-ingest too while support-rag exists: its check reads the origin's links.
    expect(dependsOn([docs(mixed), rag(mixed)])).toEqual({
      "docs-ingest-a-sink3006": undefined,
      "docs-ingest-b-sink4006": undefined,
      "support-rag-a-sink3007": ["docs-ingest-a-sink3006", "docs-ingest-b-sink4006"],
      "support-rag-b-sink4007": ["docs-ingest-a-sink3006", "docs-ingest-b-sink4006"],
    });
    expect(dependsOn([docs(), rag()])).toEqual({
      "docs-ingest-700": undefined,
      "support-rag-800": ["docs-ingest-700"],
    });
  });

  it("reads a link from either side, and orders nothing for a link between flows that are not RAG flows", () => {
    const expected = { "docs-ingest-700": undefined, "support-rag-800": ["docs-ingest-700"] };
    expect(dependsOn([docs(), rag(whole, { flowType: "rag" })])).toEqual(expected);
    expect(dependsOn([docs(whole, {}), rag()])).toEqual(expected);
    expect(dependsOn([docs(), rag(whole, { linkedFlows: [700] })])).toEqual({
      "docs-ingest-700": undefined,
      "support-rag-800": undefined,
    });
  });

  it("a flow derived from a shared nexset depends on the flow that shares it, whichever node that is", () => {
    // Flow 200 derives from the data set of flow 100 (node 102).
    const shared = flow(0, "catalog", mixed);
    const derived = flow(1, "catalog-derived", whole, { parent: 102 });
    expect(dependsOn([shared, derived])).toEqual({
      "catalog-a-sink3000": undefined,
      "catalog-b-sink4000": undefined,
      "catalog-derived-200": ["catalog-a-sink3000", "catalog-b-sink4000"],
    });
  });

  it("writes no dependsOn when only one side is exported", () => {
    expect(dependsOn([docs()])).toEqual({ "docs-ingest-700": undefined });
    expect(dependsOn([rag()])).toEqual({ "support-rag-800": undefined });
  });

  it("puts a flow before the flows that depend on it, and leaves the others in their order", () => {
    // The RAG flow is flow 100 here, linked to flow 400.
    const flows = [
      flow(0, "support-rag", whole, { flowType: "rag", linkedFlows: [400] }),
      flow(1, "orders", whole),
      flow(2, "billing", whole),
      flow(3, "docs-ingest", whole, { linkedFlows: [100] }),
    ];
    expect(exportOf(flows).flows.map((n) => n.flow.originNodeId)).toEqual([400, 100, 200, 300]);
  });

  it("writes none between flows that refuse each other's delete, and says so", () => {
    const both = [docs(whole, { flowType: "rag", linkedFlows: [800] }), rag()];
    const order = exportOf(both);
    expect(order.flows.flatMap((n) => n.entries.map((e) => e.dependsOn))).toEqual([undefined, undefined]);
    expect(order.circular.map((p) => [p.first.originNodeId, p.then.originNodeId])).toEqual([
      [700, 800],
      [800, 700],
    ]);
    expect(circularText(order.circular)).toBe(
      "No order lets one destroy delete flows 700, 800: Nexla refuses to delete each while another exists " +
        "(flow 700 is a RAG flow linked to flow 800; flow 800 is a RAG flow linked to flow 700). No dependsOn " +
        "was written between them; remove a link in Nexla before deleting them.",
    );
  });
});
