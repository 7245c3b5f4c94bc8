import { hasStatusCause, isAlreadyExistsError, NAMESPACE_TERMINATING_CAUSE, errorText } from '../util/errors.js';
import { computeHash } from '../util/hash.js';
import { getControllerOf, newControllerRef } from '../util/owner-refs.js';
import type { Deployment, ReplicaSet } from '../util/types.js';
import { setDeploymentRevision, setNewReplicaSetAnnotations } from './annotations.js';
import { getCondition, hasProgressDeadline, newCondition, setCondition } from './conditions.js';
import { DEPLOYMENT_KIND, MAX_REV_HISTORY_LENGTH_IN_CHARS, POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION, Reason } from './constants.js';
import type { DeploymentDeps } from './deps.js';
import { newRSNewReplicas } from './replicas.js';
import { equalIgnoreHash, findNewReplicaSet, findOldReplicaSets, maxRevision } from './replicasets.js';

/** Writes the Deployment's status and keeps the resourceVersion the server returned. */
export async function writeStatus(deps: DeploymentDeps, d: Deployment): Promise<void> {
  const updated = await deps.updateDeploymentStatus(d);
  if (updated?.metadata?.resourceVersion) d.metadata.resourceVersion = updated.metadata.resourceVersion;
}

/** The ReplicaSet a Deployment would create now: `<name>-<hash>`, hash label in labels, selector and template. */
export function buildNewReplicaSet(d: Deployment): ReplicaSet {
  const template = structuredClone(d.spec.template ?? {});
  const hash = computeHash(d.spec.template ?? {}, d.status?.collisionCount);
  const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  template.metadata = { ...(template.metadata ?? {}), labels };
  const selector = structuredClone(d.spec.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace,
      ownerReferences: [newControllerRef(d, DEPLOYMENT_KIND)], labels: { ...labels },
    },
    spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
  };
}

/** Syncs annotations and minReadySeconds of an existing new ReplicaSet, and the Deployment's revision. */
async function syncExistingNewRS(deps: DeploymentDeps, d: Deployment, existing: ReplicaSet, newRevision: string): Promise<ReplicaSet> {
  const rs = structuredClone(existing);
  const annotationsUpdated = setNewReplicaSetAnnotations(d, rs, newRevision, true, MAX_REV_HISTORY_LENGTH_IN_CHARS);
  if (annotationsUpdated || (rs.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0)) {
    rs.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
    return deps.updateReplicaSet(rs);
  }
  let needsUpdate = setDeploymentRevision(d, rs.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
  if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
    const msg = `Found new replica set "${rs.metadata.name}"`;
    setCondition((d.status ??= {}), newCondition('Progressing', 'True', Reason.FoundNewRS, msg, deps.now()));
    needsUpdate = true;
  }
  if (needsUpdate) await writeStatus(deps, d);
  return rs;
}

/** Handles an AlreadyExists on create: our own ReplicaSet (cache lag) or a hash collision. */
async function resolveExisting(deps: DeploymentDeps, d: Deployment, wanted: ReplicaSet, err: unknown): Promise<ReplicaSet> {
  const rs = deps.cachedReplicaSet(wanted.metadata.namespace ?? '', wanted.metadata.name ?? '');
  if (!rs) throw err;
  const ref = getControllerOf(rs);
  if (ref && ref.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, rs.spec.template)) return rs;
  // A different template hashed to the same name: bump collisionCount so the next sync picks a new name.
  const status = (d.status ??= {});
  status.collisionCount = (status.collisionCount ?? 0) + 1;
  try {
    await writeStatus(deps, d);
  } catch {
    // The original error is the one to report; the next sync retries.
  }
  throw err;
}

/** Reports a failed create as Progressing=False (with a deadline) and a Warning event, then rethrows. */
async function reportCreateFailure(deps: DeploymentDeps, d: Deployment, rs: ReplicaSet, err: unknown): Promise<never> {
  if (hasStatusCause(err, NAMESPACE_TERMINATING_CAUSE)) throw err;
  const msg = `Failed to create new replica set "${rs.metadata.name}": ${errorText(err)}`;
  if (hasProgressDeadline(d)) {
    setCondition((d.status ??= {}), newCondition('Progressing', 'False', Reason.FailedRSCreate, msg, deps.now()));
    try {
      await writeStatus(deps, d);
    } catch {
      // The create failure is the bigger problem to report.
    }
  }
  deps.event(d, 'Warning', Reason.FailedRSCreate, msg);
  throw err;
}

/** Creates the new ReplicaSet, or adopts the one a lagging cache hid; records revision and conditions. */
async function createNewRS(deps: DeploymentDeps, d: Deployment, oldRSs: ReplicaSet[], newRevision: string): Promise<ReplicaSet> {
  const rs = buildNewReplicaSet(d);
  const count = newRSNewReplicas(d, [...oldRSs, rs], rs);
  rs.spec.replicas = count;
  setNewReplicaSetAnnotations(d, rs, newRevision, false, MAX_REV_HISTORY_LENGTH_IN_CHARS);
  let created: ReplicaSet;
  let alreadyExists = false;
  try {
    created = await deps.createReplicaSet(rs);
  } catch (err) {
    if (!isAlreadyExistsError(err)) return reportCreateFailure(deps, d, rs, err);
    created = await resolveExisting(deps, d, rs, err);
    alreadyExists = true;
  }
  if (!alreadyExists && count > 0) {
    deps.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${count}`);
  }
  let needsUpdate = setDeploymentRevision(d, newRevision);
  if (!alreadyExists && hasProgressDeadline(d)) {
    const msg = `Created new replica set "${created.metadata.name}"`;
    setCondition((d.status ??= {}), newCondition('Progressing', 'True', Reason.NewReplicaSet, msg, deps.now()));
    needsUpdate = true;
  }
  if (needsUpdate) await writeStatus(deps, d);
  return created;
}

/**
 * The new ReplicaSet (template equal to the Deployment's) and all old ones, with revisions synced:
 * the new one gets max(old revisions)+1 and the Deployment copies it. With `createIfNotExisted`
 * a missing new ReplicaSet is created (scaled as the strategy allows). An updated new ReplicaSet
 * replaces its stale entry in `rsList`.
 */
export async function getAllReplicaSetsAndSyncRevision(
  deps: DeploymentDeps, d: Deployment, rsList: ReplicaSet[], createIfNotExisted: boolean,
): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
  const { allOld } = findOldReplicaSets(d, rsList);
  const newRevision = String(maxRevision(allOld) + 1);
  const existing = findNewReplicaSet(d, rsList);
  if (existing) {
    const synced = await syncExistingNewRS(deps, d, existing, newRevision);
    // Later steps of the same sync must see what the server now holds, not the stale cache copy.
    const i = rsList.indexOf(existing);
    if (i >= 0) rsList[i] = synced;
    return { newRS: synced, oldRSs: allOld };
  }
  if (!createIfNotExisted) return { newRS: undefined, oldRSs: allOld };
  return { newRS: await createNewRS(deps, d, allOld, newRevision), oldRSs: allOld };
}
