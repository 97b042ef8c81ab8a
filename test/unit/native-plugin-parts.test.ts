/**
 * The native plugin's conversions (provider/native): property bags between the engine's Structs and the
 * runtime's plain objects, secrets and identity included, and the engine's address among the plugin's arguments.
 */
import { describe, expect, it } from "vitest";
import { engineAddress } from "../../provider/native/main.js";
import { dynamicHostEngine } from "../../provider/internal/shared-declarations.js";
import { fromStruct, nameOf, toStruct, withIdentity, withoutIdentity } from "../../provider/native/struct.js";
import { UNKNOWN } from "../../src/declaration/schema.js";
import { secret, struct } from "../fixtures/native-plugin.js";

describe("property bags", () => {
  it("unwrap secrets, nested ones too, and remember the top-level key that held them", () => {
    const { values, secrets } = fromStruct(
      struct({ flowId: 100, status: secret("ACTIVE"), owner: { ownerId: secret(3), orgId: 2 } }),
    );
    expect(values).toEqual({ flowId: 100, status: "ACTIVE", owner: { ownerId: 3, orgId: 2 } });
    expect([...secrets].sort()).toEqual(["owner", "status"]);
  });

  it("mark those keys secret on the way back, leave out undefined values and pass unknowns through", () => {
    const back = toStruct(
      { status: "ACTIVE", owner: { ownerId: 3 }, flowId: UNKNOWN, gone: undefined },
      new Set(["owner"]),
    );
    expect(back.toJavaScript()).toEqual({ status: "ACTIVE", owner: secret({ ownerId: 3 }), flowId: UNKNOWN });
  });

  it("carry the resource's name and URN in for the runtime, and never back out", () => {
    const urn = "urn:pulumi:dev::flows::my:index:Group$nexla:index:Flow::orders";
    const inside = withIdentity({ flowId: 100 }, urn);
    expect(inside).toEqual({ flowId: 100, __flowName: "orders", __flowUrn: urn });
    expect(withoutIdentity(inside)).toEqual({ flowId: 100 });
    expect(() => nameOf("orders")).toThrow('The engine sent "orders" where a resource URN belongs.');
  });
});

describe("the engine's address", () => {
  it("is the last argument that is neither a flag nor a flag's value", () => {
    expect(engineAddress(["127.0.0.1:4000"])).toBe("127.0.0.1:4000");
    expect(engineAddress(["--logtostderr", "-v=9", "--tracing", "127.0.0.1:9411", "127.0.0.1:4000"])).toBe(
      "127.0.0.1:4000",
    );
    expect(engineAddress(["--tracing", "127.0.0.1:9411"])).toBeUndefined();
  });

  it("is found in the dynamic provider's host, so dynamic Flows share declarations too, and nowhere else", () => {
    const host = "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js";
    expect(dynamicHostEngine(["/usr/bin/node", host, "127.0.0.1:4000"])).toBe("127.0.0.1:4000");
    expect(
      dynamicHostEngine(["/usr/bin/node", "/p/node_modules/vitest/vitest.mjs", "run", "x.test.ts"]),
    ).toBe(undefined);
  });
});
