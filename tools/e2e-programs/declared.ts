// An e2e test program: declares whatever Flows the stack config `flows` lists, each with its resource options,
// so a test can put a stack through any sequence of programs (re-anchoring, widening a scope, removing a Flow,
// ignoreChanges, overlapping Flows, dependencies between Flows) without one example per case. Config `flows`:
// a JSON array of `{ name, args, options?: { ignoreChanges?: string[], retainOnDelete?: boolean,
// dependsOn?: string[] } }`, where `dependsOn` names earlier Flows of the list; `[]` declares none.
import * as pulumi from "@pulumi/pulumi";
import { Flow, type FlowArgs } from "pulumi-nexla";

export interface DeclaredFlow {
  readonly name: string;
  readonly args: FlowArgs;
  readonly options?: {
    readonly ignoreChanges?: readonly string[];
    readonly retainOnDelete?: boolean;
    /** Names of Flows earlier in the list, passed as the `dependsOn` resource option. */
    readonly dependsOn?: readonly string[];
  };
}

export default async function program() {
  const declared = JSON.parse(new pulumi.Config().require("flows")) as DeclaredFlow[];
  const outputs: Record<string, unknown> = {};
  const flows = new Map<string, Flow>();
  for (const { name, args, options } of declared) {
    const dependsOn = (options?.dependsOn ?? []).map((other) => {
      const flow = flows.get(other);
      if (flow === undefined) throw new Error(`Flow ${name}: dependsOn names "${other}", no Flow before it`);
      return flow;
    });
    const flow = new Flow(name, args, {
      ...(options?.ignoreChanges ? { ignoreChanges: [...options.ignoreChanges] } : {}),
      ...(options?.retainOnDelete !== undefined ? { retainOnDelete: options.retainOnDelete } : {}),
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
    });
    flows.set(name, flow);
    outputs[name] = { status: flow.status, originNodeId: flow.originNodeId, anchorNodeId: flow.anchorNodeId };
  }
  return outputs;
}
