import type { Deployment, ReplicaSet } from '../util/types.js';
import { deploymentComplete } from './conditions.js';
import type { DeploymentDeps } from './deps.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replicaset.js';
import { syncRolloutStatus } from './progress.js';
import {
  availableReplicaCount, maxUnavailable, newRSNewReplicas, replicaCount, rsReplicas, specReplicas,
} from './replicas.js';
import { byCreation, filterActive } from './replicasets.js';
import { cleanupDeployment, scaleAndRecord } from './scale.js';

/** Grows (or trims) the new ReplicaSet as far as maxSurge allows; true if it scaled. */
export async function reconcileNewReplicaSet(deps: DeploymentDeps, allRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  const want = specReplicas(d);
  if (rsReplicas(newRS) === want) return false;
  if (rsReplicas(newRS) > want) return (await scaleAndRecord(deps, newRS, want, d)).scaled;
  return (await scaleAndRecord(deps, newRS, newRSNewReplicas(d, allRSs, newRS), d)).scaled;
}

/**
 * Scales down old ReplicaSets' unavailable replicas first (oldest ReplicaSets first), at most
 * `maxCleanup` in all. Returns the ReplicaSets (updated where scaled) and how many were removed.
 */
async function cleanupUnhealthyReplicas(deps: DeploymentDeps, oldRSs: ReplicaSet[], d: Deployment, maxCleanup: number): Promise<{ oldRSs: ReplicaSet[]; count: number }> {
  const sorted = [...oldRSs].sort(byCreation);
  let total = 0;
  for (let i = 0; i < sorted.length && total < maxCleanup; i++) {
    const rs = sorted[i];
    const available = rs.status?.availableReplicas ?? 0;
    if (rsReplicas(rs) === 0 || rsReplicas(rs) === available) continue;
    const down = Math.min(maxCleanup - total, rsReplicas(rs) - available);
    const target = rsReplicas(rs) - down;
    if (target > rsReplicas(rs)) throw new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${rsReplicas(rs)} -> ${target}`);
    sorted[i] = (await scaleAndRecord(deps, rs, target, d)).rs;
    total += down;
  }
  return { oldRSs: sorted, count: total };
}

/** Scales old ReplicaSets down (oldest first) as far as availability above the minimum allows. */
async function scaleDownOldForRollingUpdate(deps: DeploymentDeps, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], d: Deployment): Promise<number> {
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const available = availableReplicaCount(allRSs);
  if (available <= minAvailable) return 0;
  const budget = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= budget) break;
    if (rsReplicas(rs) === 0) continue;
    const down = Math.min(rsReplicas(rs), budget - total);
    await scaleAndRecord(deps, rs, rsReplicas(rs) - down, d);
    total += down;
  }
  return total;
}

/**
 * Scales old ReplicaSets down without dropping below spec.replicas - maxUnavailable available pods,
 * counting the new ReplicaSet's unavailable pods against the budget; true if anything scaled.
 */
export async function reconcileOldReplicaSets(deps: DeploymentDeps, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (replicaCount(oldRSs) === 0) return false;
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const newUnavailable = rsReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = replicaCount(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = await cleanupUnhealthyReplicas(deps, oldRSs, d, maxScaledDown);
  const scaledDown = await scaleDownOldForRollingUpdate(deps, [...cleaned.oldRSs, newRS], cleaned.oldRSs, d);
  return cleaned.count + scaledDown > 0;
}

/** One step of a RollingUpdate rollout: scale the new ReplicaSet up, the old ones down, then report. */
export async function rolloutRolling(deps: DeploymentDeps, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const got = await getAllReplicaSetsAndSyncRevision(deps, d, rsList, true);
  const newRS = got.newRS!;
  const oldRSs = got.oldRSs;
  const allRSs = [...oldRSs, newRS];
  if (await reconcileNewReplicaSet(deps, allRSs, newRS, d)) return syncRolloutStatus(deps, allRSs, newRS, d);
  if (await reconcileOldReplicaSets(deps, allRSs, filterActive(oldRSs), newRS, d)) return syncRolloutStatus(deps, allRSs, newRS, d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(deps, oldRSs, d);
  return syncRolloutStatus(deps, allRSs, newRS, d);
}
