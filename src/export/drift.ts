/**
 * `pulumi-nexla drift`: reads the declarations (the gitops layout's flows.yaml) and Nexla, and says in words
 * what differs — `clickstream (flow 200): data_sink 3100 is PAUSED, declared ACTIVE` — one line per
 * difference. `pulumi preview --refresh --expect-no-changes` tells a nightly job *that* something drifted;
 * this tells the person reading the job *which* flows and *how*. Scopes are judged by the planner's
 * `observe`, the same reading the provider uses, so the two never disagree about what a Flow covers.
 */
import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import type { NexlaClient } from "../nexla/client.js";
import type { Anchor, Scope } from "../nexla/paths.js";
import { isAt, observe, type ObservedFlow } from "../planner/index.js";
import type { ExportIo } from "./export.js";

export interface Declared {
  readonly name: string;
  readonly anchor: Anchor;
  readonly scope: Scope;
  readonly status: "ACTIVE" | "PAUSED";
  readonly owner?: { readonly ownerId: number; readonly orgId: number };
}

const anchorKeys = {
  flowId: "flow",
  dataSourceId: "data_source",
  dataSetId: "data_set",
  dataSinkId: "data_sink",
} as const;

/** flows.yaml → declarations, or an error naming every bad entry and what it needs. */
export function readDeclarations(text: string, file: string): Declared[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid YAML: ${(error as Error).message.split("\n")[0]}`, {
      cause: error,
    });
  }
  const flows = (doc as { flows?: unknown } | null)?.flows;
  if (!Array.isArray(flows)) throw new Error(`${file}: expected a top-level "flows:" list of flow entries.`);
  const problems: string[] = [];
  const out = flows.flatMap((entry: unknown, i): Declared[] => {
    const e = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
    const where = `flows[${i}]${typeof e["name"] === "string" ? ` (${e["name"]})` : ""}`;
    const anchors = (Object.entries(anchorKeys) as [string, Anchor["kind"]][]).filter(
      ([key]) => e[key] !== undefined,
    );
    const bad: string[] = [];
    if (typeof e["name"] !== "string" || e["name"] === "") bad.push('needs a "name"');
    if (anchors.length !== 1) bad.push("needs exactly one of flowId, dataSourceId, dataSetId, dataSinkId");
    if (e["status"] !== "ACTIVE" && e["status"] !== "PAUSED")
      bad.push('needs "status: ACTIVE" or "status: PAUSED"');
    const scope = e["scope"] ?? "flow";
    if (scope !== "flow" && scope !== "downstream")
      bad.push('has a "scope" that is neither flow nor downstream');
    const [[key, kind] = ["flowId", "flow" as const]] = anchors;
    if (anchors.length === 1 && !Number.isSafeInteger(e[key]))
      bad.push(`has a ${key} that is not a whole number`);
    problems.push(...bad.map((b) => `${where} ${b}`));
    if (bad.length > 0) return [];
    const owner = e["owner"] as { ownerId?: unknown; orgId?: unknown } | undefined;
    const declaredOwner =
      typeof owner?.ownerId === "number" && typeof owner.orgId === "number"
        ? { owner: { ownerId: owner.ownerId, orgId: owner.orgId } }
        : {};
    return [
      {
        name: e["name"] as string,
        anchor: { kind, id: e[key] as number },
        scope: scope as Scope,
        status: e["status"] as Declared["status"],
        ...declaredOwner,
      },
    ];
  });
  if (problems.length > 0)
    throw new Error(`${file}: ${problems.join("; ")}. Fix these entries and run again.`);
  return out;
}

/** The differences between one declaration and what Nexla reports, as sentences. */
export function differences(d: Declared, observed: ObservedFlow | undefined): string[] {
  if (observed === undefined)
    return [`${d.name}: ${anchorText(d.anchor)} is gone from Nexla, declared ${d.status}`];
  const flow = `${d.name} (flow ${observed.originNodeId})`;
  const lines = observed.resources
    .filter((r) => !isAt(r.status, d.status))
    .map((r) => `${flow}: ${r.kind} ${r.id} is ${r.status}, declared ${d.status}`);
  const o = d.owner;
  if (o && !(observed.owner?.ownerId === o.ownerId && observed.owner.orgId === o.orgId)) {
    const now = observed.owners.map((x) => `user ${x.ownerId}/org ${x.orgId}`).join(" and ");
    lines.push(`${flow}: owned by ${now}, declared user ${o.ownerId}/org ${o.orgId}`);
  }
  return lines;
}

export function anchorText(a: Anchor): string {
  return a.kind === "flow" ? `flow ${a.id}` : `${a.kind} ${a.id}`;
}

export async function runDrift(client: NexlaClient, file: string, io: ExportIo): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new Error(`cannot read ${file}: run in the project directory, or pass --flows <path>.`);
  }
  const declared = readDeclarations(text, file);
  const found: string[] = [];
  for (const d of declared) {
    const response = await client.tryGetFlow(d.anchor);
    found.push(...differences(d, response && observe(response, d.anchor, d.scope)));
  }
  if (found.length === 0) {
    io.out(`No drift: all ${declared.length} Flows in ${file} match Nexla.\n`);
    return 0;
  }
  const flows = new Set(found.map((l) => l.split(":")[0])).size;
  io.out(`Drift: ${flows} of ${declared.length} Flows in ${file} differ from Nexla.\n`);
  io.out(found.map((l) => `  ${l}\n`).join(""));
  io.out("Run `pulumi up` to put Nexla back as declared, or change the file to keep what Nexla has now.\n");
  return 1;
}
