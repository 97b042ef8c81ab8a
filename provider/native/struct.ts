/**
 * Property bags between the engine's protobuf `Struct`s and the plain objects the provider runtime takes.
 *
 * - Secrets: the plugin accepts them (ConfigureResponse `acceptSecrets`), so the engine sends a secret as an
 *   object marked with Pulumi's secret signature. The runtime gets the plain value; a top-level property that held
 *   a secret anywhere inside it is marked secret again in what goes back, so a secret never leaves as plain text.
 * - Unknowns (preview): the engine's unknown sentinel string is passed through as it is; the declaration
 *   model's `check` and `diff` know it (src/declaration/schema.ts, UNKNOWN).
 * - Identity: the runtime tells Flows apart by `__flowUrn` and names them by `__flowName`, which the dynamic Flow
 *   class sends as inputs (provider/flow.ts); a native resource is told its URN with every request, so the plugin
 *   adds both on the way in and removes them on the way out: they are never inputs or outputs of the resource.
 */
import { storedEngineKeys } from "../../src/declaration/schema.js";
import { structPb, type StructPb } from "./proto.js";

type Bag = Record<string, unknown>;

/** Pulumi's marker of a secret value in a Struct: `{ [SECRET_SIG]: SECRET_VALUE, value }`. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export interface Props {
  readonly values: Bag;
  /** The top-level keys whose value held a secret. */
  readonly secrets: ReadonlySet<string>;
}

/** A Struct from the engine as plain values, with the keys that held secrets. */
export function fromStruct(struct: StructPb.Struct | undefined): Props {
  const raw = struct?.toJavaScript() ?? {};
  const secrets = new Set<string>();
  const values: Bag = {};
  for (const [key, value] of Object.entries(raw)) {
    const found = { secret: false };
    values[key] = unwrap(value, found);
    if (found.secret) secrets.add(key);
  }
  return { values, secrets };
}

function unwrap(value: unknown, found: { secret: boolean }): unknown {
  if (Array.isArray(value)) return value.map((item) => unwrap(item, found));
  if (typeof value !== "object" || value === null) return value;
  const bag = value as Bag;
  if (bag[SECRET_SIG] === SECRET_VALUE) {
    found.secret = true;
    return unwrap(bag["value"], found);
  }
  return Object.fromEntries(Object.entries(bag).map(([k, v]) => [k, unwrap(v, found)]));
}

/** Plain values as a Struct for the engine, the keys in `secrets` marked secret; undefined values left out. */
export function toStruct(values: Readonly<Bag>, secrets: ReadonlySet<string> = new Set()): StructPb.Struct {
  const out: Record<string, StructPb.JavaScriptValue> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const plain = JSON.parse(JSON.stringify(value)) as StructPb.JavaScriptValue;
    out[key] = secrets.has(key) ? { [SECRET_SIG]: SECRET_VALUE, value: plain } : plain;
  }
  return structPb.Struct.fromJavaScript(out);
}

/** The resource's name in its URN (`urn:pulumi:stack::project::type::name`): its last `::` part. */
export function nameOf(urn: string): string {
  const at = urn.lastIndexOf("::");
  if (!urn.startsWith("urn:pulumi:") || at < 0)
    throw new Error(`The engine sent ${JSON.stringify(urn)} where a resource URN belongs.`);
  return urn.slice(at + 2);
}

/** Inputs or state as the runtime takes them: with the Flow's name and URN (`__flowName`, `__flowUrn`). */
export function withIdentity(values: Readonly<Bag>, urn: string): Bag {
  return { ...values, __flowName: nameOf(urn), __flowUrn: urn };
}

/** What goes back to the engine: without the identity keys, which the engine tells the plugin every time. */
export function withoutIdentity(values: Readonly<Bag> | undefined): Bag {
  const out: Bag = { ...values };
  for (const key of [...storedEngineKeys, "__provider"]) delete out[key];
  return out;
}
