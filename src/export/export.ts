/** `pulumi-nexla export`: read the org, decompose each flow, name the Flows, write them; say what it did. */
import type { NexlaClient } from "../nexla/client.js";
import type { FlowResponse } from "../nexla/types.js";
import { isPlannerError } from "../planner/index.js";
import { decompose, type ExportedFlow } from "./decompose.js";
import {
  circularText,
  outsideFirst,
  outsideText,
  precedenceText,
  withDeleteOrder,
  type DeleteOrder,
  type Precedence,
} from "./delete-order.js";
import { checkOutputs, writeAll, type Output } from "./files.js";
import { describeFilters, matches, type Filters } from "./filters.js";
import { nameAll, type NamedFlow } from "./entries.js";
import { readOrg, type OrgRead } from "./read.js";
import { render, type Format } from "./render.js";
import { snapshotOf } from "./snapshot.js";

export interface ExportOptions {
  readonly format: Format;
  /** A file path, or `-` for `io.out`. */
  readonly out: string;
  readonly filters: Filters;
  readonly withOwner: boolean;
  readonly snapshot?: string;
  /** Replace existing files. @default false */
  readonly force?: boolean;
  /** Update this file (export wrote it earlier) instead of writing a new one: see update.ts. */
  readonly update?: string;
}

export interface ExportIo {
  /** The file's text when `out` is `-`. */
  readonly out: (text: string) => void;
  /** Progress and the summary: a person reads them, a pipe does not get them mixed into the file. */
  readonly err: (line: string) => void;
}

export async function runExport(client: NexlaClient, options: ExportOptions, io: ExportIo): Promise<void> {
  if (options.update !== undefined) {
    const { runUpdate } = await import("./run-update.js");
    return runUpdate(client, { ...options, update: options.update }, io);
  }
  const force = options.force === true;
  const what = (
    {
      yaml: "flows file",
      ts: "program",
      import: "import file",
      "pulumi-yaml": "Pulumi YAML program",
    } as const
  )[options.format];
  // --update edits flows files and TypeScript programs only (args.ts), so only they are offered it.
  const updatable = options.format === "yaml" || options.format === "ts";
  await checkOutputs(
    [...(options.out === "-" ? [] : [{ path: options.out, what, updatable }]), ...snapshotOutput(options)],
    force,
  );
  const { org, flows } = await readFlows(client, options, io);
  const chosen = flows.filter(({ flow }) => matches(flow, options.filters));
  const { flows: named, ...order } = withDeleteOrder(nameAll(chosen.map(({ flow }) => flow)));
  refuseEmpty(org.flows.length, named, options.filters);
  const text = render(named, options.format, options.filters);
  const file = options.out === "-" ? [] : [{ path: options.out, what, text, replace: force }];
  await writeAll([...file, ...snapshotFile(options, org, chosen)]);
  if (options.out === "-") io.out(text);
  for (const line of summary(
    org.flows.length,
    named.map((n) => n.flow),
    named.flatMap((n) => n.entries).length,
    options,
    orderLines(
      named,
      order,
      options.format,
      outsideFirst(
        flows.map(({ flow }) => flow),
        named.filter((n) => n.entries.length > 0).map((n) => n.flow),
      ),
    ),
  ))
    io.err(line);
}

/**
 * What the person must know about the order of deletes: which Flows depend on which (for `--format import`,
 * whose file cannot say so: `pulumi import --file` has no `dependsOn`, and the program it prints has none), the
 * flows no order lets one destroy delete, and those the filters left out that Nexla must delete first
 * (`outside`, from `outsideFirst`).
 */
export function orderLines(
  named: readonly NamedFlow[],
  order: DeleteOrder,
  format: Format,
  outside: readonly Precedence[] = [],
): string[] {
  const lines: string[] = [];
  const entries = named.flatMap((n) => n.entries).filter((e) => (e.dependsOn ?? []).length > 0);
  if (entries.length > 0) {
    const why = order.pairs.map(precedenceText).join("; ");
    const which = entries.map((e) => `${e.name} on ${(e.dependsOn ?? []).join(", ")}`).join("; ");
    lines.push(
      format === "import"
        ? `  Nexla deletes some of these flows only before others (${why}), which an import file cannot say: ` +
            "after `pulumi import`, add dependsOn to these Flows in the program, so that one destroy deletes " +
            `both flows of each pair: ${which}.`
        : `  ${entries.length} Flows have dependsOn, so that one destroy deletes both flows of each pair, in the ` +
            `order Nexla needs (${why}).`,
    );
  }
  if (order.circular.length > 0) lines.push(`  ${circularText(order.circular)}`);
  if (outside.length > 0) lines.push(`  ${outsideText(outside)}`);
  return lines;
}

/** Every flow Nexla lists, decomposed, with its response; progress on `io.err` for lists of several pages. */
export async function readFlows(
  client: NexlaClient,
  options: Pick<ExportOptions, "withOwner">,
  io: ExportIo,
) {
  const org = await readOrg(client, (n, page, reading) => {
    if (page === 1) return;
    if (reading === 1) io.err(`pulumi-nexla export: read ${n} flows (page ${page})…`);
    else
      io.err(
        `pulumi-nexla export: read ${n} flows again, to be sure the list did not change (page ${page}, reading ${reading})…`,
      );
  });
  if (org.flows.length === 0)
    throw new Error(
      "Nexla reported no flow to these credentials, so there is nothing to export; nothing was written. " +
        "Check NEXLA_API_URL and that the key's user can see the org's flows.",
    );
  const flows = org.flows.map((response) => ({ response, flow: listed(org, response, options.withOwner) }));
  return { org, flows };
}

/**
 * The flow decomposed; a flow the list renders malformed is reported with the call that listed it (the
 * planner's message names `GET /flows/{id}`, the call the provider makes, which export never made).
 */
function listed(org: OrgRead, response: FlowResponse, withOwner: boolean): ExportedFlow {
  try {
    return decompose(response, withOwner);
  } catch (error) {
    const call = org.listedBy.get(response.flows[0]?.id ?? -1);
    if (!isPlannerError(error) || call === undefined) throw error;
    throw new Error(
      error.message.replace(/^(Could not read .*?) \(GET [^)]*\): /, `$1 in the list of flows (${call}): `),
      {
        cause: error,
      },
    );
  }
}

export function snapshotOutput(options: Pick<ExportOptions, "snapshot">): Output[] {
  return options.snapshot === undefined ? [] : [{ path: options.snapshot, what: "snapshot" }];
}

export function snapshotFile(
  options: Pick<ExportOptions, "snapshot" | "force">,
  org: OrgRead,
  chosen: readonly { readonly response: FlowResponse }[],
) {
  if (options.snapshot === undefined) return [];
  const snapshot = snapshotOf(
    org,
    chosen.map(({ response }) => response),
  );
  return [
    {
      path: options.snapshot,
      what: "snapshot",
      text: JSON.stringify(snapshot, null, 2) + "\n",
      replace: options.force === true,
    },
  ];
}

/**
 * A file that declares no Flow tells `pulumi up` to delete every flow of the stack (issue 19: `--flow 999999`
 * wrote `flows: []`, and the next `up` deleted them all), so export never writes one.
 */
function refuseEmpty(read: number, named: readonly NamedFlow[], filters: Filters): void {
  const only = describeFilters(filters);
  if (named.length === 0)
    throw new Error(
      `no flow matches ${only} (of the ${read} flows read); nothing was written. Check the filters: ` +
        "--flow takes a flow's id (its origin node id), --owner a user id.",
    );
  if (named.every((n) => n.entries.length === 0))
    throw new Error(
      `the ${named.length} flows that match ${only === "" ? "" : `${only} `}have nothing a Flow can declare ` +
        "(RATE_LIMITED sources only); nothing was written.",
    );
}

function summary(
  read: number,
  flows: readonly ExportedFlow[],
  entries: number,
  o: ExportOptions,
  order: readonly string[],
): string[] {
  const count = (s: string) => flows.filter((f) => f.observed.status === s).length;
  const undeclared = flows.flatMap((f) => f.undeclared);
  const where = o.out === "-" ? "standard output" : o.out;
  const lines = [
    `pulumi-nexla export: read ${read} flows; wrote ${flows.length} of them as ${entries} Flows to ${where} ` +
      `(${count("ACTIVE")} ACTIVE, ${count("PAUSED")} PAUSED, ${count("MIXED")} MIXED written as sub-flows).`,
  ];
  if (undeclared.length > 0)
    lines.push(
      `  ${undeclared.length} resources are not declared (${
        o.format === "import"
          ? undeclared.map((u) => `${u.resource.kind} ${u.resource.id}`).join(", ")
          : "each is named in the file, with the reason"
      }): a Flow cannot declare them without contradicting another.`,
    );
  const noOwner = flows.filter((f) => f.ownerNote !== undefined).length;
  if (noOwner > 0)
    lines.push(`  ${noOwner} flows have resources with different owners: their owner is not declared.`);
  if (o.snapshot !== undefined)
    lines.push(`  snapshot of these flows written to ${o.snapshot} (no credentials).`);
  lines.push(...order, next(o.format, where));
  return lines;
}

function next(format: Format, where: string): string {
  const up =
    "`pulumi up` adopts them and changes nothing in Nexla; `pulumi preview --refresh` then shows no changes.";
  if (format === "import")
    return (
      `  Next: \`pulumi import --file ${where}\` adopts them and changes nothing in Nexla (the native provider, ` +
      "nexla:index:Flow); paste the program it prints, and `pulumi preview` shows no changes."
    );
  if (format === "pulumi-yaml")
    return (
      "  Next: in its folder, `npm install pulumi-nexla` (the plugin), `pulumi stack init`, set nexla:apiUrl and " +
      `nexla:serviceKey (its header says how); ${up}`
    );
  return `  Next: ${up}`;
}
