// The GitOps layout: the state of every managed flow lives in a YAML file reviewed in pull requests, and this
// program turns each entry into a Flow. The file's path comes from the `flowsFile` config (default flows.yaml
// in the project directory).
//
// The whole file is checked before the first Flow is declared, and every problem is reported at once
// (`flowsFile`, the same rules `pulumi-nexla drift` and `export --update` read the file with): the engine
// starts a Flow's calls as soon as it is declared, so a later entry's mistake must not leave an earlier
// entry's change half-applied. A file that declares no flow is refused unless it says `allowEmpty: true`:
// to the engine an empty file means "delete every flow of the stack".
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Flow, flowsFile, type FlowsFileEntry } from "pulumi-nexla";

export function loadFlows(path: string): FlowsFileEntry[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new Error(
      `Cannot read ${path}: put flows.yaml in the project directory, or run \`pulumi config set flowsFile <path>\`.`,
    );
  }
  return flowsFile(text, path);
}

export default async function program() {
  const file = resolve(new pulumi.Config().get("flowsFile") ?? "flows.yaml");
  const entries = loadFlows(file);
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  // Each entry after those it depends on (the file has no circle: flowsFile refused it).
  const flows = new Map<string, Flow>();
  const declare = (entry: FlowsFileEntry): Flow => {
    const done = flows.get(entry.name);
    if (done !== undefined) return done;
    const dependsOn = entry.dependsOn.map((name) => declare(byName.get(name)!));
    const aliases = entry.aliases.map((alias) => ({ name: alias }));
    const flow = new Flow(entry.name, entry.args, {
      aliases,
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
    });
    flows.set(entry.name, flow);
    return flow;
  };
  entries.forEach(declare);
  return { statuses: Object.fromEntries(entries.map(({ name }) => [name, flows.get(name)!.status])) };
}
