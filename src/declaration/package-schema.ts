/**
 * The Pulumi package schema of the native `nexla` provider, built from the declaration model (schema.ts, and
 * config.ts for the provider's configuration): the `nexla:index:Flow` resource with the dynamic Flow's inputs
 * and outputs, their words, their defaults and the enums of status and scope, and the provider's config with
 * its secrets marked. The plugin serves it from GetSchema; nothing is written by hand, so a new input is still
 * one entry in the model. The schema's format is Pulumi's (docs/pulumi.md C4); this file builds plain JSON
 * and imports nothing of Pulumi.
 */
import { configNames, packageName, providerConfig } from "./config.js";
import {
  FlowScope,
  FlowStatus,
  flowInputs,
  flowOutputs,
  inputNames,
  ObservedFlowStatus,
  observedResourceFields,
  ownerFields,
  type InputKind,
  type InputSpec,
  type OutputKind,
  type OutputSpec,
} from "./schema.js";

/** A property of the schema (Pulumi's `propertySpec`), as far as this package uses it. */
export interface PropertySpec {
  readonly type?: "string" | "integer" | "number" | "boolean" | "array";
  readonly $ref?: string;
  readonly items?: PropertySpec;
  readonly description?: string;
  readonly default?: string | number | boolean;
  readonly secret?: boolean;
}

export interface ObjectTypeSpec {
  readonly type: "object";
  readonly description: string;
  readonly properties: Readonly<Record<string, PropertySpec>>;
  readonly required: readonly string[];
}

export interface EnumTypeSpec {
  readonly type: "string";
  readonly description: string;
  readonly enum: readonly { readonly name: string; readonly value: string }[];
}

export interface ResourceSpec {
  readonly description: string;
  readonly properties: Readonly<Record<string, PropertySpec>>;
  readonly required: readonly string[];
  readonly inputProperties: Readonly<Record<string, PropertySpec>>;
  readonly requiredInputs: readonly string[];
}

export interface PackageSchema {
  readonly name: string;
  readonly displayName: string;
  readonly version: string;
  readonly description: string;
  readonly keywords: readonly string[];
  readonly license: string;
  readonly config: { readonly variables: Readonly<Record<string, PropertySpec>> };
  /** The provider resource: its inputs are the config, none of them required. */
  readonly provider: Pick<ResourceSpec, "description" | "inputProperties">;
  readonly types: Readonly<Record<string, ObjectTypeSpec | EnumTypeSpec>>;
  readonly resources: Readonly<Record<string, ResourceSpec>>;
  /** What each language's SDK generator needs beyond the types (Pulumi's `language` section). */
  readonly language: { readonly python: PythonPackageInfo };
}

/** Pulumi's Python code generator's options (`pkg/codegen/python` `PackageInfo`), as far as this package sets them. */
export interface PythonPackageInfo {
  readonly packageName: string;
  /** The SDK's dependencies beside the ones the generator always adds, as pip requirement specifiers. */
  readonly requires: Readonly<Record<string, string>>;
  /** Generate a pyproject.toml (not a setup.py): `pip install ./sdk/python` builds it with setuptools. */
  readonly pyproject: { readonly enabled: boolean };
  /** The SDK's version is the schema's (the package's), not 0.0.0 for a release pipeline to replace. */
  readonly respectSchemaVersion: boolean;
}

/**
 * The oldest Pulumi SDK the generated SDKs accept: the same as the Node package's `@pulumi/pulumi` peer
 * dependency (package.json), so a program in any language runs on the Pulumi this package is tested with.
 */
export const pulumiSdkMinimum = "3.270.0";

/** The native resource's type token. */
export const flowToken = `${packageName}:index:Flow`;

/** The token of a type of this package, and the `$ref` that points at it. */
const token = (name: string) => `${packageName}:index:${name}`;
const ref = (name: string): PropertySpec => ({ $ref: `#/types/${token(name)}` });

/**
 * The enums the model's values form, by name: each enum-valued input or output of the model must be one of
 * these (the same values, in the same order), or the schema cannot be built.
 */
const enums = {
  FlowStatus: { values: Object.values(FlowStatus), doc: "A status a Flow can declare." },
  FlowScope: {
    values: Object.values(FlowScope),
    doc: "What a Flow covers: the whole flow from its origin, or the anchor node and everything below it.",
  },
  ObservedFlowStatus: {
    values: Object.values(ObservedFlowStatus),
    doc: "The status of a Flow's scope as Nexla reports it.",
  },
} as const;

function enumNamed(values: readonly string[]): string {
  const found = Object.entries(enums).find(([, e]) => e.values.join() === values.join());
  if (found === undefined)
    throw new TypeError(
      `The values ${values.join(", ")} form no enum of the package schema: add it to \`enums\`.`,
    );
  return found[0];
}

/** The package schema of the `nexla` provider at `version` (the package's own). */
export function packageSchema(version: string): PackageSchema {
  return {
    name: packageName,
    displayName: "Nexla",
    version,
    description:
      "Declare the state of Nexla data flows — each flow ACTIVE or PAUSED, and who owns it — and let " +
      "`pulumi up` make Nexla match.",
    keywords: ["pulumi", "nexla", "category/utility", "kind/native"],
    license: "Apache-2.0",
    config: { variables: configProperties() },
    provider: {
      description: "The provider of Nexla data flows: where Nexla's API is, and the credential to use.",
      inputProperties: configProperties(),
    },
    types: types(),
    resources: { [flowToken]: flowResource() },
    language: {
      python: {
        packageName: `pulumi_${packageName}`,
        requires: { pulumi: `>=${pulumiSdkMinimum},<4.0.0` },
        pyproject: { enabled: true },
        respectSchemaVersion: true,
      },
    },
  };
}

function configProperties(): Record<string, PropertySpec> {
  return Object.fromEntries(
    configNames.map((name) => {
      const spec = providerConfig[name];
      return [name, { type: "string", description: spec.doc, ...(spec.secret ? { secret: true } : {}) }];
    }),
  );
}

function types(): Record<string, ObjectTypeSpec | EnumTypeSpec> {
  const enumTypes = Object.entries(enums).map(([name, e]): [string, EnumTypeSpec] => [
    token(name),
    { type: "string", description: e.doc, enum: e.values.map((value) => ({ name: pascal(value), value })) },
  ]);
  const owner: ObjectTypeSpec = {
    type: "object",
    description: "The owner of a whole flow: Nexla's ownership is whole-flow, whatever the Flow's scope.",
    properties: Object.fromEntries(
      Object.entries(ownerFields).map(([name, field]): [string, PropertySpec] =>
        "required" in field
          ? [name, { type: "integer", description: sentence(field.required) }]
          : [name, { type: "boolean", default: field.default, description: sentence(field.doc) }],
      ),
    ),
    required: Object.entries(ownerFields).flatMap(([name, field]) => ("required" in field ? [name] : [])),
  };
  const observedOwner: ObjectTypeSpec = {
    type: "object",
    description: "The owner of a whole flow as Nexla reports it.",
    properties: {
      ownerId: owner.properties["ownerId"]!,
      orgId: owner.properties["orgId"]!,
    },
    required: ["ownerId", "orgId"],
  };
  const resource: ObjectTypeSpec = {
    type: "object",
    description: "One resource in a Flow's scope as Nexla reports it.",
    properties: Object.fromEntries(
      Object.entries(observedResourceFields).map(([name, doc]) => [
        name,
        { type: name === "status" ? "string" : "integer", description: sentence(doc) },
      ]),
    ),
    required: Object.keys(observedResourceFields),
  };
  return {
    ...Object.fromEntries(enumTypes),
    [token("FlowOwner")]: owner,
    [token("ObservedOwner")]: observedOwner,
    [token("ObservedResource")]: resource,
  };
}

function flowResource(): ResourceSpec {
  const inputs = Object.fromEntries(
    inputNames.map((name) => {
      const spec: InputSpec = flowInputs[name];
      const property = { ...inputType(spec.type), description: sentence(spec.doc) };
      return [name, spec.default === null ? property : { ...property, default: spec.default }];
    }),
  );
  const outputs: Record<string, PropertySpec> = { ...inputs };
  for (const [name, spec] of Object.entries(flowOutputs) as [string, OutputSpec][])
    outputs[name] = { ...outputType(spec.type), description: sentence(spec.doc) };
  // An output is always set when the model says so, or when it echoes an input that always holds a value once
  // checked (required, or with a default).
  const filled = inputNames.filter((name) => {
    const spec: InputSpec = flowInputs[name];
    return spec.required || spec.default !== null;
  });
  const always = (Object.entries(flowOutputs) as [string, OutputSpec][]).flatMap(([name, spec]) =>
    spec.presence === "always" ? [name] : [],
  );
  const echoedOnly = filled.filter((name) => !(name in flowOutputs));
  return {
    description:
      "The state (status and owner) of one Nexla flow, or one sub-flow, that already exists. Creating a Flow " +
      "adopts the flow and reconciles it; only removing a Flow (or `destroy`) deletes anything in Nexla, and a " +
      "delete never touches what another Flow of the same operation declares.",
    inputProperties: inputs,
    requiredInputs: inputNames.filter((name) => flowInputs[name].required),
    properties: outputs,
    required: [...echoedOnly, ...always],
  };
}

function inputType(type: InputKind): PropertySpec {
  switch (type.kind) {
    case "anchor":
      return { type: "integer" };
    case "enum":
      return ref(enumNamed(type.values));
    case "owner":
      return ref("FlowOwner");
    case "seconds":
      return { type: "number" };
  }
}

function outputType(type: OutputKind): PropertySpec {
  switch (type.kind) {
    case "enum":
      return ref(enumNamed(type.values));
    case "nodeId":
      return { type: "integer" };
    case "text":
      return { type: "string" };
    case "owner":
      return ref("FlowOwner");
    case "flowOwner":
      return ref("ObservedOwner");
    case "resources":
      return { type: "array", items: ref("ObservedResource") };
    case "ids":
      return { type: "array", items: { type: "integer" } };
  }
}

/**
 * The model's words (written for the README's tables) as a description: a sentence, and links into the README
 * named rather than linked, since a schema's descriptions are shown far from it.
 */
export function sentence(doc: string): string {
  const text = doc.replace(/\[([^\]]+)\]\(#[^)]*\)/g, "$1 in the pulumi-nexla README");
  const first = text.charAt(0);
  const capitalized = first === "`" || first === '"' ? text : first.toUpperCase() + text.slice(1);
  return capitalized.endsWith(".") ? capitalized : `${capitalized}.`;
}

/** `ACTIVE` → `Active`, `downstream` → `Downstream`: an enum value's name in the generated SDKs. */
function pascal(value: string): string {
  return value
    .toLowerCase()
    .split(/[_\s-]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}
