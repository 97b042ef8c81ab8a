/**
 * Flows served by several nexla provider processes in one operation: the engine starts one plugin process per
 * provider instance (each explicit `pulumi:providers:nexla`, and the default provider), so a delete in one process
 * must see what Flows served by the others declare (provider/internal/shared-declarations.ts). Through the real
 * CLI and the YAML language host; judged by what the emulator holds and by the CLI's output.
 */
import { join } from "node:path";
import { expect, it } from "vitest";
import { credentials, resourcesOfFlow, useHarness } from "./harness.js";
import { yamlProject } from "./yaml-project.js";

const h = useHarness({ resetEachTest: false });

const orders = ["data_source 1000 ACTIVE", "data_set 2000 ACTIVE", "data_sink 3000 ACTIVE"];

/** A Pulumi.yaml declaring `resources` (YAML, indented by two). */
const program = (resources: string) =>
  [
    "name: providers",
    "runtime: yaml",
    "plugins:",
    "  providers:",
    "    - name: nexla",
    "      path: node_modules/.bin",
    "resources:",
    resources,
  ].join("\n");

const provider = (name: string) =>
  `  ${name}:\n    type: pulumi:providers:nexla\n    properties:\n      apiUrl: ${h.api.url}\n` +
  `      serviceKey: ${credentials.superKey}\n`;

/** Flow `name` declaring flow 100 ACTIVE, served by the explicit provider `by`, or the default provider. */
const ordersFlow = (name: string, by?: string) =>
  `  ${name}:\n    type: nexla:Flow\n    properties:\n      flowId: 100\n      status: ACTIVE\n` +
  (by === undefined ? "" : `    options:\n      provider: \${${by}}\n`);

it("a Flow moved to another provider instance under a new name is released by the old one, never deleted", async () => {
  const yaml = await yamlProject(join(h.workDir, "providers"));
  const { pulumi } = yaml;
  await yaml.initStack(program(""), h.api.url);

  /** `pulumi up` of `resources`, the emulator's request log cleared first. */
  const up = async (resources: string) => {
    await yaml.writeProgram(program(resources));
    h.emulator.control.clearRequests();
    return pulumi(["up", "--yes"]);
  };

  const first = await up(provider("nexla-a") + provider("nexla-b") + ordersFlow("orders", "nexla-a"));
  expect(first.code, first.out).toBe(0);
  expect(h.writes()).toEqual([]);

  // "orders" leaves the program with its provider; "orders-eu", under the other provider, declares its flow. The
  // engine deletes "orders" in nexla-a's process, which never checked "orders-eu".
  const moved = await up(provider("nexla-b") + ordersFlow("orders-eu", "nexla-b"));
  expect(moved.code, moved.out).toBe(0);
  expect(moved.out).toContain('flow 100 is declared by "orders-eu": "orders" released it, nothing deleted');
  expect(h.writes()).toEqual([]);
  expect(resourcesOfFlow(h, 100)).toEqual(orders);

  // From an explicit provider to the default one (stack config), under a new name again.
  const toDefault = await up(ordersFlow("orders-default"));
  expect(toDefault.code, toDefault.out).toBe(0);
  expect(toDefault.out).toContain(
    'flow 100 is declared by "orders-default": "orders-eu" released it, nothing deleted',
  );
  expect(h.writes()).toEqual([]);
  expect(resourcesOfFlow(h, 100)).toEqual(orders);

  // The same Flow to an explicit provider: the engine asks the new provider's DiffConfig, which never asks for a
  // replacement, so this is an update in the new process, and nothing is deleted.
  const sameName = await up(provider("nexla-c") + ordersFlow("orders-default", "nexla-c"));
  expect(sameName.code, sameName.out).toBe(0);
  expect(sameName.out).not.toContain("delete");
  expect(h.writes()).toEqual([]);
  expect(resourcesOfFlow(h, 100)).toEqual(orders);

  // Nothing declares it any more: destroy deletes it, as the product promises.
  h.emulator.control.clearRequests();
  const destroy = await pulumi(["destroy", "--yes"]);
  expect(destroy.code, destroy.out).toBe(0);
  expect(h.writes()).toEqual(["PUT /flows/100/pause?full_tree=1", "DELETE /flows/100?full_tree=1"]);
  expect(resourcesOfFlow(h, 100)).toEqual([]);
});
