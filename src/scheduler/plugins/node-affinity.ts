import type { NodeInfo } from '../cache/node-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { FilterPlugin, PreFilterPlugin, PreScorePlugin, ScorePlugin, PreFilterResult } from '../framework/interfaces.js';
import { nodeNamesFromAffinity } from '../framework/node-selector.js';
import type { PodInfo } from '../framework/pod-info.js';
import { Code, Status } from '../framework/status.js';
import { defaultNormalizeScore } from './normalize-score.js';

/** Reason for a node that fails the pod's nodeSelector or required node affinity. */
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
/** Reason when the required terms name disjoint node sets. */
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

const SKIP = { status: new Status(Code.Skip) };

/**
 * Filter: `spec.nodeSelector` and `requiredDuringSchedulingIgnoredDuringExecution` (PreFilter
 * skips pods without either, and narrows the nodes when every term pins `metadata.name`).
 * Score: the summed weights of matching preferred terms, normalized to 0–100.
 */
export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = 'NodeAffinity';
  private readonly rejected = Status.of(Code.UnschedulableAndUnresolvable, ERR_REASON_POD, this.name);

  preFilter(_state: CycleState, pod: PodInfo): { status: Status | null; result?: PreFilterResult } | null {
    const spec = pod.pod.spec ?? {};
    const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (!required && (spec.nodeSelector === undefined || spec.nodeSelector === null)) return SKIP;
    if (!required || !Array.isArray(required.nodeSelectorTerms) || required.nodeSelectorTerms.length === 0) return null;
    const names = nodeNamesFromAffinity(pod.pod);
    if (names === undefined) return null;
    if (names.size === 0) return { status: Status.of(Code.UnschedulableAndUnresolvable, ERR_REASON_CONFLICT, this.name) };
    return { status: null, result: { nodeNames: names } };
  }

  filterSignature(pod: PodInfo): string {
    const spec = pod.pod.spec ?? {};
    return JSON.stringify([spec.nodeSelector ?? null, spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null]);
  }

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status | null {
    return pod.requiredAffinity.matches(node) ? null : this.rejected;
  }

  preScore(_state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status | null {
    if (nodes.length === 0) return null;
    return pod.preferredAffinity ? null : SKIP.status;
  }

  scoreSignature(pod: PodInfo): string {
    return JSON.stringify(pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? null);
  }

  score(_state: CycleState, pod: PodInfo, node: NodeInfo): number {
    return pod.preferredAffinity?.score(node) ?? 0;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: Float64Array, n: number): Status | null {
    defaultNormalizeScore(scores, n, false);
    return null;
  }
}
