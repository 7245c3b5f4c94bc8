import type { NodeInfo } from '../cache/node-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { PreScorePlugin, ScorePlugin } from '../framework/interfaces.js';
import type { PodInfo } from '../framework/pod-info.js';
import type { Status } from '../framework/status.js';
import { AllocationVectors, balancedResourceScore, DEFAULT_RESOURCES, podRequestFor, type ResourceSpec } from './resource-allocation.js';

const PRE_SCORE_KEY = 'PreScoreNodeResourcesBalancedAllocation';

/**
 * NodeResourcesBalancedAllocation: favours nodes whose cpu and memory would be used in equal
 * proportion after placing the pod, from the plain requests (no defaults for unset ones).
 */
export class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = 'NodeResourcesBalancedAllocation';
  private readonly vectors: AllocationVectors;
  private lastState?: CycleState;
  private lastRequests: number[] = [];

  constructor(private readonly resources: readonly ResourceSpec[] = DEFAULT_RESOURCES) {
    this.vectors = new AllocationVectors(resources, true);
  }

  preScore(state: CycleState, pod: PodInfo): Status | null {
    state.write(PRE_SCORE_KEY, this.resources.map((r) => podRequestFor(pod, r.name, true)));
    return null;
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    if (state !== this.lastState) {
      this.lastState = state;
      this.lastRequests = state.read<number[]>(PRE_SCORE_KEY) ?? this.resources.map((r) => podRequestFor(pod, r.name, true));
    }
    const v = this.vectors;
    v.fill(node, this.lastRequests);
    return balancedResourceScore(v.requested, v.allocatable);
  }
}
