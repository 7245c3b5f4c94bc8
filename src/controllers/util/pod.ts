import { parseTime } from './time.js';
import type { Pod, PodCondition } from './types.js';

/** The pod's `Ready` condition, if any. */
export function getPodReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** True when the pod's `Ready` condition is `True`. */
export function isPodReady(pod: Pod): boolean {
  return getPodReadyCondition(pod)?.status === 'True';
}

/**
 * True when the pod is ready and has been for more than `minReadySeconds` at `nowMs` (always, when
 * minReadySeconds is 0). A ready pod without a transition time is not available unless
 * minReadySeconds is 0.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const since = parseTime(getPodReadyCondition(pod)?.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 < nowMs;
}

/** True for a pod that is neither finished (Succeeded/Failed) nor being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** When a ready pod became ready (epoch ms); undefined when not ready or unknown. */
export function podReadySince(pod: Pod): number | undefined {
  return isPodReady(pod) ? parseTime(getPodReadyCondition(pod)?.lastTransitionTime) : undefined;
}

/** `namespace/name` of a pod, the key deletion expectations track. */
export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}
