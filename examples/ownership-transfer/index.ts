// Hand a flow over to another user and org, with its data credentials and code containers. Nexla lets only
// super users change ownership; run this with a super user's credentials.
import * as pulumi from "@pulumi/pulumi";
import { Flow } from "pulumi-nexla";

export default async function program() {
  const config = new pulumi.Config();
  const billing = new Flow("billing-export", {
    flowId: config.getNumber("flowId") ?? 300,
    status: "PAUSED",
    owner: {
      ownerId: config.getNumber("ownerId") ?? 2,
      orgId: config.getNumber("orgId") ?? 2,
      includeDataCredentials: true,
      includeCodeContainers: true,
    },
  });
  return { owner: billing.flowOwner, dataSources: billing.dataSources };
}
