import type { Deployment, ReplicaSet } from '../util/types.js';
import { setDeploymentAnnotationsTo } from './annotations.js';
import { POD_TEMPLATE_HASH_LABEL, ROLLBACK_TO_ANNOTATION, Reason } from './constants.js';
import type { DeploymentDeps } from './deps.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replicaset.js';
import { equalIgnoreHash, lastRevision, revisionOf } from './replicasets.js';

/**
 * The revision a Deployment asks to roll back to through the `deprecated.deployment.rollback.to`
 * annotation (0: the previous one); undefined when there is no (valid) request.
 */
export function getRollbackTo(d: Deployment): number | undefined {
  const v = d.metadata.annotations?.[ROLLBACK_TO_ANNOTATION];
  if (!v || !/^[+-]?\d+$/.test(v)) return undefined;
  return Number(v);
}

/** Drops the rollback request and writes the Deployment (spec and metadata). */
async function clearRollbackTo(deps: DeploymentDeps, d: Deployment): Promise<void> {
  if (d.metadata.annotations) delete d.metadata.annotations[ROLLBACK_TO_ANNOTATION];
  await deps.updateDeployment(d);
}

/** Copies a ReplicaSet's template (without the hash label) and annotations into the Deployment. */
async function rollbackToTemplate(deps: DeploymentDeps, d: Deployment, rs: ReplicaSet): Promise<boolean> {
  let performed = false;
  if (!equalIgnoreHash(d.spec.template, rs.spec.template)) {
    const template = structuredClone(rs.spec.template ?? {});
    if (template.metadata?.labels) delete template.metadata.labels[POD_TEMPLATE_HASH_LABEL];
    d.spec.template = template;
    setDeploymentAnnotationsTo(d, rs);
    performed = true;
  } else {
    deps.event(d, 'Warning', Reason.RollbackTemplateUnchanged, `The rollback revision contains the same template as current deployment "${d.metadata.name}"`);
  }
  await clearRollbackTo(deps, d);
  return performed;
}

/**
 * Serves a rollback request: finds the ReplicaSet of the requested revision (the previous one for
 * 0) and copies its template back into the Deployment, emitting upstream's rollback events.
 */
export async function rollback(deps: DeploymentDeps, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(deps, d, rsList, true);
  const allRSs = newRS ? [...oldRSs, newRS] : oldRSs;
  let target = getRollbackTo(d)!;
  if (target === 0) {
    target = lastRevision(allRSs);
    if (target === 0) {
      deps.event(d, 'Warning', Reason.RollbackRevisionNotFound, 'Unable to find last revision.');
      return clearRollbackTo(deps, d);
    }
  }
  const rs = allRSs.find((r) => revisionOf(r) === target);
  if (rs) {
    if (await rollbackToTemplate(deps, d, rs)) {
      deps.event(d, 'Normal', Reason.RollbackDone, `Rolled back deployment "${d.metadata.name}" to revision ${target}`);
    }
    return;
  }
  deps.event(d, 'Warning', Reason.RollbackRevisionNotFound, 'Unable to find the revision to rollback to.');
  return clearRollbackTo(deps, d);
}
