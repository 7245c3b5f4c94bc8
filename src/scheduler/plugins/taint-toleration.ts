import type { NodeInfo } from '../cache/node-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { FilterPlugin, PreScorePlugin, ScorePlugin } from '../framework/interfaces.js';
import type { PodInfo } from '../framework/pod-info.js';
import { Code, Status } from '../framework/status.js';
import { findUntoleratedTaint, tolerationsTolerateTaint, type Taint, type Toleration } from '../framework/taints.js';
import { defaultNormalizeScore } from './normalize-score.js';

const PRE_SCORE_KEY = 'PreScoreTaintToleration';

const doNotSchedule = (t: Taint) => t.effect === 'NoSchedule' || t.effect === 'NoExecute';

/**
 * Filter: rejects a node with a NoSchedule or NoExecute taint the pod does not tolerate,
 * naming the first such taint. Score: counts the PreferNoSchedule taints not tolerated by the
 * pod's PreferNoSchedule (or effect-less) tolerations; normalized in reverse, so fewer is better.
 */
export class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = 'TaintToleration';
  private readonly statuses = new Map<string, Status>();

  filterSignature(pod: PodInfo): string {
    return JSON.stringify(pod.tolerations);
  }

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status | null {
    if (!node.hasTaints) return null;
    const taint = findUntoleratedTaint(node.taints, pod.tolerations, doNotSchedule);
    if (!taint) return null;
    const key = `${taint.key}\u0000${taint.value}`;
    let s = this.statuses.get(key);
    if (!s) {
      s = Status.of(Code.UnschedulableAndUnresolvable, `node(s) had untolerated taint {${taint.key}: ${taint.value}}`, this.name);
      if (this.statuses.size < 10_000) this.statuses.set(key, s);
    }
    return s;
  }

  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status | null {
    if (nodes.length === 0) return null;
    const prefer = pod.tolerations.filter((t) => t.effect === '' || t.effect === 'PreferNoSchedule');
    state.write(PRE_SCORE_KEY, prefer);
    return null;
  }

  scoreSignature(pod: PodInfo): string {
    return JSON.stringify(pod.tolerations.filter((t) => t.effect === '' || t.effect === 'PreferNoSchedule'));
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    if (!node.hasTaints) return 0;
    const tolerations = state.read<Toleration[]>(PRE_SCORE_KEY)
      ?? pod.tolerations.filter((t) => t.effect === '' || t.effect === 'PreferNoSchedule');
    let count = 0;
    for (const taint of node.taints) {
      if (taint.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, taint)) count++;
    }
    return count;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: Float64Array, n: number): Status | null {
    defaultNormalizeScore(scores, n, true);
    return null;
  }
}
