/**
 * Rendered reads, reused while the state stays the same: a GET renders the flow and serializes it (most of a read's
 * cost in the emulator, and all of `GET /flows` on 1,000 flows), so an unchanged flow is answered with the same
 * text. Every change of the state (`core.changed`), every write request and every control request moves
 * `core.revision` on, which drops them all. Off while reads show settling statuses, which change with time.
 */
import type { Core } from "./core.js";

export function renderedText(core: Core, key: string, render: () => unknown): string {
  if (core.settle.settles) return JSON.stringify(render());
  if (core.rendersAt !== core.revision) {
    core.renders.clear();
    core.rendersAt = core.revision;
  }
  let text = core.renders.get(key);
  if (text === undefined) {
    text = JSON.stringify(render());
    core.renders.set(key, text);
  }
  return text;
}
