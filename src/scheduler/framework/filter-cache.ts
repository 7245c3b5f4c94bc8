import type { FilterPlugin } from './interfaces.js';
import type { PodInfo } from './pod-info.js';
import type { Status } from './status.js';

/** Distinct signatures remembered before the id map starts over. */
const MAX_SIGNATURES = 4096;

/**
 * Remembers, per node slot, the filter answer for the last pod signature evaluated there and
 * the node's generation at the time. A pod with the same signature (a replica of the same
 * template, typically) gets the stored answer for every node that has not changed since,
 * without touching the node: the answer is the one the filters would give again. Only used
 * when every active filter declares a {@link FilterPlugin.filterSignature}.
 */
export class FilterResultCache {
  private sigIds = new Int32Array(0);
  private gens = new Float64Array(0);
  private statuses: (Status | null)[] = [];
  private readonly ids = new Map<string, number>();
  private nextId = 1;
  private readonly podSigs = new WeakMap<PodInfo, { filters: readonly FilterPlugin[]; id: number }>();

  /** The id of the pod's signature under `filters`, or 0 when some filter declares none. */
  signatureId(filters: readonly FilterPlugin[], pod: PodInfo): number {
    const memo = this.podSigs.get(pod);
    if (memo && memo.filters === filters) return memo.id;
    let sig = '';
    for (const f of filters) {
      if (!f.filterSignature) return 0;
      sig += `${f.name}\u0000${f.filterSignature(pod)}\u0001`;
    }
    let id = this.ids.get(sig);
    if (id === undefined) {
      if (this.ids.size >= MAX_SIGNATURES) this.ids.clear();
      id = this.nextId++;
      this.ids.set(sig, id);
    }
    this.podSigs.set(pod, { filters, id });
    return id;
  }

  /** Makes room for slots below `capacity`. */
  ensure(capacity: number): void {
    if (this.sigIds.length >= capacity) return;
    const n = Math.max(capacity, this.sigIds.length * 2, 64);
    const ids = new Int32Array(n);
    ids.set(this.sigIds);
    const gens = new Float64Array(n);
    gens.set(this.gens);
    this.sigIds = ids;
    this.gens = gens;
    this.statuses.length = n;
  }

  /** The stored answer (null: passed), or undefined when there is none for this signature and generation. */
  lookup(slot: number, sigId: number, generation: number): Status | null | undefined {
    if (this.sigIds[slot] !== sigId || this.gens[slot] !== generation) return undefined;
    return this.statuses[slot] ?? null;
  }

  store(slot: number, sigId: number, generation: number, status: Status | null): void {
    this.sigIds[slot] = sigId;
    this.gens[slot] = generation;
    this.statuses[slot] = status;
  }
}
