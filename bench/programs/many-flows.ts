// A stack of many Flow resources, one per flow of the emulator's `generateSeed({ flows })` (flow k, 1-based, has
// origin node 100000 + 10k). Run by the reliability tests and the benchmarks through tools/stack.ts.
// Config (project "many-flows"): `flows` (how many), `status` (ACTIVE by default), `statusOf` (a JSON object
// `{ "<k>": "PAUSED" }` overriding the status of single flows), `door` ("dynamic" by default: each a `Flow` of the
// dynamic provider; "native": each a `NativeFlow`, `nexla:index:Flow` of the native plugin, which the engine then
// finds as `pulumi-resource-nexla` on PATH).
import * as pulumi from "@pulumi/pulumi";
import { Flow, NativeFlow } from "pulumi-nexla";

type Status = "ACTIVE" | "PAUSED";

export const originNodeOf = (k: number) => 100_000 + 10 * k;

export default async function program() {
  const config = new pulumi.Config();
  const flows = config.requireNumber("flows");
  const status: Status = config.get("status") === "PAUSED" ? "PAUSED" : "ACTIVE";
  const statusOf = config.getObject<Record<string, Status>>("statusOf") ?? {};
  const Resource =
    config.get("door", { allowedValues: ["dynamic", "native"] }) === "native" ? NativeFlow : Flow;
  for (let k = 1; k <= flows; k += 1) {
    new Resource(`flow-${k}`, { flowId: originNodeOf(k), status: statusOf[String(k)] ?? status });
  }
  return { flows };
}
