import { errorText, hasStatusCause, isNotFoundError, NAMESPACE_TERMINATING_CAUSE } from '../util/errors.js';
import { newControllerRef } from '../util/owner-refs.js';
import { podFromTemplate } from '../util/pod-template.js';
import type { ReplicaSet } from '../util/types.js';
import type { ReplicaSetDeps } from './deps.js';

/** The controller kind written into pod owner references. */
export const REPLICASET_KIND = { apiVersion: 'apps/v1', kind: 'ReplicaSet' } as const;

/**
 * Creates one pod from the ReplicaSet's template (generateName `<rs>-`, controller reference set),
 * recording `SuccessfulCreate` "Created pod: <name>" or `FailedCreate` "Error creating: <err>"
 * (no event when the namespace is terminating).
 */
export async function createPodFor(deps: ReplicaSetDeps, rs: ReplicaSet): Promise<void> {
  const template = rs.spec.template ?? {};
  const pod = podFromTemplate(template, rs.metadata.name ?? '', rs.metadata.namespace ?? '', newControllerRef(rs, REPLICASET_KIND));
  if (!pod.metadata.labels || Object.keys(pod.metadata.labels).length === 0) throw new Error('unable to create pods, no labels');
  let created;
  try {
    created = await deps.createPod(pod);
  } catch (e) {
    if (!hasStatusCause(e, NAMESPACE_TERMINATING_CAUSE)) deps.event(rs, 'Warning', 'FailedCreate', `Error creating: ${errorText(e)}`);
    throw e;
  }
  deps.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
}

/**
 * Deletes one pod of the ReplicaSet, recording `SuccessfulDelete` "Deleted pod: <name>", or
 * `FailedDelete` "Error deleting: <err>" and rejecting with "unable to delete pods: <err>".
 * A pod already gone rejects with the NotFound error itself and no event.
 */
export async function deletePodOf(deps: ReplicaSetDeps, rs: ReplicaSet, name: string): Promise<void> {
  try {
    await deps.deletePod(rs.metadata.namespace ?? '', name);
  } catch (e) {
    if (isNotFoundError(e)) throw e;
    deps.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${errorText(e)}`);
    throw new Error(`unable to delete pods: ${errorText(e)}`);
  }
  deps.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
}
