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
  problems.push(...checked.flatMap((c) => c.problems), ...clashes(checked));
  if (problems.length > 0)
    throw new Error(
      `${path} has ${problems.length === 1 ? "a problem" : `${problems.length} problems`}, and no Flow was declared:\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
  return checked.map(({ name, args, aliases }) => ({ name, args: args!, aliases }));
}

interface Checked {
  readonly name: string;
  readonly args?: Readonly<Record<string, unknown>>;
  readonly aliases: readonly string[];
  readonly problems: readonly string[];
}

function checkEntry(entry: unknown, where: string): Checked {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry))
    return {
      name: "",
      aliases: [],
      problems: [`${where} must be a mapping with a "name", an anchor and a "status"`],
    };
  const { name, aliases = [], ...rest } = entry as Record<string, unknown>;
  const problems: string[] = [];
  const named = typeof name === "string" && name !== "";
  if (!named) problems.push(`${where} needs a "name" (the Pulumi resource name)`);
  const at = named ? `${where} (${name})` : where;
  const list: unknown[] = Array.isArray(aliases) ? aliases : [null];
  const good = list.filter((a): a is string => typeof a === "string" && a !== "");
  if (good.length < list.length)
    problems.push(`${at}: "aliases" must be a list of earlier names (non-empty strings)`);
  try {
    assertFlowInputs(rest, at);
    return { name: named ? name : "", args: rest, aliases: good, problems };
  } catch (error) {
    return { name: named ? name : "", aliases: good, problems: [...problems, (error as Error).message] };
  }
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
