import type { Deployment, ReplicaSet } from '../util/types.js';
import type { DeploymentDeps } from './deps.js';
import { writeStatus } from './new-replicaset.js';
import { cleanStatus, rolloutStatus, statusEqual, stuckRequeueDelay } from './status.js';

/**
 * Writes the rollout status ({@link rolloutStatus}) when it changed; when nothing changed and the
 * rollout is still in progress, schedules a re-check for when its progress deadline passes.
 */
export async function syncRolloutStatus(deps: DeploymentDeps, allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const now = deps.now();
  const next = rolloutStatus(allRSs, newRS, d, now);
  if (statusEqual(d.status, next)) {
    const delay = stuckRequeueDelay(d, next, now);
    if (delay === 0) deps.enqueueRateLimited(d);
    else if (delay !== undefined) deps.enqueueAfter(d, delay);
    return;
  }
  d.status = cleanStatus(next);
  await writeStatus(deps, d);
}
