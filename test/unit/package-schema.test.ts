/**
 * The native provider's package schema (src/declaration/package-schema.ts) is generated from the declaration
 * model. These tests hold it to what the provider does: the values `check` accepts, the defaults it fills in,
 * and the outputs create, refresh and a moved anchor store all conform to it; the config it describes is the
 * one the provider reads.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkFlowInputs } from "../../src/declaration/check.js";
import { checkProviderConfig } from "../../src/declaration/config.js";
import {
  flowToken,
  packageSchema,
  pulumiSdkMinimum,
  type PackageSchema,
  type PropertySpec,
} from "../../src/declaration/package-schema.js";
import { movedOutputs, refreshedOutputs, toOutputs } from "../../src/declaration/state.js";
import { observe } from "../../src/planner/index.js";
import { configKeys } from "../../provider/internal/credentials.js";
import { flowResponse } from "./planner-fixtures.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const schema = packageSchema("1.2.3");
const flow = schema.resources[flowToken]!;

/** The problems of `value` as a value of `spec` in `schema`, by path; none when it conforms. */
function problems(value: unknown, spec: PropertySpec, path: string): string[] {
  if (spec.$ref !== undefined) {
    const type = schema.types[spec.$ref.replace("#/types/", "")];
    if (type === undefined) return [`${path}: ${spec.$ref} is not a type of the schema`];
    if ("enum" in type)
      return type.enum.some((e) => e.value === value) ? [] : [`${path}: ${String(value)} is not in the enum`];
    return objectProblems(value, type.properties, type.required, path);
  }
  switch (spec.type) {
    case "integer":
      return Number.isSafeInteger(value) ? [] : [`${path}: not an integer`];
    case "number":
      return typeof value === "number" ? [] : [`${path}: not a number`];
    case "string":
      return typeof value === "string" ? [] : [`${path}: not a string`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${path}: not a boolean`];
    case "array":
      if (!Array.isArray(value)) return [`${path}: not an array`];
      return value.flatMap((item, i) => problems(item, spec.items!, `${path}[${i}]`));
    default:
      return [`${path}: the schema gives it no type`];
  }
}

function objectProblems(
  value: unknown,
  properties: Readonly<Record<string, PropertySpec>>,
  required: readonly string[],
  path: string,
): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${path}: not an object`];
  const bag = value as Record<string, unknown>;
  const missing = required.filter((key) => bag[key] === undefined || bag[key] === null);
  return [
    ...missing.map((key) => `${path}.${key}: required, missing`),
    ...Object.entries(bag).flatMap(([key, v]) => {
      const spec = properties[key];
      if (spec === undefined) return [`${path}.${key}: not in the schema`];
      return v === null || v === undefined ? [] : problems(v, spec, `${path}.${key}`);
    }),
  ];
}

const engineKeys = (bag: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(bag).filter(([key]) => !key.startsWith("__")));

const response = flowResponse(
  {
    node: 100,
    kind: "data_source",
    id: 1001,
    status: "RATE_LIMITED",
    children: [
      {
        node: 101,
        kind: "data_set",
        id: 2001,
        status: "PAUSED",
        children: [{ node: 102, kind: "data_sink", id: 3001 }],
      },
    ],
  },
  "orders",
);

describe("the package schema", () => {
  it("is the nexla package with the Flow resource", () => {
    expect(schema.name).toBe("nexla");
    expect(schema.version).toBe("1.2.3");
    expect(Object.keys(schema.resources)).toEqual(["nexla:index:Flow"]);
  });

  it("describes every property of the resource, its types and its config, with no link into the README", () => {
    const described: [string, PropertySpec][] = [
      ...Object.entries(flow.inputProperties),
      ...Object.entries(flow.properties),
      ...Object.entries(schema.config.variables),
      ...Object.values(schema.types).flatMap((t) => ("properties" in t ? Object.entries(t.properties) : [])),
    ];
    for (const [name, spec] of described) expect(spec.description, name).toMatch(/^\S.*\.$/s);
    expect(JSON.stringify(schema)).not.toContain("](#");
  });

  it("enumerates exactly the statuses and scopes check accepts", () => {
    const values = (property: "status" | "scope") => {
      const type = schema.types[flow.inputProperties[property]!.$ref!.replace("#/types/", "")]!;
      return "enum" in type ? type.enum.map((e) => e.value) : [];
    };
    expect(values("status")).toEqual(["ACTIVE", "PAUSED"]);
    expect(values("scope")).toEqual(["flow", "downstream"]);
    for (const property of ["status", "scope"] as const) {
      for (const value of values(property))
        expect(checkFlowInputs({ flowId: 1, status: "ACTIVE", [property]: value }).failures).toEqual([]);
      // check's refusal lists its choices: they are the enum's.
      const [refusal] = checkFlowInputs({ flowId: 1, status: "ACTIVE", [property]: "sideways" }).failures;
      expect(refusal?.reason).toBe(
        `${property} must be ${values(property)
          .map((v) => `"${v}"`)
          .join(" or ")}, got "sideways".`,
      );
    }
  });

  it("requires the inputs check requires and states the defaults check fills in", () => {
    expect(flow.requiredInputs).toEqual(["status"]);
    const { status: _status, ...withoutStatus } = { flowId: 1, status: "ACTIVE" };
    expect(checkFlowInputs(withoutStatus).failures.map((f) => f.property)).toEqual(["status"]);
    const { inputs } = checkFlowInputs({ flowId: 1, status: "ACTIVE", owner: { ownerId: 3, orgId: 2 } });
    const defaults = Object.fromEntries(
      Object.entries(flow.inputProperties).flatMap(([k, p]) =>
        p.default === undefined ? [] : [[k, p.default]],
      ),
    );
    expect(defaults).toEqual({ scope: "flow", convergeTimeoutSeconds: 120 });
    expect(inputs).toMatchObject(defaults);
    const owner = schema.types["nexla:index:FlowOwner"];
    const ownerDefaults = Object.fromEntries(
      Object.entries(owner && "properties" in owner ? owner.properties : {}).flatMap(([k, p]) =>
        p.default === undefined ? [] : [[k, p.default]],
      ),
    );
    expect(inputs["owner"]).toMatchObject(ownerDefaults);
    expect(Object.keys(ownerDefaults)).toEqual(["includeDataCredentials", "includeCodeContainers"]);
  });

  it("takes every input check accepts, as check fills it in", () => {
    const { inputs, failures } = checkFlowInputs({
      dataSetId: 2001,
      scope: "downstream",
      status: "PAUSED",
      owner: { ownerId: 3, orgId: 2, includeCodeContainers: true },
      convergeTimeoutSeconds: 2.5,
    });
    expect(failures).toEqual([]);
    expect(objectProblems(inputs, flow.inputProperties, flow.requiredInputs, "inputs")).toEqual([]);
    // A value of the wrong type is seen: the conformance check itself can fail.
    expect(objectProblems({ ...inputs, scope: "up" }, flow.inputProperties, [], "inputs")).toEqual([
      "inputs.scope: up is not in the enum",
    ]);
  });

  it("types the outputs create, refresh and a moved anchor store", () => {
    const { inputs } = checkFlowInputs({
      dataSetId: 2001,
      status: "PAUSED",
      owner: { ownerId: 2, orgId: 2 },
    });
    const observed = observe(response, { kind: "data_set", id: 2001 }, "flow");
    const created = toOutputs(inputs as never, observed);
    const refreshed = refreshedOutputs({ ...created, __flowName: "orders" }, observed);
    const moved = movedOutputs({ ...created, __flowName: "orders" }, 900);
    for (const [name, outs] of Object.entries({ created, refreshed, moved })) {
      const bag = engineKeys(outs as unknown as Record<string, unknown>);
      expect(objectProblems(bag, flow.properties, flow.required, name), name).toEqual([]);
    }
    expect(created).toMatchObject({ status: "MIXED", rateLimited: [1001], anchorMovedTo: null });
    expect(moved.anchorMovedTo).toBe(900);
  });

  it("marks the credentials secret in the config and the provider's inputs, and nothing else", () => {
    const secrets = (props: Readonly<Record<string, PropertySpec>>) =>
      Object.entries(props).flatMap(([name, p]) => (p.secret === true ? [name] : []));
    expect(secrets(schema.config.variables)).toEqual(["serviceKey", "accessToken"]);
    expect(schema.provider.inputProperties).toEqual(schema.config.variables);
    expect(secrets(flow.inputProperties)).toEqual([]);
    expect(secrets(flow.properties)).toEqual([]);
  });

  it("names the config keys the provider reads", () => {
    const keys = Object.keys(schema.config.variables).map((k) => `nexla:${k}`);
    expect(keys.sort()).toEqual(Object.keys(configKeys).sort());
  });

  it("asks the Python SDK for the Pulumi the Node package and the Python example are pinned to", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      peerDependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.peerDependencies["@pulumi/pulumi"]).toBe(`^${pulumiSdkMinimum}`);
    expect(pkg.devDependencies["@pulumi/pulumi"]).toBe(pulumiSdkMinimum);
    const requirements = readFileSync(join(root, "tools/python/requirements.txt"), "utf8");
    expect(requirements).toMatch(new RegExp(`^pulumi==${pulumiSdkMinimum.replaceAll(".", "\\.")}$`, "m"));
    expect(schema.language.python).toEqual({
      packageName: "pulumi_nexla",
      requires: { pulumi: `>=${pulumiSdkMinimum},<4.0.0` },
      pyproject: { enabled: true },
      respectSchemaVersion: true,
    });
  });

  it("is JSON: what GetSchema serves parses back to the same schema", () => {
    expect(JSON.parse(JSON.stringify(schema)) as PackageSchema).toEqual(schema);
  });
});

describe("checkProviderConfig", () => {
  const env = {};

  it("accepts a URL and one credential, and the keys the engine adds", () => {
    expect(
      checkProviderConfig(
        { apiUrl: "https://example.test/nexla-api", serviceKey: "k", version: "0.1.0" },
        env,
      ),
    ).toEqual([]);
  });

  it("names every problem at once", () => {
    expect(
      checkProviderConfig(
        { apiURL: "x", apiUrl: "ftp://example.test", serviceKey: "k", accessToken: "t" },
        env,
      ),
    ).toEqual([
      { property: "apiURL", reason: 'Unknown provider config "nexla:apiURL". Did you mean "nexla:apiUrl"?' },
      {
        property: "apiUrl",
        reason: "nexla:apiUrl must be an http(s) URL, not ftp:. Set it to Nexla's API base URL.",
      },
      {
        property: "serviceKey",
        reason:
          "Both nexla:serviceKey and nexla:accessToken are set. Set only one: a service key is best for " +
          "automation, because its session tokens are renewed automatically.",
      },
      {
        property: "accessToken",
        reason:
          "Both nexla:serviceKey and nexla:accessToken are set. Set only one: a service key is best for " +
          "automation, because its session tokens are renewed automatically.",
      },
    ]);
  });

  it("refuses plain http to a remote host unless the environment allows it", () => {
    const config = { apiUrl: "http://nexla.example.test/api", accessToken: "t" };
    expect(checkProviderConfig(config, env).map((f) => f.property)).toEqual(["apiUrl"]);
    expect(checkProviderConfig(config, { NEXLA_ALLOW_INSECURE_HTTP: "1" })).toEqual([]);
  });

  it("asks for a credential only when neither config nor the environment has one", () => {
    expect(checkProviderConfig({}, { NEXLA_SERVICE_KEY: "k" })).toEqual([]);
    expect(checkProviderConfig({}, { NEXLA_ACCESS_TOKEN: "t" })).toEqual([]);
    expect(checkProviderConfig({ serviceKey: 42 }, env)).toEqual([
      { property: "serviceKey", reason: "nexla:serviceKey must be a string, got a number." },
      {
        property: "serviceKey",
        reason:
          "No Nexla credentials: set nexla:serviceKey (or nexla:accessToken) as a secret, e.g. `pulumi config " +
          "set --secret nexla:serviceKey <key>`, or NEXLA_SERVICE_KEY (or NEXLA_ACCESS_TOKEN) in the environment " +
          "of `pulumi`.",
      },
    ]);
  });
});
