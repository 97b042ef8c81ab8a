/**
 * The emulator against Nexla's published OpenAPI (docs/nexla-openapi/, OpenAPI 3.2 whose schemas are JSON
 * Schema 2020-12): every answer on the flow and session routes must match its documented response, except
 * where test/fixtures/openapi-errata.ts records that Nexla's server does otherwise; each erratum must still
 * be needed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createEmulator, type Emulator } from "pulumi-nexla/emulator";
import {
  errata,
  type Erratum,
  type JsonPatch,
  type OpenApiFile,
  type Operation,
} from "../fixtures/openapi-errata.js";

type Json = Record<string, unknown>;
const openapiDir = join(import.meta.dirname, "../../docs/nexla-openapi");
const docs: Record<OpenApiFile, Json> = {
  flows: parse(readFileSync(join(openapiDir, "nexla-flows-api-openapi.yml"), "utf8")) as Json,
  session: parse(readFileSync(join(openapiDir, "nexla-session-management-api-openapi.yml"), "utf8")) as Json,
};

const unescape = (segment: string) => segment.replaceAll("~1", "/").replaceAll("~0", "~");
const escape = (segment: string) => segment.replaceAll("~", "~0").replaceAll("/", "~1");
/** The parent object and last key of a JSON pointer. */
function locate(doc: Json, pointer: string): [Json, string] {
  const keys = pointer.split("/").slice(1).map(unescape);
  const last = keys.pop() ?? "";
  return [keys.reduce((node: Json, key) => node[key] as Json, doc), last];
}
const at = (doc: Json, pointer: string): unknown =>
  pointer === "" ? doc : locate(doc, pointer)[0][locate(doc, pointer)[1]];

function applyPatch(doc: Json, patch: JsonPatch): void {
  const value = patch.op === "move" ? at(doc, patch.from) : patch.value;
  if (patch.op === "move") delete locate(doc, patch.from)[0][locate(doc, patch.from)[1]];
  const [parent, key] = locate(doc, patch.path);
  parent[key] = value;
}

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => void;

/** A validator per response schema, over the documents with the given schema patches applied. */
function validatorsWith(patches: readonly Erratum[]) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat("nullable", true); // OA's `format: nullable` is an annotation with no meaning in JSON Schema
  for (const [file, doc] of Object.entries(docs)) {
    const copy = structuredClone(doc);
    for (const e of patches) if (e.kind === "schema-patch" && e.file === file) applyPatch(copy, e.patch);
    ajv.addSchema(copy, file);
  }
  return (file: OpenApiFile, pointer: string, body: unknown): string[] => {
    const validate = ajv.getSchema(`${file}#${pointer.split("/").map(encodeURIComponent).join("/")}`);
    if (validate === undefined) return [`no schema at ${file}#${pointer}`];
    return validate(body)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  };
}
type Validate = ReturnType<typeof validatorsWith>;

interface Exchange {
  readonly file: OpenApiFile;
  readonly op: Operation;
  readonly path: string;
  readonly status: number;
  readonly text: string;
}

interface Step {
  readonly op: Operation;
  readonly path: string;
  readonly file?: OpenApiFile;
  readonly auth?: string | null;
  readonly body?: unknown;
  readonly throttled?: boolean;
}

const bearer = (user: string) => `Bearer emu-${user}-access-token`;
const steps: readonly Step[] = [
  { file: "session", op: "post /token", path: "/token", auth: "Basic emu-ops-service-key" },
  { file: "session", op: "post /token", path: "/token", auth: "Basic not-a-key" },
  { file: "session", op: "post /token/logout", path: "/token/logout", auth: bearer("ops") },
  { op: "get /flows", path: "/flows" },
  { op: "get /flows", path: "/flows?flows_only=1" },
  { op: "get /flows", path: "/flows?page=2&per_page=2" },
  { op: "get /flows/{flow_id}", path: "/flows/203" },
  { op: "get /flows/{flow_id}", path: "/flows/500" },
  { op: "get /flows/{flow_id}", path: "/flows/99999" },
  { op: "get /flows/{flow_id}", path: "/flows/100", auth: bearer("outsider") },
  { op: "get /flows/{flow_id}", path: "/flows/100", auth: null },
  { op: "get /{resource_type}/{resource_id}/flow", path: "/data_sources/1100/flow" },
  { op: "get /{resource_type}/{resource_id}/flow", path: "/data_sets/2101/flow" },
  { op: "get /{resource_type}/{resource_id}/flow", path: "/data_sinks/3102/flow?flows_only=1" },
  { op: "put /flows/{flow_id}/pause", path: "/flows/207/pause" },
  { op: "put /flows/{flow_id}/activate", path: "/flows/203/activate?full_tree=1" },
  { op: "put /flows/{flow_id}/pause", path: "/flows/400/pause" },
  { op: "put /{resource_type}/{resource_id}/flow/pause", path: "/data_sets/2104/flow/pause" },
  { op: "put /{resource_type}/{resource_id}/flow/activate", path: "/data_sinks/3000/flow/activate?all=1" },
  // Nexla's refusals (docs/nexla-api.md §2.4, §10): the org at its active-source limit, the migrating cluster.
  { op: "put /flows/{flow_id}/activate", path: "/flows/810/activate" },
  { op: "put /flows/{flow_id}/pause", path: "/flows/900/pause?all=1" },
  { op: "put /{resource_type}/{resource_id}/flow/activate", path: "/data_sources/1810/flow/activate" },
  {
    op: "put /flows/{flow_id}",
    path: "/flows/500",
    body: { owner_id: 4, org_id: 3, include_data_credentials: true },
  },
  {
    op: "put /{resource_type}/{resource_id}/flow",
    path: "/data_sets/2000/flow",
    body: { owner_id: 3, org_id: 2 },
  },
  { op: "delete /flows/{flow_id}", path: "/flows/300" },
  { op: "delete /flows/{flow_id}", path: "/flows/100" },
  { op: "delete /flows/{flow_id}", path: "/flows/600" },
  { op: "delete /{resource_type}/{resource_id}/flow", path: "/data_sources/1600/flow" },
  { op: "delete /{resource_type}/{resource_id}/flow", path: "/data_sets/2104/flow" },
  { op: "get /flows", path: "/flows", throttled: true },
  { op: "get /flows", path: "/flows", throttled: true },
];

async function run(step: Step, emulators: Record<"normal" | "throttled", Emulator>): Promise<Exchange> {
  const [method = "", ...rest] = step.op.split(" ");
  const auth = step.auth === undefined ? bearer("super") : step.auth;
  const headers: Record<string, string> = {
    Accept: "application/vnd.nexla.api.v1+json",
    "Content-Type": "application/json",
  };
  if (auth !== null) headers["Authorization"] = auth;
  const body = step.body === undefined ? {} : { body: JSON.stringify(step.body) };
  const emulator = emulators[step.throttled === true ? "throttled" : "normal"];
  const response = await emulator.request(step.path, { method: method.toUpperCase(), headers, ...body });
  void rest;
  return {
    file: step.file ?? "flows",
    op: step.op,
    path: step.path,
    status: response.status,
    text: await response.text(),
  };
}

const emulators = {
  normal: createEmulator({ rateLimits: false }),
  throttled: createEmulator({ rateLimits: { light: 1 }, clock: () => 0 }),
};
const exchanges: Exchange[] = [];
for (const step of steps) exchanges.push(await run(step, emulators));

/** The documented operation an exchange is checked against, following the route errata. */
function documentedOperation(exchange: Exchange): Operation | undefined {
  for (const e of errata) {
    if (e.kind === "route-mismatch" && e.served === exchange.op) return e.documented;
    if (e.kind === "missing-operation" && e.operations.includes(exchange.op)) return e.validateAs;
  }
  return operationAt(exchange.file, exchange.op) === undefined ? undefined : exchange.op;
}

function operationAt(file: OpenApiFile, op: Operation): Json | undefined {
  const [method = "", path = ""] = op.split(" ");
  return ((docs[file]["paths"] as Json)[path] as Json | undefined)?.[method] as Json | undefined;
}

/** Every way `exchange` departs from the OpenAPI, given the schema patches behind `validate`. */
function problems(exchange: Exchange, validate: Validate): string[] {
  const op = documentedOperation(exchange);
  if (op === undefined) return [`${exchange.op} is not documented and no erratum covers it`];
  const [method = "", path = ""] = op.split(" ");
  const status = String(exchange.status);
  const responses = operationAt(exchange.file, op)?.["responses"] as Json;
  let pointer = `/paths/${escape(path)}/${method}/responses/${status}`;
  const response = responses[status] as Json | undefined;
  if (response === undefined) {
    const allowed = errata.some((e) => e.kind === "undocumented-status" && e.statuses.includes(status));
    return allowed ? [] : [`status ${status} is not documented for ${op}`];
  }
  if (typeof response["$ref"] === "string") pointer = response["$ref"].slice(1);
  const schema =
    at(docs[exchange.file], `${pointer}/content`) === undefined
      ? undefined
      : `${pointer}/content/application~1json/schema`;
  if (schema === undefined)
    return exchange.text === ""
      ? []
      : [`${op} ${status} documents no body, got ${exchange.text.slice(0, 80)}`];
  if (exchange.text === "") {
    const allowed = errata.some(
      (e) => e.kind === "empty-body" && e.status === status && e.operations.includes(exchange.op),
    );
    return allowed ? [] : [`${op} ${status} documents a body, got none`];
  }
  return validate(exchange.file, schema, JSON.parse(exchange.text));
}

const allPatches = errata.filter((e) => e.kind === "schema-patch");
const validateAll = validatorsWith(allPatches);

describe("the emulator's answers match the OpenAPI with its errata", () => {
  it.each(exchanges.map((e) => [`${e.op.split(" ")[0]?.toUpperCase()} ${e.path} → ${e.status}`, e] as const))(
    "%s",
    (_, exchange) => {
      expect(problems(exchange, validateAll)).toEqual([]);
    },
  );

  it("exercises every documented flow and session operation, or knows it is not modelled", async () => {
    const notModelled = [
      "post /flows/{flow_id}/copy",
      "post /flows/{flow_id}/docs/recommendation",
      "get /users/current",
    ];
    const covered = new Set<string | undefined>([
      ...exchanges.map((e) => documentedOperation(e)),
      ...errata.flatMap((e) => (e.kind === "route-mismatch" ? [e.documented] : [])),
    ]);
    for (const [file, doc] of Object.entries(docs)) {
      for (const [path, item] of Object.entries(doc["paths"] as Json)) {
        for (const method of Object.keys(item as Json)) {
          const op = `${method} ${path}`;
          expect(covered.has(op) || notModelled.includes(op), `${file}: ${op}`).toBe(true);
        }
      }
    }
    const emulator = createEmulator({ rateLimits: false });
    await emulator.request("/flows/100/copy", {
      method: "POST",
      headers: { Authorization: bearer("super") },
    });
    await emulator.request("/users/current", { headers: { Authorization: bearer("super") } });
    expect(emulator.control.unhandled().map((r) => r.path)).toEqual(["/flows/100/copy", "/users/current"]);
  });
});

/** Whether an erratum still describes a real difference (so the list cannot go stale). */
async function stillNeeded(e: Erratum): Promise<string[]> {
  switch (e.kind) {
    case "schema-patch": {
      const without = validatorsWith(allPatches.filter((other) => other !== e));
      const fails = (x: Exchange) => problems(x, without).length > 0 && problems(x, validateAll).length === 0;
      return exchanges.some(fails) ? [] : ["no answer that passes with this patch fails without it"];
    }
    case "renamed-property": {
      const properties = at(docs[e.file], `${e.schema}/properties`) as Json;
      const items = exchanges.flatMap((x) =>
        x.text.startsWith("{") ? (((JSON.parse(x.text) as Json)[e.list] as Json[] | undefined) ?? []) : [],
      );
      return [
        ...(e.documented in properties && !(e.actual in properties)
          ? []
          : ["the schema already uses the actual name"]),
        ...(items.length > 0 && items.every((i) => e.actual in i && !(e.documented in i))
          ? []
          : ["the emulator does not use the actual name"]),
      ];
    }
    case "parameter-in-path":
      return e.operations.flatMap((op) => {
        const parameters = (operationAt(e.file, op)?.["parameters"] ?? []) as Json[];
        const declared = parameters.some((p) => p["name"] === e.parameter && p["in"] === "path");
        return declared && !op.includes(`{${e.parameter}}`)
          ? []
          : [`${op} no longer declares ${e.parameter} in the path`];
      });
    case "route-mismatch": {
      const answer = await emulators.normal.request(
        e.documented.split(" ")[1]!.replace("{resource_type}", "data_sets").replace("{resource_id}", "2000"),
        {
          method: "PUT",
          headers: { Authorization: bearer("super") },
        },
      );
      const body = (await answer.json()) as Json;
      return [
        ...(operationAt(e.file, e.served) === undefined ? [] : [`${e.served} is documented now`]),
        ...(answer.status === 200 && !("flows" in body) ? [] : ["the documented path answers with a flow"]),
        ...(exchanges.some((x) => x.op === e.served && x.status === 200)
          ? []
          : [`the scenario does not use ${e.served}`]),
      ];
    }
    case "missing-operation":
      return e.operations.flatMap((op) => [
        ...(operationAt(e.file, op) === undefined ? [] : [`${op} is documented now`]),
        ...(exchanges.some((x) => x.op === op && x.status === 200 && x.text !== "")
          ? []
          : [`the scenario does not use ${op}`]),
      ]);
    case "empty-body":
      return e.operations.flatMap((op) => {
        const response = (operationAt(e.file, op)?.["responses"] as Json)[e.status] as Json;
        const used = exchanges.some((x) => x.op === op && String(x.status) === e.status && x.text === "");
        return "content" in response && used
          ? []
          : [`${op} ${e.status}: no documented body or no empty answer`];
      });
    case "undocumented-status":
      return e.statuses.flatMap((status) => {
        const seen = exchanges.some((x) => {
          const op = documentedOperation(x);
          return (
            String(x.status) === status &&
            op !== undefined &&
            !(status in (operationAt(x.file, op)?.["responses"] as Json))
          );
        });
        return seen ? [] : [`no answer has the undocumented status ${status}`];
      });
  }
}

describe("every erratum is still needed", () => {
  it.each(errata.map((e) => [e.id, e] as const))("%s", async (_, e) => {
    expect(await stillNeeded(e)).toEqual([]);
  });

  it("names a docs/nexla-api.md source for every erratum, under a unique id", () => {
    expect(new Set(errata.map((e) => e.id)).size).toBe(errata.length);
    for (const e of errata) expect(e.source).toMatch(/^docs\/nexla-api\.md §\d/);
  });
});
