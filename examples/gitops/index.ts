// The GitOps layout: the state of every managed flow lives in a YAML file reviewed in pull requests, and this
// program turns each entry into a Flow. The file's path comes from the `flowsFile` config (default flows.yaml
// in the project directory).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { Flow, flowArgs } from "pulumi-nexla";

interface Entry {
  readonly name: string;
  readonly [key: string]: unknown;
}

export function loadFlows(path: string): Entry[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new Error(
      `Cannot read ${path}: put flows.yaml in the project directory, or run \`pulumi config set flowsFile <path>\`.`,
    );
  }
  const doc = parse(text) as { flows?: unknown } | null;
  const flows = doc?.flows;
  if (!Array.isArray(flows)) throw new Error(`${path}: expected a top-level "flows:" list of flow entries.`);
  return flows.map((entry: unknown, i) => {
    const name = (entry as { name?: unknown } | null)?.name;
    if (typeof name !== "string" || name === "")
      throw new Error(`${path}: flows[${i}] needs a "name" (the Pulumi resource name).`);
    return entry as Entry;
  });
}

export default async function program() {
  const file = resolve(new pulumi.Config().get("flowsFile") ?? "flows.yaml");
  // flowArgs checks each entry with the provider's own rules, so a mistake in the file fails here, naming it.
  const flows = loadFlows(file).map(
    ({ name, ...args }, i) =>
      [name, new Flow(name, flowArgs(args, `${file}: flows[${i}] (${name})`))] as const,
  );
  return { statuses: Object.fromEntries(flows.map(([name, flow]) => [name, flow.status])) };
}
