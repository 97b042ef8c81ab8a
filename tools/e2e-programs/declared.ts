// An e2e test program: declares whatever Flows the stack config `flows` lists, each with its resource options,
// so a test can put a stack through any sequence of programs (re-anchoring, widening a scope, removing a Flow,
// ignoreChanges, overlapping Flows, dependencies between Flows) without one example per case. Config `flows`:
// a JSON array of `{ name, args, options?: { ignoreChanges?: string[], retainOnDelete?: boolean,
// dependsOn?: string[], parent?: string, aliases?: string[] } }`, where `dependsOn` names earlier Flows of the
// list, `parent` a component (one per name, created on first use) to declare the Flow under, and `aliases`
// earlier names of the Flow (Pulumi aliases); `[]` declares none. `door: "native"` declares a `NativeFlow` (the
// native plugin's `nexla:index:Flow`) instead of the dynamic `Flow`.
import * as pulumi from "@pulumi/pulumi";
import { Flow, NativeFlow, type FlowArgs } from "pulumi-nexla";

/** Which provider serves a Flow: the dynamic one (`Flow`), or the native plugin (`NativeFlow`). */
export type Door = "dynamic" | "native";

export interface DeclaredFlow {
  readonly name: string;
  readonly args: FlowArgs;
  /** @default "dynamic" */
  readonly door?: Door;
  readonly options?: {
    readonly ignoreChanges?: readonly string[];
    readonly retainOnDelete?: boolean;
    /** Names of Flows earlier in the list, passed as the `dependsOn` resource option. */
    readonly dependsOn?: readonly string[];
    /** A component to declare the Flow under (its name); the Flow's URN then has that parent. */
    readonly parent?: string;
    /** Earlier names of the Flow, passed as Pulumi aliases. */
    readonly aliases?: readonly string[];
  };
}

class Group extends pulumi.ComponentResource {
  constructor(name: string) {
    super("fuzz:index:Group", name);
  }
}

export default async function program() {
  const declared = JSON.parse(new pulumi.Config().require("flows")) as DeclaredFlow[];
  const outputs: Record<string, unknown> = {};
  const flows = new Map<string, Flow | NativeFlow>();
  const groups = new Map<string, Group>();
  const groupNamed = (name: string) => groups.get(name) ?? groups.set(name, new Group(name)).get(name)!;
  for (const { name, args, door, options } of declared) {
    const dependsOn = (options?.dependsOn ?? []).map((other) => {
      const flow = flows.get(other);
      if (flow === undefined) throw new Error(`Flow ${name}: dependsOn names "${other}", no Flow before it`);
      return flow;
    });
    const Resource = door === "native" ? NativeFlow : Flow;
    const flow = new Resource(name, args, {
      ...(options?.ignoreChanges ? { ignoreChanges: [...options.ignoreChanges] } : {}),
      ...(options?.retainOnDelete !== undefined ? { retainOnDelete: options.retainOnDelete } : {}),
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
      ...(options?.parent !== undefined ? { parent: groupNamed(options.parent) } : {}),
      ...(options?.aliases !== undefined
        ? { aliases: options.aliases.map((alias) => ({ name: alias })) }
        : {}),
    });
    flows.set(name, flow);
    outputs[options?.parent === undefined ? name : `${options.parent}/${name}`] = {
      status: flow.status,
      originNodeId: flow.originNodeId,
      anchorNodeId: flow.anchorNodeId,
    };
  }
  return outputs;
}
