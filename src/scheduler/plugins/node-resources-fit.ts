import type { NodeInfo } from '../cache/node-info.js';
import * as T from '../cache/node-table.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { FilterPlugin, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../framework/interfaces.js';
import type { PodInfo } from '../framework/pod-info.js';
import { Code, Status } from '../framework/status.js';
import {
  AllocationVectors, cpuMemoryWeights, DEFAULT_RESOURCES, leastAllocatedScore, leastRequestedScore, podRequestFor, type ResourceSpec,
} from './resource-allocation.js';

const PRE_SCORE_KEY = 'PreScoreNodeResourcesFit';
const REASONS = ['Too many pods', 'Insufficient cpu', 'Insufficient memory', 'Insufficient ephemeral-storage'];

/** One insufficient resource of a node for a pod. */
export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

/**
 * The resources `node` lacks for `pod`, in upstream's order: pod count, cpu, memory,
 * ephemeral storage, then extended resources. A pod that requests nothing is only checked
 * for the pod count.
 */
export function insufficientResources(pod: PodInfo, node: NodeInfo): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const req = pod.requests.requests;
  const alloc = node.allocatable;
  const used = node.requested;
  if (node.podCount + 1 > alloc.allowedPodNumber) out.push({ resourceName: 'pods', reason: REASONS[0], requested: 1, used: node.podCount, capacity: alloc.allowedPodNumber });
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && (!req.scalar || req.scalar.size === 0)) return out;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) out.push({ resourceName: 'cpu', reason: REASONS[1], requested: req.milliCPU, used: used.milliCPU, capacity: alloc.milliCPU });
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) out.push({ resourceName: 'memory', reason: REASONS[2], requested: req.memory, used: used.memory, capacity: alloc.memory });
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    out.push({ resourceName: 'ephemeral-storage', reason: REASONS[3], requested: req.ephemeralStorage, used: used.ephemeralStorage, capacity: alloc.ephemeralStorage });
  }
  if (req.scalar) {
    for (const [name, q] of req.scalar) {
      if (q === 0) continue;
      if (q > alloc.scalarOf(name) - used.scalarOf(name)) out.push({ resourceName: name, reason: `Insufficient ${name}`, requested: q, used: used.scalarOf(name), capacity: alloc.scalarOf(name) });
    }
  }
  return out;
}

/**
 * NodeResourcesFit. Filter: the node must have room for the pod's requests and one more pod
 * (Unschedulable with one reason per short resource). Score: LeastAllocated over cpu and
 * memory (weight 1 each), using requests with the 100m / 200Mi defaults.
 */
export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = 'NodeResourcesFit';
  /** Statuses for combinations of the four fixed reasons, by bit mask. */
  private readonly byMask: (Status | undefined)[] = new Array(16);
  private readonly vectors: AllocationVectors;
  private readonly cpuMemory?: [number, number];
  private lastState?: CycleState;
  private lastRequests: number[] = [];

  constructor(private readonly resources: readonly ResourceSpec[] = DEFAULT_RESOURCES) {
    this.vectors = new AllocationVectors(resources, false);
    this.cpuMemory = cpuMemoryWeights(resources);
  }

  preFilter(state: CycleState, pod: PodInfo): null {
    state.write('PreFilterNodeResourcesFit', pod.requests);
    return null;
  }

  filterSignature(pod: PodInfo): string {
    const r = pod.requests.requests;
    let sig = `${r.milliCPU},${r.memory},${r.ephemeralStorage}`;
    if (r.scalar) for (const [k, v] of r.scalar) sig += `,${k}=${v}`;
    return sig;
  }

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status | null {
    const req = pod.requests.requests;
    let mask = 0;
    if (node.numPods + 1 > node.allowedPods) mask |= 1;
    if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && (req.scalar === null || req.scalar.size === 0)) {
      return mask ? this.statusFor(mask)! : null;
    }
    const d = node.table.data;
    const row = node.slot * T.STRIDE;
    if (req.milliCPU > 0 && req.milliCPU > d[row + T.ALLOC_CPU] - d[row + T.REQ_CPU]) mask |= 2;
    if (req.memory > 0 && req.memory > d[row + T.ALLOC_MEMORY] - d[row + T.REQ_MEMORY]) mask |= 4;
    if (req.ephemeralStorage > 0 && req.ephemeralStorage > d[row + T.ALLOC_EPHEMERAL] - d[row + T.REQ_EPHEMERAL]) mask |= 8;
    if (req.scalar !== null && req.scalar.size > 0) {
      const extra = insufficientResources(pod, node).filter((r) => !REASONS.includes(r.reason)).map((r) => r.reason);
      if (extra.length) return new Status(Code.Unschedulable, [...(this.statusFor(mask)?.reasons ?? []), ...extra], this.name);
    }
    return mask ? this.statusFor(mask)! : null;
  }

  private statusFor(mask: number): Status | undefined {
    if (mask === 0) return undefined;
    let s = this.byMask[mask];
    if (!s) {
      const reasons: string[] = [];
      for (let b = 0; b < 4; b++) if (mask & (1 << b)) reasons.push(REASONS[b]);
      s = this.byMask[mask] = new Status(Code.Unschedulable, reasons, this.name);
    }
    return s;
  }

  preScore(state: CycleState, pod: PodInfo): Status | null {
    state.write(PRE_SCORE_KEY, this.resources.map((r) => podRequestFor(pod, r.name, false)));
    return null;
  }

  scoreSignature(pod: PodInfo): string {
    return this.resources.map((r) => podRequestFor(pod, r.name, false)).join(',');
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    if (state !== this.lastState) {
      this.lastState = state;
      this.lastRequests = state.read<number[]>(PRE_SCORE_KEY) ?? this.resources.map((r) => podRequestFor(pod, r.name, false));
    }
    const cm = this.cpuMemory;
    if (cm) {
      // cpu and memory only: the generic computation, unrolled.
      const d = node.table.data;
      const row = node.slot * T.STRIDE;
      const ac = d[row + T.ALLOC_CPU];
      const am = d[row + T.ALLOC_MEMORY];
      let score = 0;
      let weights = 0;
      if (ac !== 0) {
        score += leastRequestedScore(d[row + T.NON_ZERO_CPU] + this.lastRequests[0], ac) * cm[0];
        weights += cm[0];
      }
      if (am !== 0) {
        score += leastRequestedScore(d[row + T.NON_ZERO_MEMORY] + this.lastRequests[1], am) * cm[1];
        weights += cm[1];
      }
      return weights === 0 ? 0 : Math.trunc(score / weights);
    }
    const v = this.vectors;
    v.fill(node, this.lastRequests);
    return leastAllocatedScore(v.requested, v.allocatable, this.resources);
  }
}
