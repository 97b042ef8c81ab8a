/**
 * The declaration model (src/declaration/schema.ts) makes every decision about an input explicit. Most of
 * these checks are compile errors: `npm run typecheck` checks this file, and each `@ts-expect-error` fails the
 * typecheck the day the model stops catching what it marks.
 */
import { describe, expect, it } from "vitest";
import { checkFlowInputs } from "../../src/declaration/check.js";
import {
  flowInputs,
  inputDefaults,
  repointKeys,
  type InputSpec,
  type Same,
} from "../../src/declaration/schema.js";
import { diffFlow } from "../../src/declaration/state.js";

describe("an input of the declaration model", () => {
  it("must say its default, whether it is required and what a change of it does", () => {
    const complete = {
      type: { kind: "seconds", max: 10 },
      default: null,
      required: false,
      onChange: "stored",
      doc: "a new input",
    } as const satisfies InputSpec;
    const { onChange: _onChange, ...noOnChange } = complete;
    const { default: _default, ...noDefault } = complete;
    const { required: _required, ...noRequired } = complete;
    // @ts-expect-error: what does a change of it do (re-point, compare with Nexla, or store)?
    const a: InputSpec = noOnChange;
    // @ts-expect-error: is there a default (`null` for none)?
    const b: InputSpec = noDefault;
    // @ts-expect-error: must it be set?
    const c: InputSpec = noRequired;
    // @ts-expect-error: a kind of input with no value type and no rule in check.ts yet
    const d: InputSpec = { ...complete, type: { kind: "text" } };
    expect([a, b, c, d]).toHaveLength(4);
  });

  it("types the Same check used by the Flow class and the outputs", () => {
    const same: Same<{ a: 1 }, { a: 1 }> = true;
    // @ts-expect-error: different key sets are not the same
    const different: Same<{ a: 1 }, { a: 1; b: 2 }> = true;
    expect([same, different]).toEqual([true, true]);
  });

  it("a stored input's change is an update, so its output follows (convergeTimeoutSeconds)", () => {
    expect(flowInputs.convergeTimeoutSeconds.onChange).toBe("stored");
    const olds = { flowId: 100, scope: "flow", status: "ACTIVE", convergeTimeoutSeconds: 120 };
    expect(diffFlow(olds, { ...olds, convergeTimeoutSeconds: 300 })).toEqual({
      changes: true,
      repointed: false,
    });
    expect(diffFlow(olds, { ...olds })).toEqual({ changes: false, repointed: false });
    // State written before the input existed reads as its default: no change.
    const { convergeTimeoutSeconds: _c, ...older } = olds;
    expect(diffFlow(older, { ...olds })).toEqual({ changes: false, repointed: false });
  });

  it("derives defaults, re-pointing inputs and check from the same entries", () => {
    expect(inputDefaults).toEqual({ scope: "flow", convergeTimeoutSeconds: 120 });
    expect(repointKeys).toEqual(["flowId", "dataSourceId", "dataSetId", "dataSinkId", "scope"]);
    expect(checkFlowInputs({ flowId: 1 }).failures).toEqual([
      { property: "status", reason: 'status is required: set it to "ACTIVE" or "PAUSED".' },
    ]);
  });
});
