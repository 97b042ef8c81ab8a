/**
 * The documented sample org. Other code, the docs and the demo rely on these exact ids and credentials:
 * change them only together.
 */
import { addFlow, emptyParts, type FlowParts, type FlowSpec } from "./internal/seed-builder.js";
import type { Seed, SeedSharedResource } from "./seed.js";

const PROJECT = 10;
const CODE_CONTAINER = 9500;
/** Users 1, 2 and 3 can use every credential and code container of the sample flows; user 4 none. */
const ACME_TEAM = [1, 2, 3];

// prettier-ignore
const flows: readonly FlowSpec[] = [
  {
    name: "orders",
    description: "Orders from the shop database to the warehouse",
    ...{ project_id: PROJECT, owner_id: 2, org_id: 2, status: "ACTIVE" },
    root: { node: 100, kind: "data_source", id: 1000, name: "orders-db", uses: 9000, children: [
      { node: 101, kind: "data_set", id: 2000, name: "orders", children: [
        { node: 102, kind: "data_sink", id: 3000, name: "orders-warehouse", uses: 9001 },
      ] },
    ] },
  },
  {
    name: "clickstream",
    description: "Web events, enriched and fanned out to three destinations",
    ...{ project_id: PROJECT, owner_id: 2, org_id: 2, status: "ACTIVE" },
    root: { node: 200, kind: "data_source", id: 1100, name: "web-events", uses: 9002, children: [
      { node: 201, kind: "data_set", id: 2100, name: "events", uses: CODE_CONTAINER, children: [
        { node: 202, kind: "data_set", id: 2101, name: "sessions", uses: CODE_CONTAINER, children: [
          { node: 203, kind: "data_set", id: 2102, name: "sessions-enriched", uses: CODE_CONTAINER, children: [
            { node: 204, kind: "data_set", id: 2103, name: "sessions-daily", uses: CODE_CONTAINER, children: [
              { node: 205, kind: "data_sink", id: 3101, name: "sessions-lake", uses: 9004 },
            ] },
          ] },
        ] },
        { node: 206, kind: "data_sink", id: 3100, name: "events-archive", uses: 9003 },
        { node: 207, kind: "data_set", id: 2104, name: "page-views", uses: CODE_CONTAINER, children: [
          { node: 208, kind: "data_sink", id: 3102, name: "page-views-dashboard", uses: 9005 },
        ] },
      ] },
    ] },
  },
  {
    name: "billing-export",
    description: "Invoices exported to the finance bucket",
    ...{ project_id: PROJECT, owner_id: 3, org_id: 2, status: "PAUSED" },
    root: { node: 300, kind: "data_source", id: 1200, name: "billing-api", uses: 9006, children: [
      { node: 301, kind: "data_set", id: 2200, name: "invoices", children: [
        { node: 302, kind: "data_sink", id: 3200, name: "finance-bucket", uses: 9007 },
      ] },
    ] },
  },
  {
    name: "partner-feed",
    description: "A partner's feed whose source has hit its record cap",
    ...{ project_id: PROJECT, owner_id: 2, org_id: 2, status: "ACTIVE" },
    root: { node: 400, kind: "data_source", id: 1300, name: "partner-sftp", uses: 9008, status: "RATE_LIMITED",
      children: [
        { node: 401, kind: "data_set", id: 2300, name: "partner-records", children: [
          { node: 402, kind: "data_sink", id: 3300, name: "partner-table", uses: 9009 },
        ] },
      ] },
  },
  {
    name: "staging",
    description: "An admin's flow, built before handing it to a customer",
    ...{ project_id: null, owner_id: 1, org_id: 1, status: "INIT" },
    root: { node: 500, kind: "data_source", id: 1400, name: "staging-source", uses: 9010, children: [
      { node: 501, kind: "data_set", id: 2400, name: "staging-set", children: [
        { node: 502, kind: "data_sink", id: 3400, name: "staging-sink", uses: 9011 },
      ] },
    ] },
  },
];

/** One credential per source and sink (9000..9011), owned like the flow that uses it. */
function credentials(parts: FlowParts): SeedSharedResource[] {
  return [...parts.data_sources, ...parts.data_sinks]
    .flatMap(({ data_credentials_id: id, owner_id, org_id }) =>
      id == null ? [] : [{ id, name: `credential-${id}`, owner_id, org_id, shared_with: ACME_TEAM }],
    )
    .sort((a, b) => a.id - b.id);
}

function build(): Seed {
  const parts = emptyParts();
  for (const flow of flows) addFlow(parts, flow);
  return {
    orgs: [
      { id: 1, name: "Nexla Emulator Admin", email_domain: "nexla.example" },
      { id: 2, name: "Acme Data", email_domain: "acme.example" },
      { id: 3, name: "Other Co", email_domain: "other.example" },
    ],
    // prettier-ignore
    users: [
      { id: 1, email: "admin@nexla.example", name: "Emulator Admin", org_ids: [1], super_user: true,
        service_key: "emu-super-service-key", access_token: "emu-super-access-token" },
      { id: 2, email: "analyst@acme.example", name: "Ada Analyst", org_ids: [2], super_user: false,
        service_key: "emu-analyst-service-key", access_token: "emu-analyst-access-token" },
      { id: 3, email: "ops@acme.example", name: "Otto Ops", org_ids: [2], super_user: false,
        service_key: "emu-ops-service-key", access_token: "emu-ops-access-token" },
      { id: 4, email: "outsider@other.example", name: "Olga Outsider", org_ids: [3], super_user: false,
        service_key: "emu-outsider-service-key", access_token: "emu-outsider-access-token" },
    ],
    projects: [
      {
        id: PROJECT,
        org_id: 2,
        owner_id: 2,
        name: "Acme pipelines",
        description: "Acme's production flows",
        member_ids: ACME_TEAM,
      },
    ],
    data_credentials: credentials(parts),
    code_containers: [
      { id: CODE_CONTAINER, name: "clickstream-transforms", owner_id: 2, org_id: 2, shared_with: ACME_TEAM },
    ],
    ...parts,
  };
}

/** The sample org: 3 orgs, 4 users, project 10 and the flows orders, clickstream, billing-export, partner-feed, staging. */
export const sampleSeed: Seed = build();
