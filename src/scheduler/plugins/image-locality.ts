import type { NodeInfo } from '../cache/node-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { Handle, PreScorePlugin, ScorePlugin } from '../framework/interfaces.js';
import { MAX_NODE_SCORE } from '../framework/interfaces.js';
import type { PodInfo } from '../framework/pod-info.js';
import { Code, Status } from '../framework/status.js';

const MB = 1024 * 1024;
/** Below this summed size an image is worth nothing. */
export const MIN_THRESHOLD = 23 * MB;
/** Per container: above this the score is capped. */
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/**
 * Upstream's calculatePriority: the summed image score clamped to
 * [23MB, 1000MB × containers] and scaled linearly to 0–100.
 */
export function imageLocalityPriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  let s = sumScores;
  if (s < MIN_THRESHOLD) s = MIN_THRESHOLD;
  else if (s > maxThreshold) s = maxThreshold;
  return Math.trunc((MAX_NODE_SCORE * (s - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

/**
 * Favours nodes that already hold the pod's container images: each present image counts its
 * size scaled by the share of nodes that have it (spreading), summed over init and regular
 * containers.
 */
export class ImageLocality implements PreScorePlugin, ScorePlugin {
  readonly name = 'ImageLocality';
  private readonly skip = new Status(Code.Skip);

  constructor(private readonly handle: Pick<Handle, 'nodeList' | 'imageNodeCount'>) {}

  /**
   * Skips the plugin when no node holds any of the pod's images: every node would score 0
   * (upstream has no PreScore here; skipping leaves every total unchanged).
   */
  preScore(_state: CycleState, pod: PodInfo): Status | null {
    for (const name of pod.images) if (this.handle.imageNodeCount(name) > 0) return null;
    return this.skip;
  }

  score(_state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const images = pod.images;
    if (images.length === 0) return 0;
    let sum = 0;
    if (node.hasImages) {
      const total = this.handle.nodeList().length;
      for (const name of images) {
        const st = node.imageStates.get(name);
        if (st) sum += Math.trunc(st.size * (st.nodes.size / total));
      }
    }
    return imageLocalityPriority(sum, images.length);
  }
}
