/**
 * `check`: every input validated at once, one failure per property, unknown keys named with the likely
 * spelling, and Pulumi's unknown placeholder let through during preview (docs/pulumi.md A1).
 */
import { anchorKeys, DEFAULT_CONVERGE_TIMEOUT_SECONDS, UNKNOWN, type CheckFailure } from "./inputs.js";
import { suggest } from "./internal/suggest.js";

type Bag = Record<string, unknown>;
const anchorNames = Object.keys(anchorKeys);
const topKeys = [...anchorNames, "scope", "status", "owner", "convergeTimeoutSeconds"];
const ownerKeys = ["ownerId", "orgId", "includeDataCredentials", "includeCodeContainers"];
/**
 * Keys set for the user: `__provider` by the Pulumi SDK on every dynamic resource, `__flowName` by the Flow
 * class (the resource name, so messages about two Flows can name both).
 */
const engineKeys = new Set(["__provider", "__flowName"]);
const isSet = (v: unknown) => v !== undefined && v !== null;

export interface CheckOutcome {
  readonly inputs: Bag;
  readonly failures: CheckFailure[];
}

export function checkFlowInputs(news: unknown): CheckOutcome {
  if (typeof news !== "object" || news === null || Array.isArray(news)) {
    return { inputs: {}, failures: [{ property: "", reason: "Flow inputs must be an object." }] };
  }
  const bag = news as Bag;
  const failures = [
    ...unknownKeys(bag, topKeys, ""),
    ...checkAnchor(bag),
    ...checkEnum(bag, "scope", ["flow", "downstream"], false),
    ...(bag["status"] === "MIXED" ? [storedMixed] : checkEnum(bag, "status", ["ACTIVE", "PAUSED"], true)),
    ...checkOwner(bag["owner"]),
    ...checkTimeout(bag["convergeTimeoutSeconds"]),
  ];
  return { inputs: withDefaults(bag), failures };
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
    .filter((key) => !known.includes(key) && !engineKeys.has(key))
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
  bag: Bag,
  property: string,
  allowed: readonly string[],
  required: boolean,
): CheckFailure[] {
  const value = bag[property];
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
  const flags = ["includeDataCredentials", "includeCodeContainers"].flatMap((key) =>
    !isSet(bag[key]) || bag[key] === UNKNOWN || typeof bag[key] === "boolean"
      ? []
      : [{ property: `owner.${key}`, reason: `owner.${key} must be true or false, got ${show(bag[key])}.` }],
  );
  return [
    ...unknownKeys(bag, ownerKeys, "owner."),
    ...(isSet(bag["ownerId"])
      ? checkId(bag["ownerId"], "owner.ownerId")
      : [required("owner.ownerId", "the new owner's user id")]),
    ...(isSet(bag["orgId"])
      ? checkId(bag["orgId"], "owner.orgId")
      : [required("owner.orgId", "the new owner's org id")]),
    ...flags,
  ];
}

function required(property: string, what: string): CheckFailure {
  return { property, reason: `${property} is required when owner is set: ${what}.` };
}

function checkTimeout(value: unknown): CheckFailure[] {
  if (!isSet(value) || value === UNKNOWN) return [];
  if (typeof value === "number" && Number.isFinite(value) && value > 0 && value <= 3600) return [];
  return [
    {
      property: "convergeTimeoutSeconds",
      reason: `convergeTimeoutSeconds must be a number of seconds between 0 and 3600, got ${show(value)}.`,
    },
  ];
}

function withDefaults(bag: Bag): Bag {
  const out: Bag = { ...bag, scope: bag["scope"] ?? "flow" };
  out["convergeTimeoutSeconds"] = bag["convergeTimeoutSeconds"] ?? DEFAULT_CONVERGE_TIMEOUT_SECONDS;
  const owner = bag["owner"];
  if (isSet(owner) && typeof owner === "object" && !Array.isArray(owner)) {
    const o = owner as Bag;
    out["owner"] = {
      ...o,
      includeDataCredentials: o["includeDataCredentials"] ?? false,
      includeCodeContainers: o["includeCodeContainers"] ?? false,
    };
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
