// The GitOps layout: the state of every managed flow lives in a YAML file reviewed in pull requests, and this
// program turns each entry into a Flow. The file's path comes from the `flowsFile` config (default flows.yaml
// in the project directory).
//
// The whole file is checked before the first Flow is declared, and every problem is reported at once: the
// engine starts a Flow's calls as soon as it is declared, so a later entry's mistake must not leave an
// earlier entry's change half-applied. A file that declares no flow is refused unless it says
// `allowEmpty: true`: to the engine an empty file means "delete every flow of the stack".
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parseDocument } from "yaml";
import { Flow, flowArgs, type FlowArgs } from "pulumi-nexla";

export interface FlowEntry {
  /** The Pulumi resource name. */
  readonly name: string;
  readonly args: FlowArgs;
  /** Earlier names of this entry: a rename in the file is then no change for the engine. */
  readonly aliases: readonly string[];
}

const topLevelKeys = ["flows", "allowEmpty"];

export function loadFlows(path: string): FlowEntry[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new Error(
      `Cannot read ${path}: put flows.yaml in the project directory, or run \`pulumi config set flowsFile <path>\`.`,
    );
  }
  return parseFlows(text, path);
}

/** The file's entries, or one error naming every problem in it. Pure: declares nothing. */
export function parseFlows(text: string, path: string): FlowEntry[] {
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
  return checked.map(({ name, args, aliases }) => ({ name, args: args as FlowArgs, aliases }));
}

interface Checked {
  readonly name: string;
  readonly args?: FlowArgs;
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
    return { name: named ? name : "", args: flowArgs(rest, at), aliases: good, problems };
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

export default async function program() {
  const file = resolve(new pulumi.Config().get("flowsFile") ?? "flows.yaml");
  // Every entry is checked (with the provider's own rules, flowArgs) before the first Flow is declared.
  const flows = loadFlows(file).map(
    ({ name, args, aliases }) =>
      [name, new Flow(name, args, { aliases: aliases.map((alias) => ({ name: alias })) })] as const,
  );
  return { statuses: Object.fromEntries(flows.map(([name, flow]) => [name, flow.status])) };
}
