import { isPodActive, isPodReady, podReadySince } from './pod.js';
import { parseTime } from './time.js';
import type { Pod } from './types.js';

/** The annotation lowering (or raising) a pod's cost of deletion. */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** A pod with its rank: how many active related pods share its node. */
export interface RankedPod {
  pod: Pod;
  rank: number;
}

/** The pod-deletion-cost annotation as an int32, 0 when missing or not an int32. */
export function deletionCost(pod: Pod): number {
  const v = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

/** Highest restart count of the regular containers and of the restartable init (sidecar) containers. */
function maxRestarts(pod: Pod): [number, number] {
  let regular = 0;
  for (const c of pod.status?.containerStatuses ?? []) regular = Math.max(regular, c.restartCount ?? 0);
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  let sidecar = 0;
  for (const c of pod.status?.initContainerStatuses ?? []) if (sidecars.has(c.name)) sidecar = Math.max(sidecar, c.restartCount ?? 0);
  return [regular, sidecar];
}

/** floor(log2(age in ns)) of two times against now, subtracted; -1 stands for a non-positive age. */
export function logarithmicRankDiff(t1Ms: number, t2Ms: number, nowMs: number): number {
  const rank = (t: number) => {
    const ns = (nowMs - t) * 1e6;
    return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
  };
  return rank(t1Ms) - rank(t2Ms);
}

/** Newer first, with zero (unknown) times before any known time: upstream's `afterOrZero`. */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

/** Compares two times by logarithmic age buckets, falling back to uid order within a bucket. */
function lessByAge(a: Pod, b: Pod, ta: number | undefined, tb: number | undefined, nowMs: number): boolean {
  if (ta === undefined || tb === undefined) return afterOrZero(ta, tb);
  const diff = logarithmicRankDiff(ta, tb, nowMs);
  if (diff === 0) return (a.metadata.uid ?? '') < (b.metadata.uid ?? '');
  return diff < 0;
}

/**
 * Upstream's ActivePodsWithRanks ordering (PodDeletionCost and LogarithmicScaleDown on, as in
 * v1.32): true when `a` should be deleted before `b`. Unassigned before assigned; Pending before
 * Unknown before Running; not ready before ready; lower deletion cost first; more co-located
 * related pods first; recently ready first; more restarts first; newer first.
 */
export function deleteBefore(a: RankedPod, b: RankedPod, nowMs: number): boolean {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '';
  const oa = PHASE_ORDER[pa.status?.phase ?? ''] ?? 0;
  const ob = PHASE_ORDER[pb.status?.phase ?? ''] ?? 0;
  if (oa !== ob) return oa < ob;
  const ra = isPodReady(pa);
  const rb = isPodReady(pb);
  if (ra !== rb) return !ra;
  const ca = deletionCost(pa);
  const cb = deletionCost(pb);
  if (ca !== cb) return ca < cb;
  if (a.rank !== b.rank) return a.rank > b.rank;
  if (ra && rb) {
    const ta = podReadySince(pa);
    const tb = podReadySince(pb);
    if (ta !== tb) return lessByAge(pa, pb, ta, tb, nowMs);
  }
  const [ga, sa] = maxRestarts(pa);
  const [gb, sb] = maxRestarts(pb);
  if (ga !== gb) return ga > gb;
  if (sa !== sb) return sa > sb;
  const ta = parseTime(pa.metadata.creationTimestamp);
  const tb = parseTime(pb.metadata.creationTimestamp);
  if (ta !== tb) return lessByAge(pa, pb, ta, tb, nowMs);
  return false;
}

/** Ranks each pod by the number of active `related` pods on its node. */
export function rankByRelatedPodsOnSameNode(pods: Pod[], related: Pod[]): RankedPod[] {
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const node = p.spec?.nodeName ?? '';
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  return pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
}

/**
 * Picks `diff` pods to delete out of `pods`: all of them when diff covers them, otherwise the first
 * ones in {@link deleteBefore} order, ranked against `related` (pods of sibling controllers).
 */
export function podsToDelete(pods: Pod[], related: Pod[], diff: number, nowMs: number): Pod[] {
  if (diff >= pods.length) return pods.slice(0, diff);
  const ranked = rankByRelatedPodsOnSameNode(pods, related);
  ranked.sort((a, b) => (deleteBefore(a, b, nowMs) ? -1 : deleteBefore(b, a, nowMs) ? 1 : 0));
  return ranked.slice(0, diff).map((r) => r.pod);
}
