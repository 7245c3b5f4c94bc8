import type { Deployment, ReplicaSet } from '../util/types.js';
import {
  DESIRED_REPLICAS_ANNOTATION, LAST_APPLIED_ANNOTATION, MAX_REPLICAS_ANNOTATION, REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION, ROLLBACK_TO_ANNOTATION,
} from './constants.js';
import { maxSurge, specReplicas } from './replicas.js';

/** Annotations that stay on their object and are never copied between Deployment and ReplicaSet. */
const SKIPPED = new Set([
  LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION, ROLLBACK_TO_ANNOTATION,
]);

/** True for an annotation that is not copied between a Deployment and its ReplicaSets. */
export function skipCopyAnnotation(key: string): boolean {
  return SKIPPED.has(key);
}

/** Copies the Deployment's copyable annotations onto the ReplicaSet; true if any changed. */
export function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  const target = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (skipCopyAnnotation(k) || target[k] === v) continue;
    target[k] = v;
    changed = true;
  }
  return changed;
}

/** Replaces the Deployment's copyable annotations with those of the ReplicaSet it rolls back to. */
export function setDeploymentAnnotationsTo(d: Deployment, rs: ReplicaSet): void {
  const kept: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (skipCopyAnnotation(k)) kept[k] = v;
  for (const [k, v] of Object.entries(rs.metadata.annotations ?? {})) if (!skipCopyAnnotation(k)) kept[k] = v;
  d.metadata.annotations = kept;
}

/** Sets the Deployment's revision annotation; true if it changed. */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  const a = (d.metadata.annotations ??= {});
  if (a[REVISION_ANNOTATION] === revision) return false;
  a[REVISION_ANNOTATION] = revision;
  return true;
}

/** Sets desired-replicas and max-replicas; true if either changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  if (a[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    a[DESIRED_REPLICAS_ANNOTATION] = String(desired);
    changed = true;
  }
  if (a[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    a[MAX_REPLICAS_ANNOTATION] = String(max);
    changed = true;
  }
  return changed;
}

/** Whether desired-replicas or max-replicas differ from the given values. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/** The desired-replicas annotation as a number, undefined when missing or not an integer. */
export function desiredReplicasAnnotation(rs: ReplicaSet): number | undefined {
  const v = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION];
  return v !== undefined && /^[+-]?\d+$/.test(v) ? Number(v) : undefined;
}

/** Appends `oldRevision` to the revision history, dropping the oldest entries past `limitChars`. */
function appendRevisionHistory(rs: ReplicaSet, oldRevision: string, limitChars: number): void {
  const a = rs.metadata.annotations!;
  const history = a[REVISION_HISTORY_ANNOTATION] ?? '';
  if (history === '') {
    a[REVISION_HISTORY_ANNOTATION] = oldRevision;
    return;
  }
  const entries = history.split(',');
  let total = history.length + oldRevision.length + 1;
  let start = 0;
  while (total > limitChars && start < entries.length) {
    total -= entries[start].length + 1;
    start++;
  }
  if (total <= limitChars) a[REVISION_HISTORY_ANNOTATION] = [...entries.slice(start), oldRevision].join(',');
}

/**
 * Brings a (new) ReplicaSet's annotations in line with its Deployment: copies the Deployment's
 * annotations, raises the revision to `newRevision` when lower (remembering the old one in the
 * revision history: that is a rollback), and, for a ReplicaSet about to be created
 * (`exists` false), records desired/max replicas. True if anything changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: string, exists: boolean, limitChars: number): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const a = (rs.metadata.annotations ??= {});
  const oldRevision = a[REVISION_ANNOTATION];
  let oldInt = 0;
  if (oldRevision !== undefined && oldRevision !== '') {
    if (!/^[+-]?\d+$/.test(oldRevision)) return false;
    oldInt = Number(oldRevision);
  }
  if (!/^[+-]?\d+$/.test(newRevision)) return false;
  const newInt = Number(newRevision);
  if (oldInt < newInt) {
    a[REVISION_ANNOTATION] = newRevision;
    changed = true;
    if (oldRevision !== undefined) appendRevisionHistory(rs, oldRevision, limitChars);
  }
  if (!exists && setReplicasAnnotations(rs, specReplicas(d), specReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}
