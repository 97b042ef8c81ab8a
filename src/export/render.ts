/**
 * Writes the named Flows as the gitops layout's flows.yaml or as a TypeScript program. Hand-written, not a
 * YAML library: the package ships without one, and the output is a fixed, simple shape (names are always
 * quoted, so a name like `2024` or `yes` stays a string). Nothing time- or run-dependent goes in, so an
 * unchanged org gives an identical file.
 */
import type { Filters } from "./filters.js";
import { describeFilters } from "./filters.js";
import { anchorKey, commentLines, type NamedFlow } from "./plan-export.js";

export type Format = "yaml" | "ts";

function header(filters: Filters, prefix: string): string[] {
  const only = describeFilters(filters);
  return [
    `${prefix} Written by \`pulumi-nexla export${only === "" ? "" : ` ${only}`}\`: the state of these flows as Nexla reported it.`,
    `${prefix} \`pulumi up\` adopts them without changing anything in Nexla; edit a status here to change it there.`,
  ];
}

export function render(flows: readonly NamedFlow[], format: Format, filters: Filters): string {
  return format === "yaml" ? renderYaml(flows, filters) : renderTs(flows, filters);
}

function renderYaml(flows: readonly NamedFlow[], filters: Filters): string {
  const out = header(filters, "#");
  const entries = flows.flatMap((named) => [
    ...commentLines(named).map((l) => `  # ${l}`),
    ...named.entries.flatMap(({ name, declaration: d }) => [
      `  - name: ${JSON.stringify(name)}`,
      `    ${anchorKey(d.anchor)}: ${d.anchor.id}`,
      ...(d.scope === "downstream" ? ["    scope: downstream"] : []),
      `    status: ${d.status}`,
      ...(d.owner
        ? ["    owner:", `      ownerId: ${d.owner.ownerId}`, `      orgId: ${d.owner.orgId}`]
        : []),
    ]),
  ]);
  const declared = flows.some((f) => f.entries.length > 0);
  out.push(declared ? "flows:" : "flows: []", ...entries);
  return out.join("\n") + "\n";
}

function renderTs(flows: readonly NamedFlow[], filters: Filters): string {
  const out = [
    ...header(filters, "//"),
    'import { Flow } from "pulumi-nexla";',
    "",
    "export default async function program() {",
  ];
  for (const named of flows) {
    out.push(...commentLines(named).map((l) => `  // ${l}`));
    for (const { name, declaration: d } of named.entries) {
      const args = [
        `${anchorKey(d.anchor)}: ${d.anchor.id}`,
        ...(d.scope === "downstream" ? ['scope: "downstream"'] : []),
        `status: "${d.status}"`,
        ...(d.owner ? [`owner: { ownerId: ${d.owner.ownerId}, orgId: ${d.owner.orgId} }`] : []),
      ];
      out.push(`  new Flow(${JSON.stringify(name)}, { ${args.join(", ")} });`);
    }
  }
  out.push("}");
  return out.join("\n") + "\n";
}
