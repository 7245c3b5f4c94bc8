/**
 * The Job controller's pod writes: creating pods in slow-start batches, deleting pods, and
 * removing the tracking finalizer, each with upstream's events on the job.
 */
import type { KubeObject } from '../../client/object.js';
import { errorText, hasStatusCause, isNotFoundError, NAMESPACE_TERMINATING_CAUSE } from '../util/errors.js';
import { JOB_TRACKING_FINALIZER, messages } from './constants.js';
import type { JobDeps } from './deps.js';
import { isPodReady } from './pods.js';

/** The strategic-merge patch dropping the tracking finalizer. */
export const REMOVE_FINALIZER_PATCH = { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [JOB_TRACKING_FINALIZER] } };

/** Creates one pod; records SuccessfulCreate or FailedCreate on the job. */
async function createPod(deps: JobDeps, job: KubeObject, pod: KubeObject): Promise<void> {
  try {
    const created = await deps.client.pods.create(pod, { namespace: job.metadata.namespace });
    deps.recorder.event(job, 'Normal', 'SuccessfulCreate', messages.createdPod(created.metadata.name ?? ''));
  } catch (err) {
    if (hasStatusCause(err, NAMESPACE_TERMINATING_CAUSE)) return;
    deps.recorder.event(job, 'Warning', 'FailedCreate', messages.errorCreating(errorText(err)));
    throw err;
  }
}

/**
 * Creates the pods in batches of 1, 2, 4, … ; after a batch with a failure the rest is skipped.
 * `onFailed(n)` is told how many pods were not created (failed or skipped). Answers the first error.
 */
export async function createPodsSlowStart(deps: JobDeps, job: KubeObject, pods: KubeObject[], onFailed: (n: number) => void): Promise<unknown> {
  let firstError: unknown;
  let next = 0;
  for (let batch = Math.min(pods.length, 1); next < pods.length; batch = Math.min(2 * batch, pods.length - next)) {
    const results = await Promise.allSettled(pods.slice(next, next + batch).map((p) => createPod(deps, job, p)));
    next += batch;
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    if (failed.length > 0) {
      firstError ??= failed[0].reason;
      onFailed(failed.length);
      if (next < pods.length) onFailed(pods.length - next);
      break;
    }
  }
  return firstError;
}

/**
 * Deletes one pod (DELETE, keeping finalizers); records SuccessfulDelete, or FailedDelete for
 * errors other than NotFound. Rejects on any error, NotFound included.
 */
export async function deletePod(deps: JobDeps, job: KubeObject, pod: KubeObject): Promise<void> {
  try {
    await deps.client.pods.delete(pod.metadata.name!, { namespace: job.metadata.namespace });
  } catch (err) {
    if (!isNotFoundError(err)) deps.recorder.event(job, 'Warning', 'FailedDelete', messages.errorDeleting(errorText(err)));
    throw err;
  }
  deps.recorder.event(job, 'Normal', 'SuccessfulDelete', messages.deletedPod(pod.metadata.name!));
}

/** Removes the tracking finalizer; resolves false on failure (NotFound counts as removed). */
export async function removeFinalizer(deps: JobDeps, pod: KubeObject): Promise<{ ok: boolean; error?: unknown }> {
  try {
    await deps.client.pods.patch(pod.metadata.name!, REMOVE_FINALIZER_PATCH, { namespace: pod.metadata.namespace, type: 'strategic' });
    return { ok: true };
  } catch (err) {
    if (isNotFoundError(err)) return { ok: true, error: err };
    return { ok: false, error: err };
  }
}

/** The outcome of deleting several pods. */
export interface DeleteOutcome {
  deleted: number;
  deletedReady: number;
  error?: unknown;
}

/**
 * Deletes active pods of a finishing job (their finalizers stay until they are counted).
 * NotFound counts as deleted.
 */
export async function deleteActivePods(deps: JobDeps, job: KubeObject, pods: KubeObject[]): Promise<DeleteOutcome> {
  const out: DeleteOutcome = { deleted: pods.length, deletedReady: 0 };
  await Promise.all(pods.map(async (p) => {
    try {
      await deletePod(deps, job, p);
    } catch (err) {
      if (!isNotFoundError(err)) {
        out.deleted--;
        out.error ??= err;
      }
    }
    if (isPodReady(p)) out.deletedReady++;
  }));
  return out;
}

/**
 * Deletes surplus pods of a running job: the finalizer first, then the pod. Failed deletions
 * release their deletion expectation.
 */
export async function deleteJobPods(deps: JobDeps, job: KubeObject, key: string, pods: KubeObject[]): Promise<DeleteOutcome> {
  const out: DeleteOutcome = { deleted: pods.length, deletedReady: 0 };
  const fail = (pod: KubeObject, err: unknown) => {
    deps.expectations.deletionObserved(key, `${pod.metadata.namespace}/${pod.metadata.name}`);
    if (isNotFoundError(err)) return;
    out.deleted--;
    out.error ??= err;
  };
  await Promise.all(pods.map(async (p) => {
    if ((p.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER)) {
      const r = await removeFinalizer(deps, p);
      if (!r.ok || r.error) {
        fail(p, r.error);
        return;
      }
    }
    try {
      await deletePod(deps, job, p);
    } catch (err) {
      fail(p, err);
    }
    if (isPodReady(p)) out.deletedReady++;
  }));
  return out;
}
