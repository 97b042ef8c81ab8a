/**
 * `export --update` on a program export wrote (`--format ts`). The program is a fixed shape (render.ts): a
 * header of comments, the import, `export default async function program() {`, comment lines and one
 * `new Flow(...)` line per entry, `}`. Each Flow line is read back and accepted only if export would write
 * exactly that line for it, so a program a person changed beyond comments and values is refused, never
 * guessed at. Comments are kept; lines of notes an earlier update wrote are replaced.
 */
import type { Anchor } from "../nexla/paths.js";
import type { Declaration } from "../declaration/declaration.js";
import { commentLines } from "./entries.js";
import { flowLine } from "./render.js";
import { visible } from "../text.js";
import type { EntryChange, UpdatePlan } from "./update.js";
import { NOTE } from "./update-yaml.js";

const opening = ['import { Flow } from "pulumi-nexla";', "", "export default async function program() {"];
const anchors = {
  flowId: "flow",
  dataSourceId: "data_source",
  dataSetId: "data_set",
  dataSinkId: "data_sink",
};

interface Line {
  readonly comments: readonly string[];
  readonly text: string;
  readonly entry: Declaration;
}

export interface TsFile {
  readonly entries: readonly Declaration[];
  apply(plan: UpdatePlan): string;
}

export function readTs(text: string, file: string): TsFile {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => !l.startsWith("//"));
  const end = lines.lastIndexOf("}");
  const refuse = (why: string) =>
    new Error(
      `${file} is not in the shape export writes, so --update does not edit it (${why}). Write a new ` +
        "program with `pulumi-nexla export --format ts --out <file>` and merge by hand.",
    );
  if (opening.some((l, i) => lines[start + i] !== l)) throw refuse("its import and program lines differ");
  if (end < start || lines.slice(end + 1).some((l) => l !== "")) throw refuse("it does not end with `}`");
  const flows: Line[] = [];
  let comments: string[] = [];
  for (const [i, line] of lines.slice(start + opening.length, end).entries()) {
    if (line.startsWith("  //")) comments.push(line);
    else {
      const entry = readFlowLine(line);
      if (entry === undefined)
        throw refuse(`line ${start + opening.length + i + 1} is not a Flow export writes`);
      flows.push({ comments, text: line, entry });
      comments = [];
    }
  }
  const head = lines.slice(0, start + opening.length);
  return {
    entries: flows.map((f) => f.entry),
    apply: (plan) => applyTs(head, flows, comments, plan),
  };
}

/** The entry a Flow line declares, when export would write exactly this line for it. */
function readFlowLine(line: string): Declaration | undefined {
  const m = /^ {2}new Flow\(("(?:[^"\\]|\\.)*"), \{ (.*) \}\);$/.exec(line);
  const anchor = m && /^(flowId|dataSourceId|dataSetId|dataSinkId): (\d+)/.exec(m[2] ?? "");
  const status = m && /status: "(ACTIVE|PAUSED)"/.exec(m[2] ?? "");
  if (!m || !anchor || !status) return undefined;
  const owner = /owner: \{ ownerId: (\d+), orgId: (\d+) \}/.exec(m[2] ?? "");
  const entry: Declaration = {
    name: JSON.parse(
      (m[1] ?? "").replace(/\\u\{([0-9A-F]+)\}/g, (_, hex: string) => jsonEscape(hex)),
    ) as string,
    anchor: { kind: anchors[anchor[1] as keyof typeof anchors], id: Number(anchor[2]) } as Anchor,
    scope: (m[2] ?? "").includes('scope: "downstream"') ? "downstream" : "flow",
    status: status[1] as Declaration["status"],
    ...(owner ? { owner: { ownerId: Number(owner[1]), orgId: Number(owner[2]) } } : {}),
  };
  return lineOf(entry, {}) === line ? entry : undefined;
}

/** `\u{1F600}` as JSON writes it (`\ud83d\ude00`). */
function jsonEscape(hex: string): string {
  return JSON.stringify(String.fromCodePoint(Number.parseInt(hex, 16))).slice(1, -1);
}

function lineOf(entry: Declaration, change: Pick<EntryChange, "status" | "owner">): string {
  const owner = change.owner ?? entry.owner;
  const declaration = {
    anchor: entry.anchor,
    scope: entry.scope,
    status: change.status ?? entry.status,
    ...(owner ? { owner } : {}),
    resourceName: null,
  };
  return flowLine({ name: entry.name, declaration });
}

function applyTs(head: readonly string[], flows: readonly Line[], tail: readonly string[], plan: UpdatePlan) {
  const out = [...head];
  flows.forEach((f, i) => {
    const change = plan.changes[i] ?? {};
    const { notes } = change;
    if (notes === undefined) out.push(...f.comments);
    else {
      out.push(...f.comments.filter((c) => !c.startsWith(`  // ${NOTE}`)));
      out.push(...notes.map((n) => `  // ${visible(NOTE + n)}`));
    }
    out.push(change.status || change.owner ? lineOf(f.entry, change) : f.text);
  });
  out.push(...tail);
  for (const named of plan.added) {
    out.push(...commentLines(named).map((l) => `  // ${visible(l)}`));
    for (const entry of named.entries) out.push(flowLine(entry));
  }
  return [...out, "}", ""].join("\n");
}
