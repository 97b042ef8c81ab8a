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
  // The refusals Nexla's server makes (docs/nexla-api.md §2.4, §4). Flows 600-910 are examples of each.
  {
    name: "shared-catalog",
    description: "Acme's product catalog; its nexset 2500 is shared, and Other Co derives a flow from it",
    ...{ project_id: PROJECT, owner_id: 2, org_id: 2, status: "PAUSED" },
    root: { node: 600, kind: "data_source", id: 1500, name: "catalog-db", uses: 9012, children: [
      { node: 601, kind: "data_set", id: 2500, name: "catalog-shared", children: [
        { node: 602, kind: "data_sink", id: 3500, name: "catalog-bucket", uses: 9013 },
      ] },
    ] },
  },
  {
    name: "catalog-derived",
    description: "Other Co's flow, derived from Acme's shared nexset 2500",
    ...{ project_id: null, owner_id: 4, org_id: 3, status: "ACTIVE" },
    derivedFrom: { parent: 601, sharedOrigin: 600 },
    root: { node: 610, kind: "data_set", id: 2510, name: "catalog-for-other-co", children: [
      { node: 611, kind: "data_sink", id: 3510, name: "other-co-catalog", uses: 9014 },
    ] },
  },
  {
    name: "replicated",
    description: "A sink that feeds a dependent data source, which continues the flow",
    ...{ project_id: PROJECT, owner_id: 2, org_id: 2, status: "PAUSED" },
    root: { node: 650, kind: "data_source", id: 1550, name: "events-in", uses: 9015, children: [
      { node: 651, kind: "data_set", id: 2550, name: "events-raw", children: [
        { node: 652, kind: "data_sink", id: 3550, name: "events-stage", uses: 9016, children: [
          { node: 653, kind: "data_source", id: 1551, name: "events-stage-reader", uses: 9017, children: [
            { node: 654, kind: "data_set", id: 2551, name: "events-staged", children: [
              { node: 655, kind: "data_sink", id: 3551, name: "events-warehouse", uses: 9018 },
            ] },
          ] },
        ] },
      ] },
    ] },
  },
  {
    name: "docs-ingest",
    description: "Documents that feed the RAG flow support-rag, to which it is linked",
    ...{ project_id: PROJECT, owner_id: 2, org_id: 2, status: "PAUSED" },
    linked_flow_ids: [710],
    root: { node: 700, kind: "data_source", id: 1600, name: "docs-bucket", uses: 9019, children: [
      { node: 701, kind: "data_set", id: 2600, name: "docs", children: [
        { node: 702, kind: "data_sink", id: 3600, name: "docs-vectors", uses: 9020 },
      ] },
    ] },
  },
  {
    name: "support-rag",
    description: "A RAG flow",
    ...{ project_id: PROJECT, owner_id: 2, org_id: 2, status: "ACTIVE" },
    flow_type: "rag",
    root: { node: 710, kind: "data_source", id: 1610, name: "support-questions", uses: 9021, children: [
      { node: 711, kind: "data_set", id: 2610, name: "answers", children: [
        { node: 712, kind: "data_sink", id: 3610, name: "support-bot", uses: 9022 },
      ] },
    ] },
  },
  {
    name: "capped-live",
    description: "The one active source Capped Co's tier allows",
    ...{ project_id: null, owner_id: 1, org_id: 4, status: "ACTIVE" },
    root: { node: 800, kind: "data_source", id: 1700, name: "capped-live-source", uses: 9023, children: [
      { node: 801, kind: "data_set", id: 2700, name: "capped-live-set", children: [
        { node: 802, kind: "data_sink", id: 3700, name: "capped-live-sink", uses: 9024 },
      ] },
    ] },
  },
  {
    name: "capped-waiting",
    description: "A flow of Capped Co that its tier's active-source limit keeps paused",
    ...{ project_id: null, owner_id: 1, org_id: 4, status: "PAUSED" },
    root: { node: 810, kind: "data_source", id: 1710, name: "capped-waiting-source", uses: 9025, children: [
      { node: 811, kind: "data_set", id: 2710, name: "capped-waiting-set", children: [
        { node: 812, kind: "data_sink", id: 3710, name: "capped-waiting-sink", uses: 9026 },
      ] },
    ] },
  },
  {
    name: "migrating-live",
    description: "An active flow of an org whose cluster is migrating",
    ...{ project_id: null, owner_id: 1, org_id: 5, status: "ACTIVE" },
    root: { node: 900, kind: "data_source", id: 1800, name: "migrating-live-source", uses: 9027, children: [
      { node: 901, kind: "data_set", id: 2800, name: "migrating-live-set", children: [
        { node: 902, kind: "data_sink", id: 3800, name: "migrating-live-sink", uses: 9028 },
      ] },
    ] },
  },
  {
    name: "migrating-paused",
    description: "A paused flow of an org whose cluster is migrating",
    ...{ project_id: null, owner_id: 1, org_id: 5, status: "PAUSED" },
    root: { node: 910, kind: "data_source", id: 1810, name: "migrating-paused-source", uses: 9029, children: [
      { node: 911, kind: "data_set", id: 2810, name: "migrating-paused-set", children: [
        { node: 912, kind: "data_sink", id: 3810, name: "migrating-paused-sink", uses: 9030 },
      ] },
    ] },
  },
];

/** One credential per source and sink (9000..9030), owned like the flow that uses it. */
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
      { id: 4, name: "Capped Co", email_domain: "capped.example", active_source_limit: 1 },
      { id: 5, name: "Migrating Co", email_domain: "migrating.example", cluster_status: "MIGRATING" },
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

/**
 * The sample org: 5 orgs, 4 users, project 10, the flows orders, clickstream, billing-export, partner-feed,
 * staging, and from 600 on one example of each refusal Nexla's server makes (README, "Sample org").
 */
export const sampleSeed: Seed = build();
