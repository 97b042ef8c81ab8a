/**
 * The fuzz's model run without the CLI: the provider's methods called in this process, in the order and with
 * the data the Pulumi engine gives them (docs/pulumi.md), against the emulator over HTTP on 127.0.0.1. Each
 * operation starts as a new provider process would, with no declarations. What it does per operation:
 * - `up`: for each Flow of the program in order, `check` (inputs under `ignoreChanges` reset to the stored
 *   ones), then `diff` and `update` when it changed, or `create`; then, once every Flow is registered,
 *   `delete` for each Flow the program no longer has, in reverse order (`retainOnDelete` drops it from state
 *   instead). An alias carries the state of an earlier name over. The first failure ends the operation, as
 *   without `--continue-on-error`; a failure that carries `id` and `properties` updates the state.
 * - `refresh`: `read` for each stored Flow; no id drops it. `up-refresh` refreshes, then runs `up`.
 * - `preview`: `check` and `diff` of each Flow. `destroy`: `delete` of each stored Flow, in reverse order.
 * Time is virtual: the provider's polls, delete retries and read batches move it by sleeping. It is faster
 * than the CLI by far, and sequential where the engine is parallel: the CLI run covers that.
 */
import { vi } from "vitest";
import type { Emulator } from "pulumi-nexla/emulator";
import * as provider from "../../provider/runtime.js";
import { TestClock } from "../fixtures/clock.js";
import { newProviderProcess } from "../fixtures/provider-process.js";
import {
  argsOf,
  urnOf,
  type Decl,
  type Driver,
  type Operation,
  type OperationOutcome,
  type StoredFlow,
} from "./model.js";

type Bag = Record<string, unknown>;

interface Entry {
  id: string;
  inputs: Bag;
  outputs: Bag;
  retain: boolean;
  name: string;
}

/** The inputs the Flow class sends for a declaration: its arguments, its name and its URN. */
export function inputsOf(d: Decl): Bag {
  return { ...argsOf(d), __flowName: d.name, __flowUrn: `urn:pulumi:fuzz::fuzz::${urnOf(d)}` };
}

export function providerDriver(emulator: Emulator, apiUrl: string): Driver {
  const state = new Map<string, Entry>();
  process.env["NEXLA_API_URL"] = apiUrl;
  process.env["NEXLA_SERVICE_KEY"] = "emu-super-service-key";
  delete process.env["NEXLA_ACCESS_TOKEN"];

  async function up(program: readonly Decl[]): Promise<void> {
    for (const d of program) {
      const urn = urnOf(d);
      const alias = d.aliases?.map((name) => urnOf({ ...d, name })).find((a) => state.has(a));
      if (!state.has(urn) && alias !== undefined) {
        state.set(urn, state.get(alias)!);
        state.delete(alias);
      }
    }
    for (const d of program) {
      const urn = urnOf(d);
      const old = state.get(urn);
      const news = inputsOf(d);
      for (const key of d.ignoreChanges ?? []) {
        if (old === undefined) continue;
        if (old.inputs[key] === undefined) delete news[key];
        else news[key] = old.inputs[key];
      }
      const checked = await provider.check(old?.inputs ?? {}, news);
      if ((checked.failures ?? []).length > 0)
        throw new Error(`check of ${d.name}: ${JSON.stringify(checked.failures)}`);
      const inputs = checked.inputs as Bag;
      const retain = d.retainOnDelete === true;
      try {
        if (old === undefined) {
          const created = await provider.create(inputs);
          state.set(urn, { id: created.id, inputs, outputs: created.outs ?? {}, retain, name: d.name });
        } else if ((await provider.diff(old.id, old.outputs, inputs)).changes === true) {
          const updated = await provider.update(old.id, old.outputs, inputs);
          state.set(urn, { ...old, inputs, outputs: updated.outs ?? {}, retain, name: d.name });
        } else {
          state.set(urn, { ...old, inputs, retain, name: d.name });
        }
      } catch (error) {
        const partial = error as { id?: unknown; properties?: unknown };
        if (
          typeof partial.id === "string" &&
          typeof partial.properties === "object" &&
          partial.properties !== null
        )
          state.set(urn, {
            id: partial.id,
            inputs,
            outputs: partial.properties as Bag,
            retain,
            name: d.name,
          });
        throw error;
      }
    }
    const keep = new Set(program.map(urnOf));
    for (const urn of [...state.keys()].reverse()) if (!keep.has(urn)) await remove(urn);
  }

  async function remove(urn: string): Promise<void> {
    const entry = state.get(urn)!;
    if (!entry.retain) await provider.delete(entry.id, entry.outputs);
    state.delete(urn);
  }

  async function refresh(): Promise<void> {
    for (const [urn, entry] of [...state]) {
      const read = await provider.read(entry.id, entry.outputs);
      if (read.id === undefined) state.delete(urn);
      else state.set(urn, { ...entry, outputs: read.props ?? {}, inputs: read.inputs ?? entry.inputs });
    }
  }

  async function preview(program: readonly Decl[]): Promise<void> {
    for (const d of program) {
      const old = state.get(urnOf(d));
      const checked = await provider.check(old?.inputs ?? {}, inputsOf(d));
      if (old !== undefined && (checked.failures ?? []).length === 0)
        await provider.diff(old.id, old.outputs, checked.inputs as Bag);
    }
  }

  return {
    emulator,
    async newStack() {
      state.clear();
    },
    async run(operation: Operation, program: readonly Decl[]): Promise<OperationOutcome> {
      // A new provider process per operation: nothing declared, read or in progress yet.
      newProviderProcess();
      const lines: string[] = [];
      const spy = vi
        .spyOn(process.stderr, "write")
        .mockImplementation((chunk) => lines.push(String(chunk)) > 0);
      // The provider's polls, delete retries and read batches wait on a clock that moves only when they sleep.
      const clock = new TestClock(Date.now()).useForProvider();
      try {
        if (operation === "refresh") await refresh();
        else if (operation === "preview") await preview(program);
        else if (operation === "destroy") for (const urn of [...state.keys()].reverse()) await remove(urn);
        else {
          if (operation === "up-refresh") await refresh();
          await up(program);
        }
        return { ok: true, said: lines.join("") };
      } catch (error) {
        return {
          ok: false,
          said: `${error instanceof Error ? error.message : String(error)}\n${lines.join("")}`,
        };
      } finally {
        spy.mockRestore();
        clock.restore();
      }
    },
    async stored(): Promise<StoredFlow[]> {
      return [...state].map(([urn, entry]) => ({ urn, outputs: entry.outputs }));
    },
  };
}
