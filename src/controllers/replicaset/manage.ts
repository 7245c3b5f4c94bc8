import { hasStatusCause, isNotFoundError, NAMESPACE_TERMINATING_CAUSE } from '../util/errors.js';
import { podKey } from '../util/pod.js';
import { slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from '../util/slow-start.js';
import { keyOf, type Pod, type ReplicaSet } from '../util/types.js';
import { podsToDelete } from '../util/victims.js';
import type { ReplicaSetDeps } from './deps.js';
import { createPodFor, deletePodOf } from './pod-control.js';

/** Creates `diff` pods in slow-start batches, expecting each creation first. */
async function createMissing(deps: ReplicaSetDeps, rs: ReplicaSet, diff: number): Promise<void> {
  const key = keyOf(rs);
  deps.expectations.expectCreations(key, diff);
  const { successes, error } = await slowStartBatch(diff, SLOW_START_INITIAL_BATCH_SIZE, async () => {
    try {
      await createPodFor(deps, rs);
    } catch (e) {
      // In a terminating namespace every create fails; there is nothing more to do.
      if (!hasStatusCause(e, NAMESPACE_TERMINATING_CAUSE)) throw e;
    }
  });
  // Creations never attempted (and failed ones) will never be observed.
  for (let i = successes; i < diff; i++) deps.expectations.creationObserved(key);
  if (error) throw error;
}

/** Deletes `diff` pods chosen by upstream's victim ranking, expecting each deletion first. */
async function deleteExtra(deps: ReplicaSetDeps, rs: ReplicaSet, pods: Pod[], diff: number): Promise<void> {
  const key = keyOf(rs);
  const victims = podsToDelete(pods, deps.relatedPods(rs), diff, deps.now());
  deps.expectations.expectDeletions(key, victims.map(podKey));
  const results = await Promise.allSettled(victims.map(async (pod) => {
    try {
      await deletePodOf(deps, rs, pod.metadata.name ?? '');
    } catch (e) {
      // The informer will not report a deletion that did not happen.
      deps.expectations.deletionObserved(key, podKey(pod));
      if (!isNotFoundError(e)) throw e;
    }
  }));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Brings the number of active pods to spec.replicas: creates the missing ones (at most
 * burstReplicas per sync) or deletes the surplus, ranking victims as upstream does.
 */
export async function manageReplicas(deps: ReplicaSetDeps, rs: ReplicaSet, pods: Pod[]): Promise<void> {
  const diff = pods.length - (rs.spec.replicas ?? 0);
  if (diff < 0) await createMissing(deps, rs, Math.min(-diff, deps.burstReplicas));
  else if (diff > 0) await deleteExtra(deps, rs, pods, Math.min(diff, deps.burstReplicas));
}
