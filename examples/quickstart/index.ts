// One Nexla flow, kept ACTIVE. Against the embedded emulator, flow 100 is the sample org's "orders" flow.
import * as pulumi from "@pulumi/pulumi";
import { Flow } from "pulumi-nexla";

export default async function program() {
  const config = new pulumi.Config();
  const orders = new Flow("orders", {
    flowId: config.getNumber("flowId") ?? 100,
    status: config.get("status", { allowedValues: ["ACTIVE", "PAUSED"] }) === "PAUSED" ? "PAUSED" : "ACTIVE",
  });
  return { status: orders.status, flowName: orders.flowName, dataSinks: orders.dataSinks };
}
