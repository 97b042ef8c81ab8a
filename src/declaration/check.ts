/**
 * `check`: every input validated at once, one failure per property, unknown keys named with the likely
 * spelling, and Pulumi's unknown placeholder let through during preview (docs/pulumi.md A1). What each input
 * is comes from schema.ts; this file holds one rule per kind of input.
 */
import { suggest } from "./suggest.js";
import {
  anchorKeys,
  engineKeys,
  flowInputs,
  inputDefaults,
  inputNames,
  ownerFields,
  UNKNOWN,
  type FlowInputs,
  type InputKind,
  type InputSpec,
} from "./schema.js";

type Bag = Record<string, unknown>;

export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

export interface CheckOutcome {
  readonly inputs: Bag;
  readonly failures: CheckFailure[];
}

const anchorNames = Object.keys(anchorKeys);
const ownerKeys = Object.keys(ownerFields);
const isSet = (v: unknown) => v !== undefined && v !== null;

export function checkFlowInputs(news: unknown): CheckOutcome {
  if (typeof news !== "object" || news === null || Array.isArray(news)) {
    return { inputs: {}, failures: [{ property: "", reason: "Flow inputs must be an object." }] };
  }
  const bag = news as Bag;
  const failures = [
    ...unknownKeys(bag, inputNames, ""),
    ...checkAnchor(bag),
    ...inputNames.flatMap((name) => {
      const spec: InputSpec = flowInputs[name];
      return checkInput(bag, name, spec.type, spec.required);
    }),
  ];
  return { inputs: withDefaults(bag), failures };
}

/**
 * The checked inputs the engine hands `create` and `update` (it ran `check` on them): checked again rather
 * than cast, so a value that never went through `check` fails here with every bad property named.
 */
export function checkedInputs(data: unknown): FlowInputs {
  return checkedOrThrow(data, "Flow inputs") as unknown as FlowInputs;
}

/** Throws one error naming every bad property of `data` (`where` says where it came from), or returns. */
export function assertFlowInputs(data: unknown, where: string): void {
  checkedOrThrow(data, where);
}

/** The checked inputs (defaults filled in), or one error naming every bad property. */
function checkedOrThrow(data: unknown, where: string): Bag {
  const { inputs, failures } = checkFlowInputs(data);
  if (failures.length === 0) return inputs;
  const list = failures.map((f) => (f.property === "" ? f.reason : `${f.property}: ${f.reason}`));
  throw new Error(`${where} are not valid: ${list.join(" ")}`);
}

function checkInput(bag: Bag, property: string, type: InputKind, required: boolean): CheckFailure[] {
  const value = bag[property];
  switch (type.kind) {
    case "anchor":
      return []; // as a group, in checkAnchor
    case "enum":
      if (property === "status" && value === "MIXED") return [storedMixed];
      return checkEnum(value, property, type.values, required);
    case "owner":
      return checkOwner(value);
    case "seconds":
      return checkSeconds(value, property, type.max);
  }
}

/**
 * pulumi-nexla 0.1 stored an observed MIXED as the input of a refreshed Flow; with `ignoreChanges: ["status"]`
 * the engine hands that stored value back here.
 */
const storedMixed: CheckFailure = {
  property: "status",
  reason:
    'status "MIXED" is what Nexla reported, not a status to declare: an older pulumi-nexla stored it as this ' +
    "Flow's input during a refresh. Run `pulumi refresh` once (it now stores ACTIVE or PAUSED), or declare " +
    '"ACTIVE" or "PAUSED".',
};

function unknownKeys(bag: Bag, known: readonly string[], prefix: string): CheckFailure[] {
  return Object.keys(bag)
    .filter((key) => !known.includes(key) && !(engineKeys as readonly string[]).includes(key))
    .map((key) => {
      const hint = suggest(key, known);
      const fix = hint
        ? `Did you mean "${prefix}${hint}"?`
        : `Known properties: ${known.map((k) => prefix + k).join(", ")}.`;
      return { property: prefix + key, reason: `Unknown property "${prefix}${key}". ${fix}` };
    });
}

function checkAnchor(bag: Bag): CheckFailure[] {
  const present = anchorNames.filter((key) => isSet(bag[key]));
  if (present.length === 0) {
    return [
      {
        property: "flowId",
        reason:
          "Set exactly one of flowId, dataSourceId, dataSetId or dataSinkId: the flow node id, or the id of a " +
          "data source, data set or data sink in the flow.",
      },
    ];
  }
  if (present.length > 1) {
    const list = present.join(" and ");
    return present.map((property) => ({
      property,
      reason: `Set exactly one anchor, not ${list}. A Flow is addressed through one node; keep one of them.`,
    }));
  }
  return present.flatMap((key) => checkId(bag[key], key));
}

export function checkId(value: unknown, property: string): CheckFailure[] {
  if (value === UNKNOWN || (Number.isSafeInteger(value) && (value as number) > 0)) return [];
  return [{ property, reason: `${property} must be a positive integer id, got ${show(value)}.` }];
}

function checkEnum(
  value: unknown,
  property: string,
  allowed: readonly string[],
  required: boolean,
): CheckFailure[] {
  if (value === UNKNOWN || (!required && !isSet(value)) || allowed.includes(value as string)) return [];
  const choices = allowed.map((a) => `"${a}"`).join(" or ");
  if (!isSet(value)) return [{ property, reason: `${property} is required: set it to ${choices}.` }];
  const upper =
    typeof value === "string" ? allowed.find((a) => a.toLowerCase() === value.toLowerCase()) : undefined;
  const hint = upper ? ` Did you mean "${upper}"?` : "";
  return [{ property, reason: `${property} must be ${choices}, got ${show(value)}.${hint}` }];
}

function checkOwner(owner: unknown): CheckFailure[] {
  if (!isSet(owner) || owner === UNKNOWN) return [];
  if (typeof owner !== "object" || Array.isArray(owner)) {
    return [
      { property: "owner", reason: `owner must be an object with ownerId and orgId, got ${show(owner)}.` },
    ];
  }
  const bag = owner as Bag;
  const fields = Object.entries(ownerFields).flatMap(([key, field]): CheckFailure[] => {
    const property = `owner.${key}`;
    const value = bag[key];
    if ("required" in field) {
      if (!isSet(value))
        return [{ property, reason: `${property} is required when owner is set: ${field.required}.` }];
      return checkId(value, property);
    }
    if (!isSet(value) || value === UNKNOWN || typeof value === "boolean") return [];
    return [{ property, reason: `${property} must be true or false, got ${show(value)}.` }];
  });
  return [...unknownKeys(bag, ownerKeys, "owner."), ...fields];
}

function checkSeconds(value: unknown, property: string, max: number): CheckFailure[] {
  if (!isSet(value) || value === UNKNOWN) return [];
  if (typeof value === "number" && Number.isFinite(value) && value > 0 && value <= max) return [];
  return [
    {
      property,
      reason: `${property} must be a number of seconds greater than 0 and at most ${max}, got ${show(value)}.`,
    },
  ];
}

function withDefaults(bag: Bag): Bag {
  const out: Bag = { ...inputDefaults, ...bag };
  for (const [name, value] of Object.entries(inputDefaults)) if (!isSet(bag[name])) out[name] = value;
  const owner = bag["owner"];
  if (isSet(owner) && typeof owner === "object" && !Array.isArray(owner)) {
    const o = { ...(owner as Bag) };
    for (const [key, field] of Object.entries(ownerFields))
      if ("default" in field && !isSet(o[key])) o[key] = field.default;
    out["owner"] = o;
  }
  for (const key of Object.keys(out)) if (out[key] === null || out[key] === undefined) delete out[key];
  return out;
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === undefined) return "nothing";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
