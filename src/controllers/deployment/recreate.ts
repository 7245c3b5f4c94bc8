import type { Deployment, ReplicaSet } from '../util/types.js';
import { deploymentComplete } from './conditions.js';
import type { DeploymentDeps, PodMap } from './deps.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replicaset.js';
import { syncRolloutStatus } from './progress.js';
import { actualReplicaCount, specReplicas } from './replicas.js';
import { filterActive } from './replicasets.js';
import { cleanupDeployment, scaleAndRecord } from './scale.js';

/**
 * True while pods of old ReplicaSets may still run: old ReplicaSets report replicas, or a pod
 * outside the new ReplicaSet is in any phase but Succeeded/Failed.
 */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], podMap: PodMap): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata.uid === uid) continue;
    if (pods.some((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')) return true;
  }
  return false;
}

/**
 * One step of a Recreate rollout: scale every old ReplicaSet to 0, wait until no old pod runs,
 * then create the new ReplicaSet at full size.
 */
export async function rolloutRecreate(deps: DeploymentDeps, d: Deployment, rsList: ReplicaSet[], podMap: PodMap): Promise<void> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(deps, d, rsList, false);
  let allRSs: Array<ReplicaSet | undefined> = [...oldRSs, newRS];
  let scaledDown = false;
  for (const rs of filterActive(oldRSs)) {
    if ((await scaleAndRecord(deps, rs, 0, d)).scaled) scaledDown = true;
  }
  if (scaledDown) return syncRolloutStatus(deps, allRSs, newRS, d);
  if (oldPodsRunning(newRS, oldRSs, podMap)) return syncRolloutStatus(deps, allRSs, newRS, d);
  if (!newRS) {
    ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(deps, d, rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  await scaleAndRecord(deps, newRS!, specReplicas(d), d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(deps, oldRSs, d);
  return syncRolloutStatus(deps, allRSs, newRS, d);
}
