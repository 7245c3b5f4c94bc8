/**
 * Pods left with a DisruptionTarget=True condition but never deleted: after two minutes the
 * condition is reset to False.
 */
import type { KubeObject } from '../../client/index.js';

/** How long a stale DisruptionTarget condition is left alone. */
export const STALE_POD_DISRUPTION_TIMEOUT_MS = 2 * 60 * 1000;

/**
 * Whether a pod that is not being deleted carries a DisruptionTarget=True condition set by
 * someone other than the kubelet, and how long until it counts as stale (0: now).
 */
export function staleDisruptionCondition(pod: KubeObject, now: number): { stale: boolean; waitMs: number } {
  if (pod.metadata.deletionTimestamp) return { stale: false, waitMs: 0 };
  const cond = (pod.status?.conditions ?? []).find((c: any) => c?.type === 'DisruptionTarget');
  const phase = pod.status?.phase;
  if (!cond || cond.status !== 'True' || cond.reason === 'TerminationByKubelet' || phase === 'Succeeded' || phase === 'Failed') {
    return { stale: false, waitMs: 0 };
  }
  const since = Date.parse(cond.lastTransitionTime ?? '');
  const elapsed = Number.isNaN(since) ? now : now - since;
  return { stale: true, waitMs: Math.max(0, STALE_POD_DISRUPTION_TIMEOUT_MS - elapsed) };
}

/** The pod with its DisruptionTarget condition replaced by a False one (`UpdatePodCondition`). */
export function resetDisruptionCondition(pod: KubeObject, nowText: string): KubeObject {
  const next = structuredClone(pod);
  next.status.conditions = (next.status.conditions ?? []).map((c: any) =>
    c?.type === 'DisruptionTarget' ? { type: 'DisruptionTarget', status: 'False', lastProbeTime: null, lastTransitionTime: nowText } : c);
  return next;
}
