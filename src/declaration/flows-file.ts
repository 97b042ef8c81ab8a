/**
 * The gitops layout's flows file (flows.yaml): one entry per Flow — a resource name, the Flow's arguments,
 * optional earlier names (`aliases`) — and `allowEmpty`. The whole file is checked at once with the Flow's own
 * rules (check.ts), names unique and aliases unambiguous, before anything uses it: the gitops program before
 * it declares the first Flow, `drift` and `export --update` before they read Nexla. A file that declares no
 * flow is refused unless it says `allowEmpty: true`: to the engine an empty file means "delete every flow".
 */
import { parseDocument } from "yaml";
import { assertFlowInputs } from "./check.js";

export interface FlowsFileEntry {
  /** The Pulumi resource name. */
  readonly name: string;
  /** The Flow's arguments as written, checked. */
  readonly args: Readonly<Record<string, unknown>>;
  /** Earlier names of this entry: a rename in the file is then no change for the engine. */
  readonly aliases: readonly string[];
  /**
   * Names of other entries this one depends on (Pulumi `dependsOn`): the engine deletes this one first, as
   * Nexla needs for a RAG flow linked to another, or a flow derived from another's shared nexset.
   */
  readonly dependsOn: readonly string[];
}

const topLevelKeys = ["flows", "allowEmpty"];

/** The file's entries, or one error naming every problem in it. Pure: declares nothing. */
export function parseFlowsFile(text: string, path: string): FlowsFileEntry[] {
  const parsed = parseDocument(text);
  const [syntax] = parsed.errors;
  if (syntax !== undefined) throw new Error(`${path} is not valid YAML: ${syntax.message.split("\n")[0]}`);
  const doc: unknown = parsed.toJS();
  if (typeof doc !== "object" || doc === null || !Array.isArray((doc as { flows?: unknown }).flows))
    throw new Error(`${path}: expected a top-level "flows:" list of flow entries.`);
  const top = doc as { flows: unknown[]; allowEmpty?: unknown; [key: string]: unknown };
  const problems = Object.keys(top)
    .filter((key) => !topLevelKeys.includes(key))
    .map((key) => `unknown top-level key "${key}" (known: ${topLevelKeys.join(", ")})`);
  if (top.allowEmpty !== undefined && typeof top.allowEmpty !== "boolean")
    problems.push('"allowEmpty" must be true or false');
  if (top.flows.length === 0 && top.allowEmpty !== true)
    problems.push(
      "it declares no flow, so `pulumi up` would delete every flow this stack manages in Nexla. If that is " +
        'what you mean, say so: add "allowEmpty: true" at the top level of the file',
    );
  const checked = top.flows.map((entry, i) => checkEntry(entry, `flows[${i}]`));
  problems.push(...checked.flatMap((c) => c.problems), ...clashes(checked), ...dependencyProblems(checked));
  if (problems.length > 0)
    throw new Error(
      `${path} has ${problems.length === 1 ? "a problem" : `${problems.length} problems`}, and no Flow was declared:\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
  return checked.map(({ name, args, aliases, dependsOn }) => ({ name, args: args!, aliases, dependsOn }));
}

interface Checked {
  readonly name: string;
  readonly args?: Readonly<Record<string, unknown>>;
  readonly aliases: readonly string[];
  readonly dependsOn: readonly string[];
  readonly problems: readonly string[];
}

function checkEntry(entry: unknown, where: string): Checked {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry))
    return {
      name: "",
      aliases: [],
      dependsOn: [],
      problems: [`${where} must be a mapping with a "name", an anchor and a "status"`],
    };
  const { name, aliases = [], dependsOn = [], ...rest } = entry as Record<string, unknown>;
  const problems: string[] = [];
  const named = typeof name === "string" && name !== "";
  if (!named) problems.push(`${where} needs a "name" (the Pulumi resource name)`);
  const at = named ? `${where} (${name})` : where;
  const good = nameList(
    aliases,
    `${at}: "aliases" must be a list of earlier names (non-empty strings)`,
    problems,
  );
  const goodDeps = nameList(
    dependsOn,
    `${at}: "dependsOn" must be a list of names of other entries (non-empty strings)`,
    problems,
  );
  const common = { name: named ? name : "", aliases: good, dependsOn: goodDeps };
  try {
    assertFlowInputs(rest, at);
    return { ...common, args: rest, problems };
  } catch (error) {
    return { ...common, problems: [...problems, (error as Error).message] };
  }
}

/** A list of non-empty names (`aliases`, `dependsOn`): the good ones, and `problem` when any is not one. */
function nameList(value: unknown, problem: string, problems: string[]): string[] {
  const list: unknown[] = Array.isArray(value) ? value : [null];
  const good = list.filter((n): n is string => typeof n === "string" && n !== "");
  if (good.length < list.length) problems.push(problem);
  return good;
}

/** Names are unique, and an alias belongs to one entry and is no entry's name: else which is which? */
function clashes(entries: readonly Checked[]): string[] {
  const names = new Set<string>();
  const twice = new Set<string>();
  for (const { name } of entries) if (name !== "") (names.has(name) ? twice : names).add(name);
  const problems = [...twice].map((name) => `the name "${name}" is used by more than one entry`);
  const aliasOf = new Map<string, string>();
  for (const { name, aliases } of entries) {
    for (const alias of aliases) {
      const other = aliasOf.get(alias);
      if (names.has(alias)) problems.push(`"${name}" has the alias "${alias}", the name of an entry`);
      else if (other !== undefined && other !== name)
        problems.push(`the alias "${alias}" is given to both "${other}" and "${name}"`);
      aliasOf.set(alias, name);
    }
  }
  return problems;
}

/** Each `dependsOn` names another entry of the file, and no entry depends on itself through others. */
function dependencyProblems(entries: readonly Checked[]): string[] {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const problems = entries.flatMap(({ name, dependsOn }) =>
    dependsOn.flatMap((other) => {
      if (other === name) return [`"${name}" depends on itself`];
      return byName.has(other) ? [] : [`"${name}" depends on "${other}", which is no entry of the file`];
    }),
  );
  const cycle = findCycle(byName);
  if (cycle !== undefined)
    problems.push(`the entries ${cycle.map((n) => `"${n}"`).join(" → ")} depend on each other in a circle`);
  return problems;
}

function findCycle(byName: ReadonlyMap<string, Checked>): string[] | undefined {
  const done = new Set<string>();
  const visit = (name: string, path: string[]): string[] | undefined => {
    if (path.includes(name)) return [...path.slice(path.indexOf(name)), name];
    if (done.has(name)) return undefined;
    for (const other of byName.get(name)?.dependsOn ?? []) {
      if (other === name || !byName.has(other)) continue;
      const found = visit(other, [...path, name]);
      if (found !== undefined) return found;
    }
    done.add(name);
    return undefined;
  };
  for (const name of byName.keys()) {
    const found = visit(name, []);
    if (found !== undefined) return found;
  }
  return undefined;
}
