import type { NodeInfo } from '../cache/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { MAX_NODE_SCORE } from '../framework/interfaces.js';
import { isScalarResourceName } from '../resources.js';

/** A resource a scoring strategy looks at, with its weight. */
export interface ResourceSpec {
  name: string;
  weight: number;
}

/** cpu and memory, weight 1 each: the default of both NodeResourcesFit scoring and BalancedAllocation. */
export const DEFAULT_RESOURCES: readonly ResourceSpec[] = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];

/**
 * The pod's request of `name` for scoring: with `useRequested` its plain requests, otherwise
 * with the 100m / 200Mi defaults for containers that set none (cpu in millicores).
 */
export function podRequestFor(pod: PodInfo, name: string, useRequested: boolean): number {
  const r = pod.requests;
  switch (name) {
    case 'cpu': return useRequested ? r.requests.milliCPU : r.nonZeroMilliCPU;
    case 'memory': return useRequested ? r.requests.memory : r.nonZeroMemory;
    case 'ephemeral-storage': return r.requests.ephemeralStorage;
    default: return r.requests.scalarOf(name);
  }
}

const CPU = 0;
const MEMORY = 1;
const EPHEMERAL = 2;
const SCALAR = 3;

/**
 * Computes, per node, each resource's allocatable and its requests after placing the pod
 * (upstream's calculateResourceAllocatableRequest), without allocating: the resource kinds are
 * resolved once and the two vectors are reused. A resource the node lacks, or an extended
 * resource the pod does not ask for, is left out (0 / 0).
 */
export class AllocationVectors {
  readonly requested: number[];
  readonly allocatable: number[];
  private readonly kinds: Int8Array;

  constructor(readonly resources: readonly ResourceSpec[], private readonly useRequested: boolean) {
    this.requested = new Array(resources.length).fill(0);
    this.allocatable = new Array(resources.length).fill(0);
    this.kinds = Int8Array.from(resources, (r) => (r.name === 'cpu' ? CPU : r.name === 'memory' ? MEMORY : r.name === 'ephemeral-storage' ? EPHEMERAL : SCALAR));
  }

  /** Fills the vectors for `node` given the pod's per-resource requests. */
  fill(node: NodeInfo, podRequests: readonly number[]): void {
    const useRequested = this.useRequested;
    for (let i = 0; i < this.kinds.length; i++) {
      const podRequest = podRequests[i];
      let alloc = 0;
      let req = 0;
      switch (this.kinds[i]) {
        case CPU:
          alloc = node.allocatable.milliCPU;
          req = (useRequested ? node.requested.milliCPU : node.nonZeroMilliCPU) + podRequest;
          break;
        case MEMORY:
          alloc = node.allocatable.memory;
          req = (useRequested ? node.requested.memory : node.nonZeroMemory) + podRequest;
          break;
        case EPHEMERAL:
          alloc = node.allocatable.ephemeralStorage;
          req = node.requested.ephemeralStorage + podRequest;
          break;
        default: {
          const name = this.resources[i].name;
          const a = podRequest === 0 && isScalarResourceName(name) ? undefined : node.allocatable.scalar?.get(name);
          if (a !== undefined) {
            alloc = a;
            req = node.requested.scalarOf(name) + podRequest;
          }
        }
      }
      if (alloc === 0) req = 0;
      this.allocatable[i] = alloc;
      this.requested[i] = req;
    }
  }
}

/**
 * The cpu and memory weights when `resources` are exactly cpu and memory (in this order),
 * which lets scorers skip the generic vectors; undefined otherwise.
 */
export function cpuMemoryWeights(resources: readonly ResourceSpec[]): [number, number] | undefined {
  if (resources.length !== 2 || resources[0].name !== 'cpu' || resources[1].name !== 'memory') return undefined;
  return [resources[0].weight, resources[1].weight];
}

/** LeastAllocated for one resource: the free share after placement, 0–100 (integer division). */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** Weighted average of the per-resource LeastAllocated scores over resources the node has. */
export function leastAllocatedScore(requested: readonly number[], allocatable: readonly number[], resources: readonly ResourceSpec[]): number {
  let score = 0;
  let weights = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    score += leastRequestedScore(requested[i], allocatable[i]) * resources[i].weight;
    weights += resources[i].weight;
  }
  return weights === 0 ? 0 : Math.trunc(score / weights);
}

/**
 * BalancedAllocation: 100 × (1 − standard deviation of the requested/allocatable fractions,
 * each capped at 1); two resources use |f1 − f2| / 2.
 */
export function balancedResourceScore(requested: readonly number[], allocatable: readonly number[]): number {
  let count = 0;
  let total = 0;
  let f0 = 0;
  let f1 = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const f = Math.min(requested[i] / allocatable[i], 1);
    if (count === 0) f0 = f;
    else if (count === 1) f1 = f;
    total += f;
    count++;
  }
  let std = 0;
  if (count === 2) {
    std = Math.abs((f0 - f1) / 2);
  } else if (count > 2) {
    const mean = total / count;
    let sum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const f = Math.min(requested[i] / allocatable[i], 1);
      sum += (f - mean) * (f - mean);
    }
    std = Math.sqrt(sum / count);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}
