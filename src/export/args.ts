/** `pulumi-nexla <command>`: flags, checked up front, each bad one named with what to do instead. */
import { resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { ObservedStatus } from "../planner/index.js";
import type { Filters } from "./filters.js";
import type { Format } from "./render.js";

export const usage = `Usage: pulumi-nexla <command> [options]

Commands:
  export   write declarations (Flows) that reproduce Nexla's current state
  drift    compare flows.yaml with Nexla and say, in words, what differs

pulumi-nexla export [options]
  --format yaml|ts|import|pulumi-yaml
                        flows.yaml for the gitops layout, a TypeScript program, a file for
                        \`pulumi import --file\`, or a Pulumi YAML program (a whole Pulumi.yaml, project
                        nexla-flows); the last two declare the native nexla:index:Flow  [default: yaml]
  --out FILE            where to write it (- for standard output)
                        [default: flows.yaml, index.ts, import.json, or Pulumi.yaml]
  --flow ID             only this flow (its id: the origin node id); repeat for more
  --project ID          only flows of this project; repeat for more
  --owner ID            only flows with a resource owned by this user; repeat for more
  --status S            only flows whose resources are all ACTIVE, all PAUSED, or MIXED; repeat for more
  --name PATTERN        only flows whose Nexla name matches (* and ?, any case)
  --with-owner          also declare each flow's owner (off: ownership is left as it is)
  --snapshot FILE       also save what Nexla reported (no credentials) for
                        pulumi-nexla-emulator --seed-from-snapshot FILE
  --update FILE         update a file export wrote earlier instead of writing a new one: keeps its
                        names, order, comments and entries, changes only what Nexla changed, adds
                        new flows at the end, never removes or splits an entry (notes say why)
  --force               replace --out (and --snapshot) if the file exists; without it, an existing
                        file is never overwritten
  A filter that matches no flow is an error, and nothing is written: export never writes a file that
  declares no Flow. Files are written whole or not at all (a temporary file, then renamed).
  Flows Nexla deletes only in one order (a RAG flow before the flow linked to it, a derived flow before
  the flow whose nexset it derives from) get dependsOn when both are exported, so one destroy deletes
  both; an import file cannot hold it, so export names the dependsOn to add after the import.

pulumi-nexla drift [options]
  --flows FILE          the declarations to compare  [default: flows.yaml]
  exits 0 when Nexla matches them, 1 when something drifted (each difference printed), 3 when it
  could not compare (the file is missing or not valid, the credentials are refused, Nexla cannot be read)

Credentials come from the environment: NEXLA_API_URL, and NEXLA_SERVICE_KEY or NEXLA_ACCESS_TOKEN.
  -h, --help            show this help`;

export class UsageError extends Error {
  override readonly name = "UsageError";
}

export type Command =
  | { readonly command: "help" }
  | {
      readonly command: "export";
      readonly format: Format;
      readonly out: string;
      readonly filters: Filters;
      readonly withOwner: boolean;
      readonly snapshot?: string;
      readonly force: boolean;
      readonly update?: string;
    }
  | { readonly command: "drift"; readonly flowsFile: string };

const statuses: readonly ObservedStatus[] = ["ACTIVE", "PAUSED", "MIXED"];

const formats: readonly Format[] = ["yaml", "ts", "import", "pulumi-yaml"];
const isFormat = (format: string): format is Format => (formats as readonly string[]).includes(format);

/**
 * The format of the file `--update` names when --format is not given: a program by its extension; a Pulumi.yaml is
 * a Pulumi project file, never the gitops layout's flows file, so it is refused as a Pulumi YAML program is.
 */
function formatOf(update: string | undefined): Format {
  if (update === undefined) return "yaml";
  if (/\.[cm]?[jt]s$/.test(update)) return "ts";
  return /(^|[\\/])Pulumi\.ya?ml$/.test(update) ? "pulumi-yaml" : "yaml";
}

function ids(values: readonly string[] | undefined, flag: string): number[] {
  return (values ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => {
      if (!/^\d+$/.test(v.trim())) throw new UsageError(`${flag} takes a numeric id, got "${v}"`);
      return Number(v.trim());
    });
}

function parse(argv: readonly string[], options: NonNullable<ParseArgsConfig["options"]>) {
  try {
    return parseArgs({ args: [...argv], strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0] ?? "bad arguments");
  }
}

export function parseCommand(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (command === undefined || command === "-h" || command === "--help" || command === "help")
    return { command: "help" };
  if (command === "export") return parseExport(rest);
  if (command === "drift") return parseDrift(rest);
  throw new UsageError(`unknown command "${command}": use export or drift`);
}

function parseExport(argv: readonly string[]): Command {
  const v = parse(argv, {
    format: { type: "string" },
    out: { type: "string" },
    flow: { type: "string", multiple: true },
    project: { type: "string", multiple: true },
    owner: { type: "string", multiple: true },
    status: { type: "string", multiple: true },
    name: { type: "string" },
    "with-owner": { type: "boolean" },
    snapshot: { type: "string" },
    force: { type: "boolean" },
    update: { type: "string" },
    help: { type: "boolean", short: "h" },
  }) as Record<string, string | string[] | boolean | undefined>;
  if (v["help"] === true) return { command: "help" };
  const update = v["update"] as string | undefined;
  if (update !== undefined && v["out"] !== undefined)
    throw new UsageError("--update writes back to the file it reads: leave out --out");
  if (update === "" || update === "-") throw new UsageError("--update needs the file to update");
  const format = (v["format"] as string | undefined) ?? formatOf(update);
  if (!isFormat(format))
    throw new UsageError(`--format must be yaml, ts, import or pulumi-yaml, got "${format}"`);
  if (format === "import" && update !== undefined)
    throw new UsageError("--update edits a flows file or a program: leave out --format import");
  if (format === "pulumi-yaml" && update !== undefined)
    throw new UsageError(
      "--update edits a flows file or a TypeScript program, not a Pulumi YAML program: to bring a Pulumi.yaml " +
        "up to date, export a new one (--format pulumi-yaml --out FILE) and merge by hand",
    );
  if (format === "import" && v["with-owner"] === true)
    throw new UsageError(
      "--with-owner does not apply to --format import: an imported Flow declares no owner (add one to the " +
        "program `pulumi import` generates)",
    );
  const wanted = ((v["status"] as string[] | undefined) ?? []).flatMap((s) => s.split(","));
  const bad = wanted.find((s) => !statuses.includes(s.toUpperCase() as ObservedStatus));
  if (bad !== undefined) throw new UsageError(`--status must be ACTIVE, PAUSED or MIXED, got "${bad}"`);
  const name = v["name"] as string | undefined;
  if (name === "") throw new UsageError('--name needs a pattern, such as "orders*"');
  const out =
    update ??
    (v["out"] as string | undefined) ??
    ({ yaml: "flows.yaml", ts: "index.ts", import: "import.json", "pulumi-yaml": "Pulumi.yaml" } as const)[
      format
    ];
  const snapshot = v["snapshot"] as string | undefined;
  if (snapshot === "-" || snapshot === "")
    throw new UsageError("--snapshot needs a file name (standard output is for --out -)");
  if (snapshot !== undefined && out !== "-" && resolve(snapshot) === resolve(out))
    throw new UsageError(`--out and --snapshot name the same file (${out}): give the snapshot another name`);
  if (out === "") throw new UsageError("--out needs a file name, or - for standard output");
  return {
    command: "export",
    format,
    out,
    filters: {
      flowIds: ids(v["flow"] as string[] | undefined, "--flow"),
      projectIds: ids(v["project"] as string[] | undefined, "--project"),
      ownerIds: ids(v["owner"] as string[] | undefined, "--owner"),
      statuses: wanted.map((s) => s.toUpperCase() as ObservedStatus),
      ...(name === undefined ? {} : { namePattern: name }),
    },
    withOwner: v["with-owner"] === true,
    ...(snapshot === undefined ? {} : { snapshot }),
    force: v["force"] === true,
    ...(update === undefined ? {} : { update }),
  };
}

function parseDrift(argv: readonly string[]): Command {
  const v = parse(argv, { flows: { type: "string" }, help: { type: "boolean", short: "h" } });
  if (v["help"] === true) return { command: "help" };
  return { command: "drift", flowsFile: (v["flows"] as string | undefined) ?? "flows.yaml" };
}
