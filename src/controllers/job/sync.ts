/**
 * One sync of one Job (upstream's `syncJob`): count its pods, decide whether it has failed or
 * succeeded, create or delete pods, and track the status with pod finalizers.
 */
import type { KubeObject } from '../../client/object.js';
import { formatTime, parseTime } from '../util/time.js';
import { ensureCondition, findCondition, isJobFinished, isSuspended, newCondition, successCriteriaMet, type JobCondition } from './conditions.js';
import { JOB_CONTROLLER_NAME, messages, reasons } from './constants.js';
import type { JobDeps } from './deps.js';
import { completionIndex, parseIntervals, totalIndexes, withOrderedIndexes } from './indexes.js';
import { manageJob } from './manage.js';
import { deleteActivePods } from './pod-control.js';
import { hasTrackingFinalizer, isPodActive, isPodFailed, isPodReady, isPodTerminating, restartCount } from './pods.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { matchSuccessPolicy } from './success-policy.js';
import { isIndexed, type SyncContext } from './sync-context.js';
import { trackJobStatus } from './tracking.js';

/** The controller named in `spec.managedBy` when it is not this one. */
export function managedByOther(job: KubeObject): string | undefined {
  const by = job.spec?.managedBy;
  return typeof by === 'string' && by !== JOB_CONTROLLER_NAME ? by : undefined;
}

/** Finished pods not counted yet (they still carry the finalizer), split by outcome. */
function newFinishedPods(ctx: SyncContext): { succeeded: KubeObject[]; failed: KubeObject[] } {
  const completions: number = ctx.job.spec?.completions ?? 0;
  const valid = (p: KubeObject, uncounted: Set<string>) => {
    const uid = p.metadata.uid ?? '';
    if (!hasTrackingFinalizer(p) || uncounted.has(uid) || ctx.expectedRmFinalizers.has(uid)) return false;
    if (!isIndexed(ctx.job)) return true;
    const ix = completionIndex(p);
    return ix >= 0 && ix < completions;
  };
  return {
    succeeded: ctx.pods.filter((p) => valid(p, ctx.uncounted.succeeded) && p.status?.phase === 'Succeeded'),
    failed: ctx.pods.filter((p) => valid(p, ctx.uncounted.failed) && isPodFailed(p, ctx.job)),
  };
}

/** The working state of a sync, with the counters including pods finished since the last one. */
function buildContext(deps: JobDeps, key: string, job: KubeObject, pods: KubeObject[]): SyncContext {
  const activePods = pods.filter(isPodActive);
  const u = job.status.uncountedTerminatedPods;
  const ctx: SyncContext = {
    key, job, pods, activePods,
    succeeded: 0, failed: 0, prevSucceededIndexes: [], succeededIndexes: [],
    newBackoff: { key, failuresAfterLastSuccess: 0 },
    expectedRmFinalizers: deps.finalizerExpectations.expected(key),
    uncounted: { succeeded: new Set(u.succeeded ?? []), failed: new Set(u.failed ?? []) },
    terminating: pods.filter(isPodTerminating).length,
    ready: activePods.filter(isPodReady).length,
  };
  const fresh = newFinishedPods(ctx);
  ctx.succeeded = (job.status.succeeded ?? 0) + fresh.succeeded.length + ctx.uncounted.succeeded.size;
  const counted = fresh.failed.filter((p) => matchPodFailurePolicy(job.spec?.podFailurePolicy, p).countFailed);
  ctx.failed = (job.status.failed ?? 0) + counted.length + ctx.uncounted.failed.size;
  ctx.newBackoff = deps.backoff.next(key, fresh.succeeded, fresh.failed);
  return ctx;
}

/** For restartPolicy OnFailure: the container restarts of running pods reached the backoff limit. */
function pastBackoffLimitOnFailure(job: KubeObject, pods: KubeObject[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  const restarts = restartCount(pods);
  const limit: number = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** Decides a failure: an earlier FailureTarget, a FailJob rule, the backoff limit, or the active deadline. */
function failureCondition(deps: JobDeps, ctx: SyncContext, now: number): JobCondition | undefined {
  const job = ctx.job;
  const target = findCondition(job, 'FailureTarget');
  if (target?.status === 'True') return newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
  if (job.spec?.podFailurePolicy) {
    for (const p of ctx.pods) {
      const msg = isPodFailed(p, job) ? matchPodFailurePolicy(job.spec.podFailurePolicy, p).failJobMessage : undefined;
      if (msg !== undefined) return newCondition('FailureTarget', 'True', reasons.podFailurePolicy, msg, now);
    }
  }
  if (ctx.failed > (job.spec?.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, ctx.pods)) {
    return newCondition('FailureTarget', 'True', reasons.backoffLimitExceeded, messages.backoffLimitExceeded, now);
  }
  const deadline = job.spec?.activeDeadlineSeconds;
  const start = parseTime(job.status.startTime);
  if (typeof deadline === 'number' && start !== undefined && !isSuspended(job)) {
    if (now - start >= deadline * 1000) return newCondition('FailureTarget', 'True', reasons.deadlineExceeded, messages.deadlineExceeded, now);
    deps.enqueueAfter(ctx.key, deadline * 1000 - (now - start));
  }
  return undefined;
}

/** Succeeded indexes of an Indexed job: those in the status plus newly succeeded pods. */
function succeededIndexes(ctx: SyncContext): void {
  const completions: number = ctx.job.spec?.completions ?? 0;
  ctx.prevSucceededIndexes = parseIntervals(ctx.job.status.completedIndexes, completions);
  const fresh = new Set<number>();
  for (const p of ctx.pods) {
    const ix = completionIndex(p);
    if (p.status?.phase === 'Succeeded' && ix >= 0 && ix < completions && hasTrackingFinalizer(p)) fresh.add(ix);
  }
  ctx.succeededIndexes = withOrderedIndexes(ctx.prevSucceededIndexes, [...fresh].sort((a, b) => a - b));
  ctx.succeeded = totalIndexes(ctx.succeededIndexes);
}

/** Sets the Suspended condition after a manage pass; answers whether it changed. */
function updateSuspendCondition(deps: JobDeps, job: KubeObject, now: number): boolean {
  if (isSuspended(job)) {
    const changed = ensureCondition(job, 'Suspended', 'True', 'JobSuspended', messages.suspended, now);
    if (changed) deps.recorder.event(job, 'Normal', 'Suspended', messages.suspended);
    return changed;
  }
  const changed = ensureCondition(job, 'Suspended', 'False', 'JobResumed', messages.resumed, now);
  if (changed) {
    deps.recorder.event(job, 'Normal', 'Resumed', messages.resumed);
    job.status.startTime = formatTime(now);
  }
  return changed;
}

/** Whether every wanted completion happened and no pod runs. */
function isComplete(job: KubeObject, succeeded: number, active: number): boolean {
  const completions = job.spec?.completions;
  if (typeof completions !== 'number') return succeeded > 0 && active === 0;
  return succeeded >= completions && active === 0;
}

/** Runs or winds down pods; answers the active count, whether the suspend condition changed, and an error. */
async function drivePods(deps: JobDeps, ctx: SyncContext, satisfied: boolean, now: number): Promise<{ active: number; suspendChanged: boolean; error?: unknown }> {
  let active = ctx.activePods.length;
  if (ctx.finished) {
    const r = await deleteActivePods(deps, ctx.job, ctx.activePods);
    if (r.deleted !== active || !satisfied) ctx.finished = undefined;
    ctx.terminating += r.deleted;
    ctx.ready -= r.deletedReady;
    return { active: active - r.deleted, suspendChanged: false, error: r.error };
  }
  let error: unknown;
  let managed = false;
  if (satisfied && !ctx.job.metadata.deletionTimestamp) {
    ({ active, error } = await manageJob(deps, ctx));
    managed = true;
  }
  if (isComplete(ctx.job, ctx.succeeded, active)) {
    ctx.finished = newCondition('SuccessCriteriaMet', 'True', reasons.completionsReached, messages.completionsReached, now);
    return { active, suspendChanged: false, error };
  }
  return { active, suspendChanged: managed && updateSuspendCondition(deps, ctx.job, now), error };
}

/**
 * Syncs one job whose shared (cached) object is `shared`; `claimPods` answers the pods it owns
 * after adoption. Throws to be retried.
 */
export async function syncJob(deps: JobDeps, key: string, shared: KubeObject, claimPods: (job: KubeObject) => Promise<KubeObject[]>): Promise<void> {
  if (managedByOther(shared) !== undefined) return;
  const job: KubeObject = structuredClone(shared);
  if (isJobFinished(job)) {
    deps.backoff.remove(key);
    return;
  }
  const mode = job.spec?.completionMode;
  if (mode != null && mode !== 'NonIndexed' && mode !== 'Indexed') {
    deps.recorder.event(job, 'Warning', 'UnknownCompletionMode', messages.unknownCompletionMode);
    return;
  }
  job.status ??= {};
  job.status.uncountedTerminatedPods ??= {};
  const satisfied = deps.expectations.satisfied(key);
  const ctx = buildContext(deps, key, job, await claimPods(job));
  const now = deps.clock();
  if (!job.status.startTime && !isSuspended(job)) job.status.startTime = formatTime(now);
  ctx.finished = successCriteriaMet(job) ?? failureCondition(deps, ctx, now);
  if (isIndexed(job)) {
    succeededIndexes(ctx);
    const matched = ctx.finished ? undefined : matchSuccessPolicy(job.spec?.successPolicy, job.spec?.completions ?? 0, ctx.succeededIndexes);
    if (matched !== undefined) ctx.finished = newCondition('SuccessCriteriaMet', 'True', reasons.successPolicy, matched, now);
  }
  const r = await drivePods(deps, ctx, satisfied, now);
  const st = ctx.job.status;
  const needsUpdate = r.suspendChanged || r.active !== (st.active ?? 0) || ctx.ready !== st.ready || ctx.terminating !== st.terminating;
  st.active = r.active;
  st.ready = ctx.ready;
  st.terminating = ctx.terminating;
  await trackJobStatus(deps, ctx, needsUpdate);
  if (r.error !== undefined) throw r.error;
}
