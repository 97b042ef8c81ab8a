/**
 * Eventual consistency on purpose (`settleMs`): a write takes effect at once, but reads keep showing a
 * resource's previous status for a while, so a client's convergence polling (docs/design.md §3) is tested.
 */
import type { ResourceStatus } from "../seed.js";
import type { ResourceRecord } from "./store.js";

interface Change {
  readonly previous: ResourceStatus;
  readonly at: number;
}

export class SettleBook {
  #changes = new WeakMap<ResourceRecord, Change>();

  constructor(
    private readonly settleMs: number,
    private readonly clock: () => number,
  ) {}

  /** Whether reads may show a status other than the stored one (settleMs above 0). */
  get settles(): boolean {
    return this.settleMs > 0;
  }

  /** The status a read shows now. */
  visible(resource: ResourceRecord): ResourceStatus {
    const change = this.#changes.get(resource);
    if (change === undefined || this.clock() - change.at >= this.settleMs) return resource.status;
    return change.previous;
  }

  /** Sets a status through the API: reads show the status seen until now for `settleMs`. */
  change(resource: ResourceRecord, status: ResourceStatus): void {
    if (resource.status === status) return;
    if (this.settleMs > 0)
      this.#changes.set(resource, { previous: this.visible(resource), at: this.clock() });
    resource.status = status;
  }

  /** Sets a status out of band (a person in the UI): visible at once, so tests of drift are deterministic. */
  force(resource: ResourceRecord, status: ResourceStatus): void {
    this.#changes.delete(resource);
    resource.status = status;
  }

  clear(): void {
    this.#changes = new WeakMap();
  }
}
