/**
 * Counting finished pods with finalizers (upstream's `trackJobStatusAndRemoveFinalizers`):
 * a finished pod's uid first goes to `status.uncountedTerminatedPods`, then its tracking
 * finalizer is removed, then it moves into the `succeeded`/`failed` counters. The terminal
 * condition is written only when nothing is left uncounted and no pod is terminating.
 */
import type { KubeObject } from '../../client/object.js';
import { ensureCondition, newCondition, successCriteriaMet, type JobCondition } from './conditions.js';
import { MAX_UNCOUNTED_PODS, messages } from './constants.js';
import type { JobDeps } from './deps.js';
import { completionIndex, formatIntervals, hasIndex, totalIndexes, withOrderedIndexes } from './indexes.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { removeFinalizer } from './pod-control.js';
import { hasTrackingFinalizer, isPodFailed } from './pods.js';
import { isIndexed, type SyncContext } from './sync-context.js';

/** `status.uncountedTerminatedPods` with both lists present. */
export function uncountedOf(job: KubeObject): { succeeded: string[]; failed: string[] } {
  job.status ??= {};
  const u = (job.status.uncountedTerminatedPods ??= {});
  u.succeeded ??= [];
  u.failed ??= [];
  return u;
}

/**
 * Moves uncounted uids whose pods no longer carry the finalizer into the counters; answers
 * whether anything moved.
 */
export function cleanUncounted(job: KubeObject, withFinalizer: Set<string>): boolean {
  const u = uncountedOf(job);
  let changed = false;
  const keptSucceeded = u.succeeded.filter((uid) => withFinalizer.has(uid));
  if (keptSucceeded.length !== u.succeeded.length) {
    job.status.succeeded = (job.status.succeeded ?? 0) + u.succeeded.length - keptSucceeded.length;
    u.succeeded = keptSucceeded;
    changed = true;
  }
  const keptFailed = u.failed.filter((uid) => withFinalizer.has(uid));
  if (keptFailed.length !== u.failed.length) {
    job.status.failed = (job.status.failed ?? 0) + u.failed.length - keptFailed.length;
    u.failed = keptFailed;
    changed = true;
  }
  return changed;
}

/** The status as Go serializes it: zero counters, empty strings and empty lists left out. */
function normalizedStatus(status: any): any {
  const s = structuredClone(status ?? {});
  for (const f of ['active', 'succeeded', 'failed']) if (s[f] === 0) delete s[f];
  if (s.completedIndexes === '') delete s.completedIndexes;
  if (Array.isArray(s.conditions) && s.conditions.length === 0) delete s.conditions;
  const u = s.uncountedTerminatedPods;
  if (u) for (const f of ['succeeded', 'failed']) if (Array.isArray(u[f]) && u[f].length === 0) delete u[f];
  return s;
}

/** Writes the job's status; answers the stored job. */
export async function updateJobStatus(deps: JobDeps, job: KubeObject): Promise<KubeObject> {
  return deps.client.jobs.updateStatus({ ...job, status: normalizedStatus(job.status) });
}

/** Whether a pod's finalizer may go now: the job ends or is deleted, or the pod finished. */
function canRemoveFinalizer(ctx: SyncContext, pod: KubeObject, consideredFailed: boolean): boolean {
  return !!ctx.job.metadata.deletionTimestamp || ctx.finished !== undefined || pod.status?.phase === 'Succeeded' || consideredFailed;
}

/** Records finished pods as uncounted; answers the pods to strip, new indexes, and whether to flush. */
function collectFinished(ctx: SyncContext, withFinalizer: Set<string>) {
  const job = ctx.job;
  const indexed = isIndexed(job);
  const completions: number = job.spec?.completions ?? 0;
  const u = uncountedOf(job);
  const toRemove: KubeObject[] = [];
  const newIndexes: number[] = [];
  let flush = false;
  let reachedMax = false;
  const pods = indexed ? [...ctx.pods].sort((a, b) => completionIndex(a) - completionIndex(b)) : ctx.pods;
  for (const pod of pods) {
    const uid = pod.metadata.uid ?? '';
    if (!withFinalizer.has(uid)) continue;
    const failed = isPodFailed(pod, job);
    if (!canRemoveFinalizer(ctx, pod, failed)) continue;
    toRemove.push(pod);
    const ix = completionIndex(pod);
    const validIndex = ix >= 0 && ix < completions;
    if (pod.status?.phase === 'Succeeded' && !ctx.uncounted.failed.has(uid)) {
      if (indexed && validIndex && !hasIndex(ctx.prevSucceededIndexes, ix)) {
        newIndexes.push(ix);
        flush = true;
      } else if (!indexed && !ctx.uncounted.succeeded.has(uid)) {
        u.succeeded.push(uid);
        flush = true;
      }
    } else if (failed || (ctx.finished !== undefined && ctx.finished.type !== 'SuccessCriteriaMet')) {
      const counts = !ctx.uncounted.failed.has(uid) && (!indexed || validIndex);
      if (counts && matchPodFailurePolicy(job.spec?.podFailurePolicy, pod).countFailed) {
        u.failed.push(uid);
        flush = true;
      }
    }
    if (newIndexes.length + u.succeeded.length + u.failed.length >= MAX_UNCOUNTED_PODS) {
      reachedMax = true;
      break;
    }
  }
  return { toRemove, newIndexes, flush, reachedMax };
}

/** Turns an interim condition into the final one, writing the interim one to the status. */
function stageFinishedCondition(deps: JobDeps, ctx: SyncContext): boolean {
  const f = ctx.finished;
  if (!f) return false;
  const job = ctx.job;
  let flush = false;
  if (f.type === 'FailureTarget') {
    job.status.conditions = [...(job.status.conditions ?? []), f];
    ctx.finished = newCondition('Failed', 'True', f.reason ?? '', f.message ?? '', deps.clock());
    flush = true;
  } else if (f.type === 'SuccessCriteriaMet') {
    if (!successCriteriaMet(job)) {
      job.status.conditions = [...(job.status.conditions ?? []), f];
      flush = true;
    }
    ctx.finished = newCondition('Complete', 'True', f.reason ?? '', f.message ?? '', deps.clock());
  }
  return flush;
}

/**
 * Flushes the uncounted uids, removes the finalizers, and counts the pods whose finalizer went.
 * Throws the first removal failure (after recording partial progress). Answers whether the
 * status still has changes to write.
 */
async function flushAndRemoveFinalizers(deps: JobDeps, ctx: SyncContext, toRemove: KubeObject[], withFinalizer: Set<string>, flush: boolean): Promise<boolean> {
  if (flush) {
    ctx.job = await updateJobStatus(deps, ctx.job);
    deps.backoff.update(ctx.newBackoff);
    flush = false;
  }
  let rmError: unknown;
  if (toRemove.length > 0) {
    deps.finalizerExpectations.expectRemoved(ctx.key, toRemove.map((p) => p.metadata.uid ?? ''));
    const results = await Promise.all(toRemove.map((p) => removeFinalizer(deps, p)));
    results.forEach((r, i) => {
      const uid = toRemove[i].metadata.uid ?? '';
      if (r.error !== undefined) deps.finalizerExpectations.observed(ctx.key, uid);
      if (r.ok) withFinalizer.delete(uid);
      else rmError ??= r.error;
    });
  }
  if (cleanUncounted(ctx.job, withFinalizer)) flush = true;
  if (rmError !== undefined) {
    if (flush) await updateJobStatus(deps, ctx.job);
    throw rmError;
  }
  return flush;
}

/** Adds the final condition once nothing is uncounted or terminating; answers whether it did. */
function enactJobFinished(deps: JobDeps, ctx: SyncContext): boolean {
  const f = ctx.finished;
  if (!f) return false;
  const u = uncountedOf(ctx.job);
  if (u.succeeded.length + u.failed.length > 0 || ctx.terminating > 0) return false;
  ensureCondition(ctx.job, f.type, f.status, f.reason ?? '', f.message ?? '', deps.clock());
  if (f.type === 'Complete') ctx.job.status.completionTime = f.lastTransitionTime;
  return true;
}

/** The events of a finished job. */
function recordJobFinished(deps: JobDeps, job: KubeObject, f: JobCondition): void {
  if (f.type === 'Complete') {
    const completions = job.spec?.completions;
    if (typeof completions === 'number' && (job.status?.succeeded ?? 0) > completions) {
      deps.recorder.event(job, 'Warning', 'TooManySucceededPods', messages.tooManySucceeded);
    }
    deps.recorder.event(job, 'Normal', 'Completed', messages.jobCompleted);
  } else {
    deps.recorder.event(job, 'Warning', f.reason ?? '', f.message ?? '');
  }
}

/**
 * Counts finished pods, strips their finalizers, stages and enacts the finished condition, and
 * writes the status when anything changed (`needsFlush` forces a write).
 */
export async function trackJobStatus(deps: JobDeps, ctx: SyncContext, needsFlush: boolean): Promise<void> {
  const withFinalizer = new Set(ctx.pods.filter((p) => hasTrackingFinalizer(p) && !ctx.expectedRmFinalizers.has(p.metadata.uid ?? ''))
    .map((p) => p.metadata.uid ?? ''));
  if (cleanUncounted(ctx.job, withFinalizer)) needsFlush = true;
  const found = collectFinished(ctx, withFinalizer);
  if (found.flush) needsFlush = true;
  if (isIndexed(ctx.job)) {
    ctx.succeededIndexes = withOrderedIndexes(ctx.succeededIndexes, found.newIndexes);
    const text = formatIntervals(ctx.succeededIndexes);
    if (text !== (ctx.job.status.completedIndexes ?? '')) needsFlush = true;
    ctx.job.status.succeeded = totalIndexes(ctx.succeededIndexes);
    ctx.job.status.completedIndexes = text;
  }
  if (stageFinishedCondition(deps, ctx)) needsFlush = true;
  needsFlush = await flushAndRemoveFinalizers(deps, ctx, found.toRemove, withFinalizer, needsFlush);
  const finished = !found.reachedMax && enactJobFinished(deps, ctx);
  if (finished) needsFlush = true;
  if (!needsFlush) return;
  ctx.job = await updateJobStatus(deps, ctx.job);
  if (finished) recordJobFinished(deps, ctx.job, ctx.finished!);
}
