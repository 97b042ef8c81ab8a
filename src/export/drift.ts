/**
 * `pulumi-nexla drift`: reads the declarations (the gitops layout's flows.yaml, checked with the Flow's own
 * rules: src/declaration) and Nexla, and says in words what differs — `clickstream (flow 200): data_sink 3100
 * is PAUSED, declared ACTIVE` — one line per difference. `pulumi preview --refresh --expect-no-changes` tells a
 * nightly job *that* something drifted; this tells the person reading the job *which* flows and *how*.
 * Scopes are judged by the planner (`observe`, `shortfall`), the same judgement the provider makes.
 *
 * Nexla is read through the list of flows, as export reads it (one call per page), and a declaration whose
 * anchor the list does not show (a flow the user operates but does not own) with one GET. Exit status: 0 no
 * drift, 1 drift (each difference printed), 3 could not compare (the file, the credentials, Nexla).
 */
import { readFile } from "node:fs/promises";
import { declarationOf, type Declaration } from "../declaration/declaration.js";
import { parseFlowsFile } from "../declaration/flows-file.js";
import type { NexlaClient } from "../nexla/client.js";
import type { Anchor } from "../nexla/paths.js";
import { collectionOf, resourceKinds, type FlowResponse } from "../nexla/types.js";
import { flowList, observe, ownerText, shortfall, type ObservedFlow } from "../planner/index.js";
import type { ExportIo } from "./export.js";
import { readOrg } from "./read.js";
import { visible } from "../text.js";

/** Exit status of a drift check that could not compare (bad file, credentials, Nexla unreachable). */
export const DRIFT_ERROR = 3;

/** flows.yaml → declarations, or an error naming every bad entry and what it needs (src/declaration). */
export function readDeclarations(text: string, file: string): Declaration[] {
  return parseFlowsFile(text, file).map(({ name, args }) => declarationOf(name, args));
}

/** The differences between one declaration and what Nexla reports, as sentences. */
export function differences(d: Declaration, observed: ObservedFlow | undefined): string[] {
  const name = visible(d.name);
  if (observed === undefined)
    return [`${name}: ${anchorText(d.anchor)} is gone from Nexla, declared ${d.status}`];
  const flow = `${name} (flow ${observed.originNodeId})`;
  const short = shortfall(observed, d);
  const lines = short.resources.map((r) => `${flow}: ${r.kind} ${r.id} is ${r.status}, declared ${d.status}`);
  if (short.owner) {
    const now = observed.owners.map((x) => `user ${ownerText(x)}`).join(" and ");
    lines.push(`${flow}: owned by ${now}, declared user ${ownerText(short.owner)}`);
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
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "there is no such file" : "it cannot be read";
    throw new Error(`cannot read ${file}: ${why}. Run in the project directory, or pass --flows <path>.`);
  }
  const declared = readDeclarations(text, file);
  const read = await reader(client);
  let drifted = 0;
  let adoptable = 0;
  const found: string[] = [];
  for (const d of declared) {
    const response = await read(d.anchor);
    const observed = response && observe(response, d.anchor, d.scope);
    const lines = differences(d, observed);
    if (lines.length === 0) continue;
    drifted += 1;
    if (observed !== undefined && observed.status !== "MIXED") adoptable += 1;
    found.push(...lines);
  }
  const cannotSee =
    "drift reads the file and Nexla, not the stack: a Flow whose anchor Nexla moved to another flow since " +
    "`pulumi up` adopted it is compared with the flow the anchor is in now; `pulumi preview --refresh` finds the move.\n";
  if (drifted === 0) {
    io.out(`No drift: all ${declared.length} Flows in ${file} match Nexla.\n`);
    io.out(`Note: ${cannotSee}`);
    return 0;
  }
  io.out(`Drift: ${drifted} of ${declared.length} Flows in ${file} differ from Nexla.\n`);
  io.out(found.map((l) => `  ${l}\n`).join(""));
  io.out(
    "Run `pulumi up` to put Nexla back as declared, or keep what Nexla has now: " +
      `\`pulumi-nexla export --update ${file}\` adopts ${adoptable} of them (a scope whose resources agree ` +
      `in Nexla now)${drifted > adoptable ? `; the other ${drifted - adoptable} are MIXED in Nexla: change the file by hand (e.g. split the entry) or let \`pulumi up\` restore them` : ""}.\n`,
  );
  io.out(`Note: ${cannotSee}`);
  return 1;
}

/**
 * Reads each anchor's flow: cut out of the list of flows (read whole, as export reads it) by the planner's
 * `flowList`, the cut the provider's coalesced reads make, when the list shows the anchor; else with one GET
 * (the list shows the flows the user owns).
 */
async function reader(client: NexlaClient): Promise<(anchor: Anchor) => Promise<FlowResponse | undefined>> {
  const org = await readOrg(client);
  const merged: Record<string, unknown> = { flows: org.flows.flatMap((r) => r.flows) };
  for (const kind of resourceKinds) {
    const collection = collectionOf[kind];
    const byId = new Map(org.flows.flatMap((r) => r[collection] ?? []).map((item) => [item.id, item]));
    merged[collection] = [...byId.values()];
  }
  const list = flowList(merged);
  return async (anchor) => list.flowOf(anchor) ?? (await client.tryGetFlow(anchor));
}
