/**
 * The fuzz's model through the real Pulumi CLI: each operation is `tools/stack.ts` running the `declared` e2e
 * program (tools/e2e-programs/declared.ts) in a child process, as the e2e tests run it, against the emulator
 * of an e2e harness. A run is a new stack.
 */
import type { FlowArgs } from "pulumi-nexla";
import type { DeclaredFlow } from "../../tools/e2e-programs/declared.js";
import { flowTypes, runDeclared, said, type Harness } from "../e2e/harness.js";
import {
  argsOf,
  type Decl,
  type Driver,
  type Operation,
  type OperationOutcome,
  type StoredFlow,
} from "./model.js";

/** A declaration as the `declared` program takes it. */
export function declaredFlow(d: Decl): DeclaredFlow {
  const args = argsOf(d) as unknown as FlowArgs;
  const options = {
    ...(d.ignoreChanges === undefined ? {} : { ignoreChanges: [...d.ignoreChanges] }),
    ...(d.retainOnDelete === undefined ? {} : { retainOnDelete: d.retainOnDelete }),
    ...(d.parent === undefined ? {} : { parent: d.parent }),
    ...(d.aliases === undefined || d.aliases.length === 0 ? {} : { aliases: [...d.aliases] }),
  };
  return { name: d.name, args, options, ...(d.native === true ? { door: "native" as const } : {}) };
}

/** An operation of a few Flows takes seconds; one still running after this long hangs (a watchdog, not a race). */
const HANG_MS = 180_000;

export function cliDriver(h: Harness): Driver {
  let stacks = 0;
  let stack = "fuzz-0";
  return {
    emulator: h.emulator,
    async newStack() {
      stack = `fuzz-${++stacks}`;
    },
    async run(operation: Operation, program: readonly Decl[]): Promise<OperationOutcome> {
      const result = await runDeclared(h, stack, operation, program.map(declaredFlow), {
        timeoutMs: HANG_MS,
      }).catch((error: unknown) => {
        if ((error as { killed?: boolean }).killed !== true) throw error;
        throw new Error(`${operation} did not finish within ${HANG_MS / 1000} s: it hangs.`);
      });
      return { ok: result.ok, said: said(result) };
    },
    async stored(): Promise<StoredFlow[]> {
      const exported = await runDeclared(h, stack, "export", []);
      const deployment = exported.deployment as {
        checkpoint?: {
          latest?: { resources?: { urn: string; type: string; outputs?: Record<string, unknown> }[] };
        };
      };
      return (deployment.checkpoint?.latest?.resources ?? [])
        .filter((r) => flowTypes.includes(r.type))
        .map((r) => ({ urn: r.urn, outputs: r.outputs ?? {} }));
    },
  };
}
