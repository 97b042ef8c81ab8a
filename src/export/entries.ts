/** The exported flows → named Flow entries, in a fixed order (flows by id, sub-flows depth first). */
import type { Declaration, ExportedFlow } from "./decompose.js";
import type { Precedence } from "./delete-order.js";
import { entryName } from "./names.js";

export interface Entry {
  readonly name: string;
  readonly declaration: Declaration;
  /** Names of the entries this one depends on (Pulumi `dependsOn`), so it is deleted first (delete-order.ts). */
  readonly dependsOn?: readonly string[];
}

export interface NamedFlow {
  readonly flow: ExportedFlow;
  readonly entries: readonly Entry[];
  /** The flows Nexla deletes only after this one, which its entries depend on (delete-order.ts). */
  readonly deletedBefore?: readonly Precedence[];
}

/** Each declaration's name is its own (names.ts): the same whichever other flows are exported. */
export function nameAll(flows: readonly ExportedFlow[]): NamedFlow[] {
  return flows.map((flow) => ({
    flow,
    entries: flow.declarations.map((declaration) => ({
      name: entryName(flow.name, declaration.anchor, declaration.resourceName),
      declaration,
    })),
  }));
}

/**
 * The lines a person reads above each flow's entries: what Nexla reports and what is left undeclared. Raw
 * text: the renderer writes each line through `visible` (src/text.ts).
 */
export function commentLines(named: NamedFlow): string[] {
  const { flow } = named;
  const title = `${flow.name ?? "(no name)"} (flow ${flow.originNodeId}): ${flow.observed.status}`;
  const lines = [title];
  if (flow.observed.status === "MIXED") {
    const parts = named.entries.map(
      (e) => `${e.declaration.anchor.kind} ${e.declaration.anchor.id} and below ${e.declaration.status}`,
    );
    if (parts.length > 0) lines.push(`  sub-flows: ${parts.join("; ")}`);
  }
  const reasons = [...new Set(flow.undeclared.map((u) => u.why))];
  for (const why of reasons) {
    const which = flow.undeclared
      .filter((u) => u.why === why)
      .map(({ resource: r }) => `${r.kind} ${r.id} (${r.status})`);
    lines.push(`  not declared: ${which.join(", ")}: ${why}`);
  }
  if (flow.ownerNote !== undefined) lines.push(`  ${flow.ownerNote}`);
  for (const { then, why } of named.deletedBefore ?? [])
    lines.push(
      `  dependsOn ${then.name ?? "(no name)"} (flow ${then.originNodeId}): Nexla refuses to delete that flow while this ` +
        (why === "rag" ? "RAG flow, linked to it, exists" : "flow, derived from its shared nexset, exists"),
    );
  return lines;
}
