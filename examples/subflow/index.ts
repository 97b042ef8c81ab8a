// A sub-flow: everything downstream of data set 2101 (in the emulator's "clickstream" flow) is PAUSED while
// the rest of the flow keeps running. The anchor is the data set; scope "downstream" limits the calls to it.
import * as pulumi from "@pulumi/pulumi";
import { Flow } from "pulumi-nexla";

export default async function program() {
  const config = new pulumi.Config();
  const archive = new Flow("clickstream-archive", {
    dataSetId: config.getNumber("dataSetId") ?? 2101,
    scope: "downstream",
    status: config.get("status", { allowedValues: ["ACTIVE", "PAUSED"] }) === "ACTIVE" ? "ACTIVE" : "PAUSED",
  });
  return { status: archive.status, dataSets: archive.dataSets, dataSinks: archive.dataSinks };
}
