import type { Deployment, ReplicaSet } from '../util/types.js';
import { getCondition, hasProgressDeadline, newCondition, setCondition } from './conditions.js';
import { Reason } from './constants.js';
import type { DeploymentDeps, PodMap } from './deps.js';
import { getAllReplicaSetsAndSyncRevision, writeStatus } from './new-replicaset.js';
import { rolloutRecreate } from './recreate.js';
import { rollback, getRollbackTo } from './rollback.js';
import { rolloutRolling } from './rolling.js';
import { cleanupDeployment, isScalingEvent, scale, syncDeploymentStatus } from './scale.js';

/** True for a Deployment whose selector is `{}` (it would select every pod). */
export function selectsEverything(d: Deployment): boolean {
  const s = d.spec.selector;
  return !!s && Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;
}

/** Refuses a select-everything Deployment with a Warning event, recording only the observed generation. */
export async function refuseSelectingAll(deps: DeploymentDeps, d: Deployment): Promise<void> {
  deps.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
  if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
    (d.status ??= {}).observedGeneration = d.metadata.generation;
    await writeStatus(deps, d);
  }
}

/**
 * Marks pausing and resuming in the Progressing condition (status Unknown, reasons DeploymentPaused
 * and DeploymentResumed) so a paused rollout never counts against its deadline. A timed-out
 * condition is left alone.
 */
export async function checkPausedConditions(deps: DeploymentDeps, d: Deployment): Promise<void> {
  if (!hasProgressDeadline(d)) return;
  const cond = getCondition(d.status, 'Progressing');
  if (cond?.reason === Reason.TimedOut) return;
  const pausedCondExists = cond?.reason === Reason.Paused;
  let condition;
  if (d.spec.paused && !pausedCondExists) {
    condition = newCondition('Progressing', 'Unknown', Reason.Paused, 'Deployment is paused', deps.now());
  } else if (!d.spec.paused && pausedCondExists) {
    condition = newCondition('Progressing', 'Unknown', Reason.Resumed, 'Deployment is resumed', deps.now());
  }
  if (!condition) return;
  setCondition((d.status ??= {}), condition);
  await writeStatus(deps, d);
}

/** Scaling (also while paused): resize without rolling out, clean up history when paused, report status. */
async function sync(deps: DeploymentDeps, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(deps, d, rsList, false);
  await scale(deps, d, newRS, oldRSs);
  if (d.spec.paused && getRollbackTo(d) === undefined) await cleanupDeployment(deps, oldRSs, d);
  await syncDeploymentStatus(deps, [...oldRSs, newRS], newRS, d);
}

/**
 * One sync of a Deployment whose ReplicaSets were claimed (`rsList`) and whose pods are grouped by
 * ReplicaSet (`podMap`): status only while deleted; paused and scaling events resize; a rollback
 * request is served; otherwise the strategy rolls out one step. `d` is a private copy.
 */
export async function syncDeploymentObject(deps: DeploymentDeps, d: Deployment, rsList: ReplicaSet[], podMap: PodMap): Promise<void> {
  if (d.metadata.deletionTimestamp) {
    const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(deps, d, rsList, false);
    return syncDeploymentStatus(deps, [...oldRSs, newRS], newRS, d);
  }
  await checkPausedConditions(deps, d);
  if (d.spec.paused) return sync(deps, d, rsList);
  if (getRollbackTo(d) !== undefined) return rollback(deps, d, rsList);
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(deps, d, rsList, false);
  if (isScalingEvent(d, [...oldRSs, newRS])) return sync(deps, d, rsList);
  switch (d.spec.strategy?.type) {
    case 'Recreate': return rolloutRecreate(deps, d, rsList, podMap);
    case 'RollingUpdate': return rolloutRolling(deps, d, rsList);
    default: throw new Error(`unexpected deployment strategy type: ${d.spec.strategy?.type ?? ''}`);
  }
}
