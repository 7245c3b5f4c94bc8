import { isNotFoundError } from '../util/errors.js';
import type { Deployment, ReplicaSet } from '../util/types.js';
import { desiredReplicasAnnotation, replicasAnnotationsNeedUpdate, setReplicasAnnotations } from './annotations.js';
import { hasRevisionHistoryLimit } from './conditions.js';
import type { DeploymentDeps } from './deps.js';
import {
  isRollingUpdate, maxSurge, proportion, replicaCount, rsReplicas, specReplicas,
} from './replicas.js';
import { byRevision, bySizeNewer, bySizeOlder, filterActive, findActiveOrLatest } from './replicasets.js';
import { calculateStatus, cleanStatus, statusEqual } from './status.js';
import { writeStatus } from './new-replicaset.js';

/**
 * Sets a ReplicaSet's size (and its desired/max-replicas annotations) with one update; records
 * `ScalingReplicaSet` "Scaled up|down replica set <name> from <old> to <new>" when the size
 * changed. Resolves whether it scaled and the updated ReplicaSet.
 */
export async function scaleReplicaSet(deps: DeploymentDeps, rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  const oldScale = rsReplicas(rs);
  const sizeNeedsUpdate = oldScale !== newScale;
  const desired = specReplicas(d);
  const max = desired + maxSurge(d);
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
  const copy = structuredClone(rs);
  copy.spec.replicas = newScale;
  setReplicasAnnotations(copy, desired, max);
  const updated = await deps.updateReplicaSet(copy);
  if (sizeNeedsUpdate) {
    const op = oldScale < newScale ? 'up' : 'down';
    deps.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${updated.metadata.name} from ${oldScale} to ${newScale}`);
  }
  return { scaled: sizeNeedsUpdate, rs: updated };
}

/** {@link scaleReplicaSet}, skipped when the size is already `newScale`. */
export async function scaleAndRecord(deps: DeploymentDeps, rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  if (rsReplicas(rs) === newScale) return { scaled: false, rs };
  return scaleReplicaSet(deps, rs, newScale, d);
}

/** New sizes for proportional scaling of several active ReplicaSets during a rolling update. */
function proportionalSizes(d: Deployment, active: ReplicaSet[]): { ordered: ReplicaSet[]; sizes: Map<string, number> } {
  const allowed = specReplicas(d) > 0 ? specReplicas(d) + maxSurge(d) : 0;
  const toAdd = allowed - replicaCount(active);
  const ordered = [...active];
  if (toAdd > 0) ordered.sort(bySizeNewer);
  else if (toAdd < 0) ordered.sort(bySizeOlder);
  const sizes = new Map<string, number>();
  let added = 0;
  for (const rs of ordered) {
    const p = toAdd !== 0 ? proportion(rs, d, toAdd, added) : 0;
    sizes.set(rs.metadata.name ?? '', rsReplicas(rs) + p);
    added += p;
  }
  if (ordered.length > 0 && toAdd !== 0) {
    // Leftovers from rounding go to (or come from) the largest ReplicaSet.
    const first = ordered[0].metadata.name ?? '';
    sizes.set(first, Math.max(0, sizes.get(first)! + toAdd - added));
  }
  return { ordered, sizes };
}

/**
 * Scaling outside a rollout: a single active (or the latest) ReplicaSet takes spec.replicas; a
 * saturated new ReplicaSet scales the old ones to 0; otherwise, for rolling updates, the change is
 * spread over the active ReplicaSets in proportion to their sizes.
 */
export async function scale(deps: DeploymentDeps, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (rsReplicas(activeOrLatest) !== specReplicas(d)) await scaleAndRecord(deps, activeOrLatest, specReplicas(d), d);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of filterActive(oldRSs)) await scaleAndRecord(deps, old, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const { ordered, sizes } = proportionalSizes(d, filterActive([...oldRSs, newRS]));
  for (const rs of ordered) await scaleReplicaSet(deps, rs, sizes.get(rs.metadata.name ?? '')!, d);
}

/** The new ReplicaSet has all replicas, recorded the current desired count, and all are available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = desiredReplicasAnnotation(rs);
  if (desired === undefined) return false;
  const want = specReplicas(d);
  return rsReplicas(rs) === want && desired === want && (rs.status?.availableReplicas ?? 0) === want;
}

/** True when an active ReplicaSet recorded a desired count other than spec.replicas: the user scaled. */
export function isScalingEvent(d: Deployment, allRSs: Array<ReplicaSet | undefined>): boolean {
  return filterActive(allRSs).some((rs) => {
    const desired = desiredReplicasAnnotation(rs);
    return desired !== undefined && desired !== specReplicas(d);
  });
}

/**
 * Deletes the oldest old ReplicaSets beyond revisionHistoryLimit, sparing any that still have
 * replicas, have not been observed at their generation, or are already being deleted.
 */
export async function cleanupDeployment(deps: DeploymentDeps, oldRSs: ReplicaSet[], d: Deployment): Promise<void> {
  if (!hasRevisionHistoryLimit(d)) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = cleanable.length - d.spec.revisionHistoryLimit!;
  if (diff <= 0) return;
  cleanable.sort(byRevision);
  for (const rs of cleanable.slice(0, diff)) {
    const busy = (rs.status?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0
      || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0);
    if (busy) continue;
    try {
      await deps.deleteReplicaSet(rs.metadata.namespace ?? '', rs.metadata.name ?? '');
    } catch (e) {
      if (!isNotFoundError(e)) throw e;
    }
  }
}

/** Writes the {@link calculateStatus} status when it differs from the current one. */
export async function syncDeploymentStatus(deps: DeploymentDeps, allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const next = calculateStatus(allRSs, newRS, d, deps.now());
  if (statusEqual(d.status, next)) return;
  d.status = cleanStatus(next);
  await writeStatus(deps, d);
}
