/**
 * Writes the named Flows as the gitops layout's flows.yaml, a TypeScript program or a Pulumi YAML program, so
 * that no Nexla name can change what the file declares. YAML is built with the `yaml` library's Document API
 * (comments included), never by joining strings. TypeScript is a fixed shape in which every piece of text
 * from Nexla or a flag goes through `src/text.ts`: comments through `visible`, strings through
 * `stringLiteral`. Nothing time- or run-dependent goes in, so an unchanged org gives an identical file.
 */
import type { YAMLMap } from "yaml";
import { Document, Scalar, YAMLSeq } from "yaml";
import type { Filters } from "./filters.js";
import { describeFilters } from "./filters.js";
import { importIdOf } from "../declaration/import-id.js";
import { flowToken } from "../declaration/package-schema.js";
import { anchorKeyOf } from "../declaration/schema.js";
import { packageName } from "../declaration/config.js";
import { commentLines, type Entry, type NamedFlow } from "./entries.js";
import { pulumiYamlString, stringLiteral, visible } from "../text.js";

export type Format = "yaml" | "ts" | "import" | "pulumi-yaml";

function header(filters: Filters): string[] {
  const only = describeFilters(filters);
  return [
    `Written by \`pulumi-nexla export${only === "" ? "" : ` ${only}`}\`: the state of these flows as Nexla reported it.`,
    "`pulumi up` adopts them without changing anything in Nexla; edit a status here to change it there.",
  ];
}

export function render(flows: readonly NamedFlow[], format: Format, filters: Filters): string {
  if (format === "import") return renderImport(flows);
  if (format === "pulumi-yaml") return renderPulumiYaml(flows, filters);
  return format === "yaml" ? renderYaml(flows, filters) : renderTs(flows, filters);
}

/**
 * `pulumi import --file` input: one `nexla:index:Flow` per entry, named as the entry and identified by its import
 * id (src/declaration/import-id.ts), which the native provider adopts without a write. JSON has no comments, so
 * what no Flow can declare is named on standard error by the summary only.
 */
function renderImport(flows: readonly NamedFlow[]): string {
  const resources = flows.flatMap((named) =>
    named.entries.map(({ name, declaration: d }) => ({
      type: flowToken,
      name,
      id: importIdOf(d.anchor, d.scope),
    })),
  );
  return `${JSON.stringify({ resources }, null, 2)}\n`;
}

/** The entry as flows.yaml states it (the gitops layout's keys, `flowArgs`' input). */
export function entryData({ name, declaration: d }: Entry): Record<string, unknown> {
  return {
    name,
    [anchorKeyOf(d.anchor.kind)]: d.anchor.id,
    ...(d.scope === "downstream" ? { scope: "downstream" } : {}),
    status: d.status,
    ...(d.owner ? { owner: { ownerId: d.owner.ownerId, orgId: d.owner.orgId } } : {}),
  };
}

/** Comment text for the `yaml` library: one `#` line per element (it prefixes each line with `#`). */
function yamlComment(lines: readonly string[]): string {
  return lines.map((l) => ` ${visible(l)}`).join("\n");
}

/**
 * Calls `place` for each entry, in order, with the comment that goes above it (its flow's lines, first entry
 * only); answers the comment left at the end. A flow with no entry (nothing in it can be declared) is still
 * described, above the next entry.
 */
function eachEntry(
  flows: readonly NamedFlow[],
  place: (entry: Entry, comment: string | undefined) => void,
): string | undefined {
  let pending: string[] = [];
  for (const named of flows) {
    pending.push(...commentLines(named));
    for (const entry of named.entries) {
      place(entry, pending.length > 0 ? yamlComment(pending) : undefined);
      pending = [];
    }
  }
  return pending.length > 0 ? yamlComment(pending) : undefined;
}

/** The entry as an item of flows.yaml's list: `entryData`, its name quoted, then its `dependsOn` if it has one. */
export function yamlItem(doc: Document, entry: Entry): YAMLMap {
  const item = doc.createNode(entryData(entry)) as YAMLMap;
  (item.get("name", true) as Scalar).type = Scalar.QUOTE_DOUBLE;
  if (entry.dependsOn !== undefined && entry.dependsOn.length > 0)
    item.set("dependsOn", nameList(entry.dependsOn.map((name) => quoted(name))));
  return item;
}

/** `["a", "b"]`: a list on one line, as the gitops layout's README writes `dependsOn`. */
function nameList(items: readonly Scalar[]): YAMLSeq {
  const seq = new YAMLSeq();
  seq.items.push(...items);
  seq.flow = true;
  return seq;
}

function quoted(value: string): Scalar {
  const scalar = new Scalar(value);
  scalar.type = Scalar.QUOTE_DOUBLE;
  return scalar;
}

function renderYaml(flows: readonly NamedFlow[], filters: Filters): string {
  const doc = new Document({ flows: [] });
  const seq = doc.get("flows") as YAMLSeq;
  const rest = eachEntry(flows, (entry, comment) => {
    const item = yamlItem(doc, entry);
    if (comment !== undefined) item.commentBefore = comment;
    seq.items.push(item);
  });
  if (rest !== undefined) seq.comment = rest;
  (doc.contents as YAMLMap).commentBefore = yamlComment(header(filters));
  return doc.toString({ lineWidth: 0 });
}

/**
 * `--format pulumi-yaml`'s project name. A stack belongs to its project's name, so it is a fixed one rather than
 * anything from Nexla: a user who adopts the flows into a project of their own renames it before
 * `pulumi stack init`.
 */
const PULUMI_YAML_PROJECT = "nexla-flows";

/**
 * A whole Pulumi YAML program (Pulumi.yaml) of native `nexla:index:Flow` resources: the same Flows, under the same
 * names, as flows.yaml, each with the schema's (camelCase) properties. Nexla's text reaches it only as comments
 * (through `visible`) and as names' slugs, which are keys, never values Pulumi YAML evaluates; every string value
 * still goes through `pulumiYamlString`, so that none can ever hold an interpolation, whatever a field carries.
 * The one interpolation written is `options.dependsOn`'s `${name}`, built from a name export chose (`resourceKey`
 * checks it), never from a string Nexla sent.
 */
function renderPulumiYaml(flows: readonly NamedFlow[], filters: Filters): string {
  const doc = new Document(
    pulumiYamlValue({
      name: PULUMI_YAML_PROJECT,
      runtime: "yaml",
      plugins: { providers: [{ name: packageName, path: "node_modules/.bin" }] },
      resources: {},
    }),
  );
  const top = doc.contents as YAMLMap<Scalar, unknown>;
  top.commentBefore = yamlComment([...header(filters), ...pulumiYamlNotes]);
  const plugins = top.items.find((pair) => pair.key.value === "plugins");
  if (plugins !== undefined) plugins.key.commentBefore = yamlComment(pluginNote);
  const resources = doc.get("resources") as YAMLMap;
  const rest = eachEntry(flows, (entry, comment) => {
    const { name, ...properties } = entryData(entry);
    const resource = doc.createNode(pulumiYamlValue({ type: flowToken, properties })) as YAMLMap;
    if (entry.dependsOn !== undefined && entry.dependsOn.length > 0)
      resource.set(
        "options",
        doc.createNode({
          dependsOn: nameList(entry.dependsOn.map((n) => quoted(`\${${resourceKey(n).value}}`))),
        }),
      );
    const pair = doc.createPair(resourceKey(name as string), resource);
    if (comment !== undefined) (pair.key as Scalar).commentBefore = comment;
    resources.items.push(pair);
  });
  if (rest !== undefined) resources.comment = rest;
  return doc.toString({ lineWidth: 0 });
}

const pulumiYamlNotes = [
  `The project is named ${PULUMI_YAML_PROJECT}: rename it to yours before \`pulumi stack init\` (a stack belongs to its project).`,
  "Nexla's API and credential: `pulumi config set nexla:apiUrl URL` and `pulumi config set --secret " +
    "nexla:serviceKey KEY` (or NEXLA_API_URL and NEXLA_SERVICE_KEY in the environment).",
];

/** Why `plugins` names node_modules/.bin: where npm puts the plugin, as examples/yaml has it. */
const pluginNote = [
  "The nexla provider plugin, pulumi-resource-nexla, ships in the pulumi-nexla npm package:",
  "`npm install pulumi-nexla` in this folder puts it in node_modules/.bin. (Or drop this block and put that folder on PATH.)",
];

/** `value` with every string in it (not the keys) made a Pulumi YAML string that reads back as itself. */
function pulumiYamlValue(value: unknown): unknown {
  if (typeof value === "string") return pulumiYamlString(value);
  if (Array.isArray(value)) return value.map(pulumiYamlValue);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pulumiYamlValue(v)]));
}

/**
 * A resource's key: a name export chose (names.ts: hyphen-separated lower-case letters and digits, ending in
 * an id), which Pulumi YAML takes as it is; anything else is refused rather than written. Always quoted, so
 * that no YAML reader takes it for a number (`1e-5`: a flow named `1e` with id 5).
 */
function resourceKey(name: string): Scalar<string> {
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)+$/.test(name))
    throw new Error(`"${visible(name)}" is not a resource name export writes (names.ts)`);
  return quoted(name) as Scalar<string>;
}

function renderTs(flows: readonly NamedFlow[], filters: Filters): string {
  const comment = (line: string) => `// ${visible(line)}`;
  const out = [
    ...header(filters).map(comment),
    'import { Flow } from "pulumi-nexla";',
    "",
    "export default async function program() {",
  ];
  const referenced = new Set(flows.flatMap((n) => n.entries.flatMap((e) => e.dependsOn ?? [])));
  for (const named of flows) {
    out.push(...commentLines(named).map((l) => `  ${comment(l)}`));
    for (const entry of named.entries) out.push(flowLine(entry, referenced.has(entry.name)));
  }
  out.push("}");
  return out.join("\n") + "\n";
}

/**
 * `  new Flow("orders-100", { flowId: 100, status: "ACTIVE" });`: one entry of the program. An entry that others
 * depend on is `bound` to a constant (`identifierOf` its name), which their `{ dependsOn: [...] }` names; the
 * caller declares it before them.
 */
export function flowLine(entry: Entry, bound = false): string {
  const { name, ...args } = entryData(entry);
  const binding = bound ? `const ${identifier(name as string)} = ` : "";
  const deps = entry.dependsOn ?? [];
  const options = deps.length === 0 ? "" : `, { dependsOn: [${deps.map(identifier).join(", ")}] }`;
  return `  ${binding}new Flow(${stringLiteral(name as string)}, ${tsObject(args)}${options});`;
}

/**
 * The constant an entry of the program is bound to: its name with `_` for `-`, `_` before a leading digit and
 * after a name of letters only (which could be a reserved word). Names export writes are hyphen-separated
 * lower-case letters and digits (names.ts), so distinct names get distinct constants; `undefined` for any other.
 */
export function identifierOf(name: string): string | undefined {
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(name)) return undefined;
  const id = name.replaceAll("-", "_");
  if (/^[0-9]/.test(id)) return `_${id}`;
  return /^[a-z]+$/.test(id) ? `${id}_` : id;
}

function identifier(name: string): string {
  const id = identifierOf(name);
  if (id === undefined) throw new Error(`"${visible(name)}" is not a resource name export writes (names.ts)`);
  return id;
}

/** `{ flowId: 100, status: "ACTIVE" }`: keys are fixed identifiers, values numbers or strings. */
function tsObject(value: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(value).map(([key, v]) => {
    if (typeof v === "number") return `${key}: ${v}`;
    if (typeof v === "string") return `${key}: ${stringLiteral(v)}`;
    return `${key}: ${tsObject(v as Record<string, unknown>)}`;
  });
  return `{ ${parts.join(", ")} }`;
}
