/**
 * The README's input and output tables follow from the Flow's one description (src/declaration/schema.ts): a change
 * of an input or output there fails here until the README says the same, and the failure prints the table.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { flowInputs, flowOutputs, type InputSpec } from "../../src/declaration/schema.js";

const readme = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");

/** Inputs with the same words share a row, as the four anchors do. */
function inputTable(): string {
  const rows = new Map<string, string[]>();
  for (const [name, spec] of Object.entries(flowInputs) as [string, InputSpec][]) {
    rows.set(spec.doc, [...(rows.get(spec.doc) ?? []), name]);
  }
  const lines = [...rows].map(([doc, names]) => `| ${names.map((n) => `\`${n}\``).join(" / ")} | ${doc} |`);
  return ["| input | meaning |", "| --- | --- |", ...lines].join("\n");
}

function outputTable(): string {
  const lines = Object.entries(flowOutputs).map(([name, { doc }]) => `| \`${name}\` | ${doc} |`);
  return ["| output | meaning |", "| --- | --- |", ...lines].join("\n");
}

describe("the README's Flow tables", () => {
  it("list every input with the words of src/declaration/schema.ts", () => {
    expect(readme, `README.md should contain:\n${inputTable()}`).toContain(inputTable());
  });

  it("list every output with the words of src/declaration/schema.ts", () => {
    expect(readme, `README.md should contain:\n${outputTable()}`).toContain(outputTable());
  });

  it("show each input's default as the schema fills it in", () => {
    // Said in so many words: a bare value would be found anywhere in the text (scope's "flow" is in "the whole
    // flow", whatever its default).
    const stated = (value: string | number) =>
      typeof value === "string" ? `\`"${value}"\` (default)` : `(default ${value}`;
    const defaults = (Object.entries(flowInputs) as [string, InputSpec][]).flatMap(([name, spec]) =>
      spec.default === null ? [] : [{ name, value: spec.default, doc: spec.doc }],
    );
    expect(defaults.map((d) => d.name)).toEqual(["scope", "convergeTimeoutSeconds"]);
    for (const { name, value, doc } of defaults) expect(doc, name).toContain(stated(value));
  });
});
