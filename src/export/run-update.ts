/**
 * `pulumi-nexla export --update FILE`: reads the file (refused before Nexla is read unless it is in the shape
 * export writes), reads Nexla, changes in the file only what Nexla changed (update.ts), writes it back
 * whole (files.ts), and says what changed.
 */
import { readFile } from "node:fs/promises";
import type { NexlaClient } from "../nexla/client.js";
import { readFlows, snapshotFile, snapshotOutput, type ExportIo, type ExportOptions } from "./export.js";
import { checkOutputs, writeAll } from "./files.js";
import { matches } from "./filters.js";
import { planUpdate } from "./update.js";
import { readTs } from "./update-ts.js";
import { readYaml } from "./update-yaml.js";

export async function runUpdate(
  client: NexlaClient,
  options: ExportOptions & { readonly update: string },
  io: ExportIo,
): Promise<void> {
  const path = options.update;
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    const why = error.code === "ENOENT" ? "there is no such file" : error.message;
    throw new Error(
      `cannot read ${path}: ${why}. --update edits a file export wrote; to write a new one, use --out.`,
      { cause: error },
    );
  });
  const file = options.format === "yaml" ? readYaml(text, path) : readTs(text, path);
  await checkOutputs(snapshotOutput(options), options.force === true);
  const { org, flows } = await readFlows(client, options, io);
  const plan = planUpdate(file.entries, flows, options);
  const updated = file.apply(plan);
  const chosen = flows.filter(({ flow }) => matches(flow, options.filters));
  const changed = updated === text ? [] : [{ path, what: "file", text: updated, replace: true }];
  await writeAll([...changed, ...snapshotFile(options, org, chosen)]);
  const verb = `pulumi-nexla export --update: ${path}`;
  const added = plan.added.flatMap((n) => n.entries).length;
  if (changed.length === 0) io.err(`${verb}: nothing to change.`);
  else io.err(`${verb}: ${plan.summary.length - added} entries noted or changed, ${added} added.`);
  // Unchanged, a file can still declare what Nexla does not have now (MIXED, gone): it is said every time.
  for (const line of plan.summary) io.err(`  ${line}`);
}
