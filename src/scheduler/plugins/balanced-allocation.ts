import type { NodeInfo } from '../cache/node-info.js';
import * as T from '../cache/node-table.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { PreScorePlugin, ScorePlugin } from '../framework/interfaces.js';
import type { PodInfo } from '../framework/pod-info.js';
import type { Status } from '../framework/status.js';
import { MAX_NODE_SCORE } from '../framework/interfaces.js';
import {
  AllocationVectors, balancedResourceScore, cpuMemoryWeights, DEFAULT_RESOURCES, podRequestFor, type ResourceSpec,
} from './resource-allocation.js';

const PRE_SCORE_KEY = 'PreScoreNodeResourcesBalancedAllocation';

/**
 * NodeResourcesBalancedAllocation: favours nodes whose cpu and memory would be used in equal
 * proportion after placing the pod, from the plain requests (no defaults for unset ones).
 */
export class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = 'NodeResourcesBalancedAllocation';
  private readonly vectors: AllocationVectors;
  private readonly cpuMemoryOnly: boolean;
  private lastState?: CycleState;
  private lastRequests: number[] = [];

  constructor(private readonly resources: readonly ResourceSpec[] = DEFAULT_RESOURCES) {
    this.vectors = new AllocationVectors(resources, true);
    this.cpuMemoryOnly = cpuMemoryWeights(resources) !== undefined;
  }

  preScore(state: CycleState, pod: PodInfo): Status | null {
    state.write(PRE_SCORE_KEY, this.resources.map((r) => podRequestFor(pod, r.name, true)));
    return null;
  }

  scoreSignature(pod: PodInfo): string {
    return this.resources.map((r) => podRequestFor(pod, r.name, true)).join(',');
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    if (state !== this.lastState) {
      this.lastState = state;
      this.lastRequests = state.read<number[]>(PRE_SCORE_KEY) ?? this.resources.map((r) => podRequestFor(pod, r.name, true));
    }
    if (this.cpuMemoryOnly) {
      // cpu and memory only: the generic computation, unrolled.
      const d = node.table.data;
      const row = node.slot * T.STRIDE;
      const ac = d[row + T.ALLOC_CPU];
      const am = d[row + T.ALLOC_MEMORY];
      if (ac === 0 || am === 0) return MAX_NODE_SCORE;
      const fc = Math.min((d[row + T.REQ_CPU] + this.lastRequests[0]) / ac, 1);
      const fm = Math.min((d[row + T.REQ_MEMORY] + this.lastRequests[1]) / am, 1);
      return Math.trunc((1 - Math.abs((fc - fm) / 2)) * MAX_NODE_SCORE);
    }
    const v = this.vectors;
    v.fill(node, this.lastRequests);
    return balancedResourceScore(v.requested, v.allocatable);
  }
}
