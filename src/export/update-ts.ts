/**
 * `export --update` on a program export wrote (`--format ts`). The program is a fixed shape (render.ts): a
 * header of comments, the import, `export default async function program() {`, comment lines and one
 * `new Flow(...)` line per entry (bound to a constant when other entries name it in `{ dependsOn: [...] }`),
 * `}`. Each Flow line is read back and accepted only if export would write exactly that line for it, and a
 * `dependsOn` only when it names constants declared above, so a program a person changed beyond comments and
 * values is refused, never guessed at. Comments are kept; lines of notes an earlier update wrote are replaced.
 * An entry added that depends on an entry of the file binds that entry's line to its constant.
 */
import type { Anchor } from "../nexla/paths.js";
import type { Declaration } from "../declaration/declaration.js";
import { commentLines } from "./entries.js";
import { flowLine, identifierOf } from "./render.js";
import { visible } from "../text.js";
import type { EntryChange, FileEntry, UpdatePlan } from "./update.js";
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
  readonly entry: FileEntry;
  /** Bound to its constant (`const x = new Flow(...)`). */
  readonly bound: boolean;
}

export interface TsFile {
  readonly entries: readonly FileEntry[];
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
  /** The entry each constant declared so far is bound to. */
  const constants = new Map<string, string>();
  let comments: string[] = [];
  for (const [i, line] of lines.slice(start + opening.length, end).entries()) {
    if (line.startsWith("  //")) comments.push(line);
    else {
      const read = readFlowLine(line, constants);
      if (read === undefined)
        throw refuse(`line ${start + opening.length + i + 1} is not a Flow export writes`);
      if (read.bound) constants.set(identifierOf(read.entry.name) as string, read.entry.name);
      flows.push({ comments, text: line, ...read });
      comments = [];
    }
  }
  const head = lines.slice(0, start + opening.length);
  return {
    entries: flows.map((f) => f.entry),
    apply: (plan) => applyTs(head, flows, comments, plan),
  };
}

/**
 * The entry a Flow line declares, when export would write exactly this line for it: bound to its own constant
 * or to none, and depending only on `constants` declared above.
 */
function readFlowLine(
  line: string,
  constants: ReadonlyMap<string, string>,
): { entry: FileEntry; bound: boolean } | undefined {
  const bound = /^ {2}const [\w$]+ = /.test(line);
  const options = /, \{ dependsOn: \[([\w$, ]*)\] \}\);$/.exec(line);
  const dependsOn = (options?.[1] ?? "").split(", ").flatMap((id) => (id === "" ? [] : [constants.get(id)]));
  if (dependsOn.some((name) => name === undefined)) return undefined;
  const core = line
    .replace(/^ {2}const [\w$]+ = /, "  ")
    .replace(/, \{ dependsOn: \[[\w$, ]*\] \}\);$/, ");");
  const declared = readCore(core);
  // Only a name export writes has a constant (a person may have renamed an entry to any string).
  if (declared === undefined || (bound && identifierOf(declared.name) === undefined)) return undefined;
  const entry = { ...declared, dependsOn: dependsOn as string[] };
  return lineOf(entry, {}, bound) === line ? { entry, bound } : undefined;
}

/** The entry a `  new Flow(name, { ... });` line declares. */
function readCore(line: string): Declaration | undefined {
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
  return entry;
}

/** `\u{1F600}` as JSON writes it (`\ud83d\ude00`). */
function jsonEscape(hex: string): string {
  return JSON.stringify(String.fromCodePoint(Number.parseInt(hex, 16))).slice(1, -1);
}

function lineOf(entry: FileEntry, change: Pick<EntryChange, "status" | "owner">, bound: boolean): string {
  const owner = change.owner ?? entry.owner;
  const declaration = {
    anchor: entry.anchor,
    scope: entry.scope,
    status: change.status ?? entry.status,
    ...(owner ? { owner } : {}),
    resourceName: null,
  };
  const dependsOn = entry.dependsOn.length > 0 ? { dependsOn: entry.dependsOn } : {};
  return flowLine({ name: entry.name, declaration, ...dependsOn }, bound);
}

function applyTs(head: readonly string[], flows: readonly Line[], tail: readonly string[], plan: UpdatePlan) {
  const out = [...head];
  // An added entry names the entries it depends on by their constants; one that cannot have a constant (a name
  // export does not write) is left out, and a note says what to add.
  const added = plan.added.map((named) => ({
    named,
    entries: named.entries.map((entry) => ({
      entry: { ...entry, dependsOn: (entry.dependsOn ?? []).filter((n) => identifierOf(n) !== undefined) },
      left: (entry.dependsOn ?? []).filter((n) => identifierOf(n) === undefined),
    })),
  }));
  const referenced = new Set(added.flatMap((a) => a.entries.flatMap((e) => e.entry.dependsOn)));
  flows.forEach((f, i) => {
    const change = plan.changes[i] ?? {};
    const { notes } = change;
    if (notes === undefined) out.push(...f.comments);
    else {
      out.push(...f.comments.filter((c) => !c.startsWith(`  // ${NOTE}`)));
      out.push(...notes.map((n) => `  // ${visible(NOTE + n)}`));
    }
    const bind = !f.bound && referenced.has(f.entry.name);
    out.push(change.status || change.owner || bind ? lineOf(f.entry, change, f.bound || bind) : f.text);
  });
  out.push(...tail);
  for (const { named, entries } of added) {
    out.push(...commentLines(named).map((l) => `  // ${visible(l)}`));
    for (const { entry, left } of entries) {
      if (left.length > 0)
        out.push(`  // ${visible(`${NOTE}add dependsOn on ${left.join(", ")} (no constant names it)`)}`);
      out.push(flowLine(entry, referenced.has(entry.name)));
    }
  }
  return [...out, "}", ""].join("\n");
}
