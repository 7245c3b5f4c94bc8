import { semanticEqual } from '../util/semantic.js';
import { parseTime } from '../util/time.js';
import type { Deployment, PodTemplateSpec, ReplicaSet } from '../util/types.js';
import { POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION } from './constants.js';
import { rsReplicas } from './replicas.js';

/** Older first; equal times by name (upstream's ReplicaSetsByCreationTimestamp). */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const ta = parseTime(a.metadata.creationTimestamp) ?? 0;
  const tb = parseTime(b.metadata.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Larger first; equal sizes older first (ReplicaSetsBySizeOlder). */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return rsReplicas(b) - rsReplicas(a) || byCreation(a, b);
}

/** Larger first; equal sizes newer first (ReplicaSetsBySizeNewer). */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return rsReplicas(b) - rsReplicas(a) || byCreation(b, a);
}

/**
 * The revision annotation as a number: 0 when absent, undefined when it does not parse (such
 * ReplicaSets are skipped when counting revisions).
 */
export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } }): number | undefined {
  const v = obj.metadata.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  return /^[+-]?\d+$/.test(v) ? Number(v) : undefined;
}

/** Lower revision first; equal or unparsable revisions by creation (ReplicaSetsByRevision). */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  if (ra === undefined || rb === undefined || ra === rb) return byCreation(a, b);
  return ra - rb;
}

/** The highest revision among the ReplicaSets (0 when none has one). */
export function maxRevision(rss: ReplicaSet[]): number {
  let max = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (v !== undefined && v > max) max = v;
  }
  return max;
}

/** The second-highest revision: the one `rollout undo` without `--to-revision` goes back to. */
export function lastRevision(rss: ReplicaSet[]): number {
  let max = 0;
  let second = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (v === undefined) continue;
    if (v >= max) {
      second = max;
      max = v;
    } else if (v > second) {
      second = v;
    }
  }
  return second;
}

/** A template without the pod-template-hash label. */
function withoutHash(t: PodTemplateSpec | undefined): PodTemplateSpec {
  const copy: PodTemplateSpec = structuredClone(t ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  return copy;
}

/** True when two pod templates are semantically equal once the pod-template-hash label is ignored. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return semanticEqual(withoutHash(a), withoutHash(b));
}

/** The oldest ReplicaSet whose template matches the Deployment's: the Deployment's new ReplicaSet. */
export function findNewReplicaSet(d: Deployment, rsList: ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/**
 * The ReplicaSets other than the new one: `old` are those with replicas, `allOld` all of them.
 */
export function findOldReplicaSets(d: Deployment, rsList: ReplicaSet[]): { old: ReplicaSet[]; allOld: ReplicaSet[] } {
  const newRS = findNewReplicaSet(d, rsList);
  const allOld = rsList.filter((rs) => !newRS || rs.metadata.uid !== newRS.metadata.uid);
  return { old: allOld.filter((rs) => rsReplicas(rs) !== 0), allOld };
}

/** ReplicaSets with at least one replica wanted. */
export function filterActive(rss: Array<ReplicaSet | undefined>): ReplicaSet[] {
  return rss.filter((rs): rs is ReplicaSet => !!rs && rsReplicas(rs) > 0);
}

/**
 * The only active ReplicaSet, or the newest one when none is active; undefined when several are
 * active (those are scaled proportionally).
 */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = filterActive([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  if (active.length === 1) return active[0];
  return undefined;
}
