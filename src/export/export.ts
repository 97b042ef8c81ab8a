/** `pulumi-nexla export`: read the org, decompose each flow, name the Flows, write them; say what it did. */
import { writeFile } from "node:fs/promises";
import type { NexlaClient } from "../nexla/client.js";
import { decompose, type ExportedFlow } from "./decompose.js";
import { matches, type Filters } from "./filters.js";
import { nameAll } from "./plan-export.js";
import { readOrg } from "./read.js";
import { render, type Format } from "./render.js";
import { snapshotOf } from "./snapshot.js";

export interface ExportOptions {
  readonly format: Format;
  /** A file path, or `-` for `io.out`. */
  readonly out: string;
  readonly filters: Filters;
  readonly withOwner: boolean;
  readonly snapshot?: string;
}

export interface ExportIo {
  /** The file's text when `out` is `-`. */
  readonly out: (text: string) => void;
  /** Progress and the summary: a person reads them, a pipe does not get them mixed into the file. */
  readonly err: (line: string) => void;
}

export async function runExport(client: NexlaClient, options: ExportOptions, io: ExportIo): Promise<void> {
  const org = await readOrg(client, (n, page) => {
    if (page > 1) io.err(`pulumi-nexla export: read ${n} flows (page ${page})…`);
  });
  const chosen = org.flows
    .map((response) => ({ response, flow: decompose(response, options.withOwner) }))
    .filter(({ flow }) => matches(flow, options.filters));
  const named = nameAll(chosen.map(({ flow }) => flow));
  const text = render(named, options.format, options.filters);
  if (options.out === "-") io.out(text);
  else await writeFile(options.out, text);
  if (options.snapshot !== undefined) {
    const snapshot = snapshotOf(
      org,
      chosen.map(({ response }) => response),
    );
    await writeFile(options.snapshot, JSON.stringify(snapshot, null, 2) + "\n");
  }
  for (const line of summary(
    org.flows.length,
    named.map((n) => n.flow),
    named.flatMap((n) => n.entries).length,
    options,
  ))
    io.err(line);
}

function summary(read: number, flows: readonly ExportedFlow[], entries: number, o: ExportOptions): string[] {
  const count = (s: string) => flows.filter((f) => f.observed.status === s).length;
  const undeclared = flows.flatMap((f) => f.undeclared);
  const where = o.out === "-" ? "standard output" : o.out;
  const lines = [
    `pulumi-nexla export: read ${read} flows; wrote ${flows.length} of them as ${entries} Flows to ${where} ` +
      `(${count("ACTIVE")} ACTIVE, ${count("PAUSED")} PAUSED, ${count("MIXED")} MIXED written as sub-flows).`,
  ];
  if (undeclared.length > 0)
    lines.push(
      `  ${undeclared.length} resources are not declared (each is named in the file, with the reason): ` +
        "a Flow cannot declare them without contradicting another.",
    );
  const noOwner = flows.filter((f) => f.ownerNote !== undefined).length;
  if (noOwner > 0)
    lines.push(`  ${noOwner} flows have resources with different owners: their owner is not declared.`);
  if (o.snapshot !== undefined)
    lines.push(`  snapshot of these flows written to ${o.snapshot} (no credentials).`);
  lines.push(
    "  Next: `pulumi up` adopts them and changes nothing in Nexla; `pulumi preview --refresh` then shows no changes.",
  );
  return lines;
}
