/**
 * `export --update` on flows.yaml: the file is edited in place with the `yaml` library's Document API, so a
 * person's comments, order and formatting of entries export does not change are kept. Only files in the
 * shape export writes are edited (a `flows:` list of entries with the gitops layout's keys); anything else is
 * refused, naming what is not in that shape.
 */
import { isMap, isScalar, isSeq, parseDocument, visit, type Document, type Scalar, type YAMLMap } from "yaml";
import { declarationOf } from "../declaration/declaration.js";
import { parseFlowsFile } from "../declaration/flows-file.js";
import { yamlItem } from "./render.js";
import { commentLines } from "./entries.js";
import { visible } from "../text.js";
import type { FileEntry, UpdatePlan } from "./update.js";

/** Lines of an entry's comment that export wrote on an update: replaced by the next update, never kept. */
export const NOTE = "export --update: ";

const entryKeys = [
  "name",
  "aliases",
  "dependsOn",
  "flowId",
  "dataSourceId",
  "dataSetId",
  "dataSinkId",
  "scope",
  "status",
  "owner",
];

export interface YamlFile {
  readonly entries: readonly FileEntry[];
  apply(plan: UpdatePlan): string;
}

export function readYaml(text: string, file: string): YamlFile {
  const doc = parseDocument(text);
  const problems = shapeProblems(doc);
  if (problems.length > 0)
    throw new Error(
      `${file} is not in the shape export writes, so --update does not edit it (${problems.join("; ")}). ` +
        "Write a new file with `pulumi-nexla export --out <file>` and merge by hand.",
    );
  const entries = parseFlowsFile(text, file).map(({ name, args, dependsOn }) => ({
    ...declarationOf(name, args),
    dependsOn,
  }));
  return { entries, apply: (plan) => applyYaml(doc, plan) };
}

function shapeProblems(doc: Document): string[] {
  if (doc.errors.length > 0) return [`it is not valid YAML: ${doc.errors[0]?.message.split("\n")[0]}`];
  const problems: string[] = [];
  visit(doc, { Alias: () => void problems.push("it uses YAML aliases (*)") });
  const top = doc.contents;
  if (!isMap(top)) return ['it is not a mapping with a "flows:" list'];
  for (const pair of top.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "?";
    if (key !== "flows" && key !== "allowEmpty") problems.push(`it has the top-level key "${key}"`);
  }
  const flows = top.get("flows", true);
  if (!isSeq(flows)) return [...problems, 'it has no "flows:" list'];
  flows.items.forEach((item, i) => {
    if (!isMap(item)) return void problems.push(`flows[${i}] is not a mapping`);
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "?";
      if (!entryKeys.includes(key)) problems.push(`flows[${i}] has the key "${key}"`);
    }
  });
  return [...new Set(problems)];
}

function applyYaml(doc: Document, plan: UpdatePlan): string {
  const seq = doc.get("flows", true) as unknown as {
    items: YAMLMap[];
    flow?: boolean;
    commentBefore?: string | null;
  };
  // The comment above the first entry is the list's, to the parser; it belongs to that entry.
  const first = seq.items[0];
  if (first !== undefined && seq.commentBefore) {
    first.commentBefore = [seq.commentBefore, first.commentBefore].filter(Boolean).join("\n");
    seq.commentBefore = null;
  }
  plan.changes.forEach((change, i) => {
    const item = seq.items[i];
    if (item === undefined) return;
    if (change.status !== undefined) (item.get("status", true) as Scalar).value = change.status;
    if (change.owner !== undefined) item.set("owner", doc.createNode({ ...change.owner }));
    if (change.notes !== undefined) item.commentBefore = withNotes(item.commentBefore, change.notes);
  });
  for (const named of plan.added) {
    named.entries.forEach((entry, j) => {
      const item = yamlItem(doc, entry);
      if (j === 0)
        item.commentBefore = commentLines(named)
          .map((l) => ` ${visible(l)}`)
          .join("\n");
      seq.items.push(item);
    });
  }
  if (seq.items.length > 0) seq.flow = false;
  return doc.toString({ lineWidth: 0 });
}

/** The comment's own lines, then this update's notes (the notes of an earlier update are dropped). */
function withNotes(comment: string | null | undefined, notes: readonly string[]): string | null {
  const own = (comment ?? null)?.split("\n").filter((l) => !l.trimStart().startsWith(NOTE)) ?? [];
  const lines = [...own, ...notes.map((n) => ` ${visible(NOTE + n)}`)];
  return lines.length === 0 ? null : lines.join("\n");
}
