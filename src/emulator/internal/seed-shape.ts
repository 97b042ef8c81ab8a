/**
 * Structural checks of a seed read from JSON: every list present, every field of the right type, no unknown
 * field (a typo like `ownerId` would otherwise be silently ignored). References are checked in seed-refs.ts.
 */
import { clusterStatuses, resourceStatuses, type Seed } from "../seed.js";

/** `"A", "B" or "C"`: how a closed set of values is named in problems. */
function choices(values: readonly string[]): string {
  const quoted = values.map((v) => `"${v}"`);
  return `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`;
}

/** A field's type; a trailing `?` means the field may be absent. */
type FieldSpec =
  | "int"
  | "count|null"
  | "string"
  | "bool"
  | "int[]"
  | "int|null"
  | "string|null"
  | "kind"
  | "status"
  | "cluster";
type Spec = Readonly<Record<string, `${FieldSpec}${"" | "?"}`>>;

const resource: Spec = {
  id: "int",
  name: "string",
  description: "string|null?",
  status: "status",
  owner_id: "int",
  org_id: "int",
  flow_node_id: "int",
  origin_node_id: "int",
};
const shared: Spec = { id: "int", name: "string", owner_id: "int", org_id: "int", shared_with: "int[]" };

export const seedSpecs: Readonly<Record<keyof Seed, Spec>> = {
  orgs: {
    id: "int",
    name: "string",
    email_domain: "string|null?",
    cluster_status: "cluster?",
    active_source_limit: "count|null?",
  },
  users: {
    id: "int",
    email: "string",
    name: "string",
    org_ids: "int[]",
    super_user: "bool",
    service_key: "string",
    access_token: "string",
    admin_org_ids: "int[]?",
  },
  projects: {
    id: "int",
    org_id: "int",
    owner_id: "int",
    name: "string",
    description: "string?",
    member_ids: "int[]",
  },
  data_credentials: { ...shared, credentials_type: "string?" },
  code_containers: shared,
  flow_nodes: {
    id: "int",
    parent_node_id: "int|null",
    origin_node_id: "int",
    resource_type: "kind",
    resource_id: "int",
    name: "string|null?",
    description: "string|null?",
    project_id: "int|null?",
    flow_type: "string|null?",
    shared_origin_node_id: "int|null?",
    linked_flow_ids: "int[]?",
  },
  data_sources: { ...resource, data_credentials_id: "int|null?", connector_type: "string?" },
  data_sets: { ...resource, code_container_id: "int|null?" },
  data_sinks: { ...resource, data_credentials_id: "int|null?", connector_type: "string?" },
};

const isInt = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) > 0;

const checks: Readonly<Record<FieldSpec, (v: unknown) => boolean>> = {
  int: isInt,
  "count|null": (v) => v === null || (Number.isSafeInteger(v) && (v as number) >= 0),
  string: (v) => typeof v === "string",
  bool: (v) => typeof v === "boolean",
  "int[]": (v) => Array.isArray(v) && v.every(isInt),
  "int|null": (v) => v === null || isInt(v),
  "string|null": (v) => v === null || typeof v === "string",
  kind: (v) => v === "data_source" || v === "data_set" || v === "data_sink",
  status: (v) => (resourceStatuses as readonly unknown[]).includes(v),
  cluster: (v) => (clusterStatuses as readonly unknown[]).includes(v),
};

const describe: Readonly<Record<FieldSpec, string>> = {
  int: "a positive integer",
  "count|null": "a non-negative integer or null",
  string: "a string",
  bool: "a boolean",
  "int[]": "an array of positive integers",
  "int|null": "a positive integer or null",
  "string|null": "a string or null",
  kind: '"data_source", "data_set" or "data_sink"',
  status: choices(resourceStatuses),
  cluster: choices(clusterStatuses),
};

/** How a seed entry is named in problems: `data_sets[3] (id 2101)`. */
export function entryName(list: string, index: number, entry: unknown): string {
  const id = typeof entry === "object" && entry !== null ? (entry as { id?: unknown }).id : undefined;
  return `${list}[${index}]${id === undefined ? "" : ` (id ${JSON.stringify(id)})`}`;
}

function checkEntry(name: string, entry: unknown, spec: Spec): string[] {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry))
    return [`${name}: must be an object`];
  const record = entry as Record<string, unknown>;
  const problems = Object.keys(record)
    .filter((key) => !(key in spec))
    .map((key) => `${name}: unknown field "${key}" (known: ${Object.keys(spec).join(", ")})`);
  for (const [key, typeSpec] of Object.entries(spec)) {
    const optional = typeSpec.endsWith("?");
    const type = (optional ? typeSpec.slice(0, -1) : typeSpec) as FieldSpec;
    if (record[key] === undefined) {
      if (!optional) problems.push(`${name}: "${key}" is missing`);
    } else if (!checks[type](record[key])) {
      problems.push(`${name}: "${key}" must be ${describe[type]}, got ${JSON.stringify(record[key])}`);
    }
  }
  return problems;
}

/** Every structural problem of `value`, or none if it has the shape of a `Seed`. */
export function shapeProblems(value: unknown): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return ["seed: must be an object"];
  const record = value as Record<string, unknown>;
  const problems = Object.keys(record)
    .filter((key) => !(key in seedSpecs))
    .map((key) => `seed: unknown list "${key}" (known: ${Object.keys(seedSpecs).join(", ")})`);
  for (const [list, spec] of Object.entries(seedSpecs)) {
    const entries = record[list];
    if (!Array.isArray(entries)) {
      problems.push(`seed: "${list}" must be an array`);
      continue;
    }
    entries.forEach((entry, i) => problems.push(...checkEntry(entryName(list, i, entry), entry, spec)));
  }
  return problems;
}
