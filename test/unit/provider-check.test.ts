import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkFlowInputs } from "../../src/declaration/check.js";
import { UNKNOWN } from "../../src/declaration/schema.js";

const reasons = (news: unknown) => checkFlowInputs(news).failures;

describe("check", () => {
  it("accepts a minimal flow and fills in the defaults", () => {
    expect(checkFlowInputs({ flowId: 200, status: "ACTIVE" })).toEqual({
      inputs: { flowId: 200, status: "ACTIVE", scope: "flow", convergeTimeoutSeconds: 120 },
      failures: [],
    });
  });

  it("fills in the owner's include flags and keeps __provider", () => {
    const { inputs, failures } = checkFlowInputs({
      __provider: "exports.handler = ...",
      dataSetId: 2101,
      scope: "downstream",
      status: "PAUSED",
      owner: { ownerId: 3, orgId: 2 },
    });
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({
      __provider: "exports.handler = ...",
      owner: { ownerId: 3, orgId: 2, includeDataCredentials: false, includeCodeContainers: false },
    });
  });

  it("reports every bad property at once, one failure each, word for word", () => {
    expect(
      reasons({
        statuss: "ACTIVE",
        scope: "everything",
        owner: { ownerID: 3, orgId: -1, includeCodeContainers: "yes" },
        convergeTimeoutSeconds: 0,
      }),
    ).toEqual([
      { property: "statuss", reason: 'Unknown property "statuss". Did you mean "status"?' },
      {
        property: "flowId",
        reason:
          "Set exactly one of flowId, dataSourceId, dataSetId or dataSinkId: the flow node id, or the id of a data source, data set or data sink in the flow.",
      },
      { property: "scope", reason: 'scope must be "flow" or "downstream", got "everything".' },
      { property: "status", reason: 'status is required: set it to "ACTIVE" or "PAUSED".' },
      {
        property: "owner.ownerID",
        reason: 'Unknown property "owner.ownerID". Did you mean "owner.ownerId"?',
      },
      {
        property: "owner.ownerId",
        reason: "owner.ownerId is required when owner is set: the new owner's user id.",
      },
      { property: "owner.orgId", reason: "owner.orgId must be a positive integer id, got -1." },
      {
        property: "owner.includeCodeContainers",
        reason: 'owner.includeCodeContainers must be true or false, got "yes".',
      },
      {
        property: "convergeTimeoutSeconds",
        reason: "convergeTimeoutSeconds must be a number of seconds greater than 0 and at most 3600, got 0.",
      },
    ]);
  });

  it("refuses two anchors, naming both", () => {
    const reason =
      "Set exactly one anchor, not flowId and dataSetId. A Flow is addressed through one node; keep one of them.";
    expect(reasons({ flowId: 1, dataSetId: 2, status: "PAUSED" })).toEqual([
      { property: "flowId", reason },
      { property: "dataSetId", reason },
    ]);
  });

  it("suggests the upper-case status Nexla uses", () => {
    expect(reasons({ flowId: 1, status: "active" })).toEqual([
      {
        property: "status",
        reason: 'status must be "ACTIVE" or "PAUSED", got "active". Did you mean "ACTIVE"?',
      },
    ]);
  });

  it.each([0, -4, 1.5, "100", 2 ** 53, null, true])("refuses the id %j", (id) => {
    const failures = reasons({ dataSinkId: id, status: "ACTIVE" });
    expect(failures).toHaveLength(1);
    expect(failures[0]?.property).toBe(id === null ? "flowId" : "dataSinkId");
  });

  it("lets Pulumi's unknown placeholder through during preview", () => {
    expect(
      reasons({
        flowId: UNKNOWN,
        status: UNKNOWN,
        scope: UNKNOWN,
        owner: { ownerId: UNKNOWN, orgId: UNKNOWN },
      }),
    ).toEqual([]);
  });

  it("never throws and names a property for any input", () => {
    fc.assert(
      fc.property(fc.anything(), (news) => {
        const { failures } = checkFlowInputs(news);
        for (const f of failures) expect(typeof f.property).toBe("string");
      }),
    );
  });
});
