/** Big seeds of many simple flows, with ids a test or a benchmark can compute (load tests, bench/). */
import { addFlow, emptyParts } from "./internal/seed-builder.js";
import { sampleSeed } from "./sample-seed.js";
import type { ResourceStatus, Seed } from "./seed.js";

export interface GenerateSeedOptions {
  /** How many flows (source → set → sink) to generate. */
  readonly flows: number;
  /** Status of every generated resource. @default "ACTIVE" */
  readonly status?: Exclude<ResourceStatus, "RATE_LIMITED">;
  /** Owner of every generated flow and its credential; must be a sample user. @default 2 */
  readonly ownerId?: number;
  /** Also keep the sample flows (orders, clickstream, …), whose ids never collide with generated ones. @default false */
  readonly includeSampleFlows?: boolean;
  /**
   * An org as people leave it: flow `k` gets the variant `mixedVariants[k % 8]` (statuses per resource, a
   * shared or awkward name, another owner) instead of `status` and `ownerId`. @default false
   */
  readonly mixed?: boolean;
}

/** One variant of a `mixed` generated flow: its name, owner, and the status of source, set and sink. */
export interface MixedVariant {
  readonly name: (k: number) => string;
  readonly ownerId: number;
  readonly statuses: readonly [ResourceStatus, ResourceStatus, ResourceStatus];
}

/** The variants of `generateSeed({ mixed: true })`: flow `k` is `mixedVariants[k % 8]`. */
export const mixedVariants: readonly MixedVariant[] = [
  { name: (k) => `flow-${k}`, ownerId: 2, statuses: ["ACTIVE", "ACTIVE", "ACTIVE"] },
  { name: (k) => `flow-${k}`, ownerId: 2, statuses: ["PAUSED", "PAUSED", "PAUSED"] },
  { name: (k) => `flow-${k}`, ownerId: 2, statuses: ["INIT", "INIT", "INIT"] },
  // A paused sink under a running source and set: MIXED, two resources above the differing sub-flow.
  { name: (k) => `flow-${k}`, ownerId: 2, statuses: ["ACTIVE", "ACTIVE", "PAUSED"] },
  { name: (k) => `flow-${k}`, ownerId: 3, statuses: ["ACTIVE", "PAUSED", "PAUSED"] },
  { name: (k) => `flow-${k}`, ownerId: 2, statuses: ["PAUSED", "ACTIVE", "ACTIVE"] },
  // Many flows with one name: exported names must still be unique.
  { name: () => "Nightly load", ownerId: 2, statuses: ["ACTIVE", "ACTIVE", "ACTIVE"] },
  // A name with nothing a resource name may contain, and one that only differs in case and punctuation.
  {
    name: (k) => (k % 16 === 7 ? "Überweisungen (EU) / Q1" : "—"),
    ownerId: 3,
    statuses: ["PAUSED", "PAUSED", "INIT"],
  },
];

/** The ids of generated flow `k` (1-based). */
export interface GeneratedFlowIds {
  readonly originNodeId: number;
  readonly dataSetNodeId: number;
  readonly dataSinkNodeId: number;
  /** The data source, data set, data sink and data credential of a generated flow all have this id. */
  readonly resourceId: number;
}

const BASE = 100_000;

/**
 * Id scheme of `generateSeed`: flow `k` (1-based) has nodes `100000 + 10k` (origin, the data source),
 * `100000 + 10k + 1` (the data set) and `100000 + 10k + 2` (the data sink); its data source, data set,
 * data sink and data credential all have id `100000 + k` (each kind has its own id space in Nexla).
 * Flow `k` is named `flow-<k>` and belongs to the owner's default org (and to project 10 if that is org 2).
 */
export function generatedFlowIds(k: number): GeneratedFlowIds {
  const node = BASE + 10 * k;
  return { originNodeId: node, dataSetNodeId: node + 1, dataSinkNodeId: node + 2, resourceId: BASE + k };
}

/** The sample org's orgs, users and project with `options.flows` generated flows (see `generatedFlowIds`). */
export function generateSeed(options: GenerateSeedOptions): Seed {
  const { flows, status = "ACTIVE", ownerId = 2, includeSampleFlows = false, mixed = false } = options;
  if (!Number.isSafeInteger(flows) || flows < 0)
    throw new RangeError(`flows must be a whole number, got ${flows}`);
  const owner = sampleSeed.users.find((u) => u.id === ownerId);
  const orgId = owner?.org_ids[0];
  if (orgId === undefined) throw new RangeError(`ownerId ${ownerId} is not a sample user with an org`);
  const parts = emptyParts();
  const credentials = includeSampleFlows ? [...sampleSeed.data_credentials] : [];
  if (includeSampleFlows) {
    for (const list of ["flow_nodes", "data_sources", "data_sets", "data_sinks"] as const) {
      parts[list].push(...(sampleSeed[list] as never[]));
    }
  }
  const project_id = orgId === 2 ? 10 : null;
  for (let k = 1; k <= flows; k += 1) {
    const ids = generatedFlowIds(k);
    const id = ids.resourceId;
    const variant = mixed ? mixedVariants[k % mixedVariants.length] : undefined;
    const owner_id = variant?.ownerId ?? ownerId;
    const [source, set, sink] = variant?.statuses ?? [status, status, status];
    credentials.push({ id, name: `credential-${id}`, owner_id, org_id: orgId, shared_with: [1, 2, 3] });
    // prettier-ignore
    addFlow(parts, {
      ...{ name: variant?.name(k) ?? `flow-${k}`, description: `Generated flow ${k}`, project_id, owner_id, org_id: orgId, status: source },
      root: { node: ids.originNodeId, kind: "data_source", id, name: `source-${k}`, uses: id, children: [
        { node: ids.dataSetNodeId, kind: "data_set", id, name: `set-${k}`, status: set, children: [
          { node: ids.dataSinkNodeId, kind: "data_sink", id, name: `sink-${k}`, uses: id, status: sink },
        ] },
      ] },
    });
  }
  return {
    ...sampleSeed,
    code_containers: includeSampleFlows ? sampleSeed.code_containers : [],
    data_credentials: credentials,
    flow_nodes: parts.flow_nodes,
    data_sources: parts.data_sources,
    data_sets: parts.data_sets,
    data_sinks: parts.data_sinks,
  };
}
