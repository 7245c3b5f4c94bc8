/** What the Job controller reads from its pods: phases, finalizers, readiness, finish times. */
import type { KubeObject } from '../../client/object.js';
import { JOB_TRACKING_FINALIZER } from './constants.js';

/** Whether the pod still carries the job tracking finalizer (it has not been counted yet). */
export const hasTrackingFinalizer = (pod: KubeObject): boolean => (pod.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);

/** Neither Succeeded nor Failed, and not being deleted (upstream's FilterActivePods). */
export function isPodActive(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** Being deleted but not yet in a terminal phase. */
export function isPodTerminating(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return !!pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/** The pod's Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  const conditions: any[] = Array.isArray(pod.status?.conditions) ? pod.status.conditions : [];
  return conditions.some((c) => c?.type === 'Ready' && c.status === 'True');
}

/** Replacement waits for terminal pods only: `podReplacementPolicy: Failed`, or a pod failure policy. */
export function onlyReplaceFailedPods(job: KubeObject): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || job.spec?.podFailurePolicy != null;
}

/**
 * Whether the job counts the pod as failed: phase Failed, or (unless only failed pods are
 * replaced) deleted before it succeeded.
 */
export function isPodFailed(pod: KubeObject, job: KubeObject): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

const ms = (t: unknown): number | undefined => (typeof t === 'string' && t ? Date.parse(t) : undefined);

/** Latest container finish time, or undefined when some container has not terminated. */
function containersFinishedAt(pod: KubeObject): number | undefined {
  let latest: number | undefined;
  const statuses: any[] = Array.isArray(pod.status?.containerStatuses) ? pod.status.containerStatuses : [];
  for (const s of statuses) {
    const finished = ms(s?.state?.terminated?.finishedAt);
    if (finished === undefined) return undefined;
    if (latest === undefined || finished > latest) latest = finished;
  }
  return latest;
}

/**
 * When the pod finished: the last container finish time, else the Ready=False transition time,
 * else the deletion time less the grace period, else the creation time.
 */
export function podFinishedAt(pod: KubeObject): number {
  const fromContainers = containersFinishedAt(pod);
  if (fromContainers !== undefined) return fromContainers;
  const conditions: any[] = Array.isArray(pod.status?.conditions) ? pod.status.conditions : [];
  const ready = conditions.find((c) => c?.type === 'Ready');
  const readyFalse = ready?.status === 'False' ? ms(ready.lastTransitionTime) : undefined;
  if (readyFalse !== undefined) return readyFalse;
  const deleted = ms(pod.metadata.deletionTimestamp);
  if (deleted !== undefined) return deleted - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return ms(pod.metadata.creationTimestamp) ?? 0;
}

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function readySince(pod: KubeObject): number | undefined {
  const conditions: any[] = Array.isArray(pod.status?.conditions) ? pod.status.conditions : [];
  return ms(conditions.find((c) => c?.type === 'Ready' && c.status === 'True')?.lastTransitionTime);
}

function maxRestarts(pod: KubeObject): number {
  const statuses: any[] = Array.isArray(pod.status?.containerStatuses) ? pod.status.containerStatuses : [];
  return statuses.reduce((m, s) => Math.max(m, s?.restartCount ?? 0), 0);
}

/** Newer first, with unknown times before any known one. */
function newerFirst(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return b - a;
}

/**
 * Upstream's ActivePods order, pods to delete first: unscheduled before scheduled, Pending before
 * Unknown before Running, not ready before ready, ready more recently first, more restarts first,
 * newer first.
 */
export function compareForDeletion(a: KubeObject, b: KubeObject): number {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const pa = PHASE_ORDER[a.status?.phase ?? ''] ?? 0;
  const pb = PHASE_ORDER[b.status?.phase ?? ''] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a);
  if (ra !== isPodReady(b)) return ra ? 1 : -1;
  if (ra) {
    const byReady = newerFirst(readySince(a), readySince(b));
    if (byReady !== 0) return byReady;
  }
  const restarts = maxRestarts(b) - maxRestarts(a);
  if (restarts !== 0) return restarts;
  return newerFirst(ms(a.metadata.creationTimestamp), ms(b.metadata.creationTimestamp));
}

/** Sum of container and init container restarts of Pending or Running pods. */
export function restartCount(pods: KubeObject[]): number {
  let total = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) total += s?.restartCount ?? 0;
  }
  return total;
}
