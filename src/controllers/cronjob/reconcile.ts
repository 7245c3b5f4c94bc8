/**
 * One reconciliation of a CronJob against the Jobs it controls (upstream's `syncCronJob` and
 * `cleanupFinishedJobs`): prune history, keep `status.active` true to the jobs that exist, and
 * start the job of the latest due activation as the concurrency policy allows.
 */
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/object.js';
import { msg, type Recorder } from './events.js';
import {
  compareByStartTime, controllerRef, deleteFromActiveList, finishedConditionType, inActiveList, inActiveListByName,
  isJobSucceeded, jobFromTemplate, jobName, jobReference,
} from './jobs.js';
import { formatSchedule, loadLocationError, parseStandard, type CronSchedule } from './schedule.js';
import { nextScheduleDelay, nextScheduleTime } from './schedule-times.js';
import { formatApiTime, formatRfc1123Z } from './time-format.js';

/** What a reconciliation needs. */
export interface ReconcileDeps {
  client: KubeClient;
  recorder: Recorder;
  now: () => number;
}

/** The outcome of {@link reconcileCronJob}. */
export interface ReconcileResult {
  /** Sync again after this many ms (the next activation). */
  requeueAfterMs?: number;
  /** The working copy's status changed and must be written. */
  updateStatus: boolean;
  /** A failure to report (retried with backoff when no requeue is set). */
  error?: unknown;
}

const errText = (err: unknown) => (err as Error)?.message ?? String(err);

/** Deletes a job in the background and drops it from `status.active`; false when the delete failed. */
async function deleteJob(deps: ReconcileDeps, cj: KubeObject, job: KubeObject): Promise<boolean> {
  try {
    await deps.client.jobs.delete(job.metadata.name!, { namespace: job.metadata.namespace, propagationPolicy: 'Background' });
  } catch (err) {
    deps.recorder.event(cj, 'Warning', 'FailedDelete', msg.failedDelete(errText(err)));
    return false;
  }
  deleteFromActiveList(cj, job.metadata.uid);
  deps.recorder.event(cj, 'Normal', 'SuccessfulDelete', msg.successfulDelete(job.metadata.name!));
  return true;
}

async function removeOldestJobs(deps: ReconcileDeps, cj: KubeObject, jobs: KubeObject[], max: number): Promise<boolean> {
  const toDelete = jobs.length - max;
  if (toDelete <= 0) return false;
  const sorted = [...jobs].sort(compareByStartTime);
  let changed = false;
  for (let i = 0; i < toDelete; i++) if (await deleteJob(deps, cj, sorted[i])) changed = true;
  return changed;
}

/** Deletes the oldest finished jobs beyond the history limits; true when the status changed. */
export async function cleanupFinishedJobs(deps: ReconcileDeps, cj: KubeObject, jobs: KubeObject[]): Promise<boolean> {
  const successLimit = cj.spec?.successfulJobsHistoryLimit;
  const failedLimit = cj.spec?.failedJobsHistoryLimit;
  if (typeof successLimit !== 'number' && typeof failedLimit !== 'number') return false;
  const succeeded = jobs.filter((j) => finishedConditionType(j) === 'Complete');
  const failed = jobs.filter((j) => finishedConditionType(j) === 'Failed');
  let changed = false;
  if (typeof successLimit === 'number' && await removeOldestJobs(deps, cj, succeeded, successLimit)) changed = true;
  if (typeof failedLimit === 'number' && await removeOldestJobs(deps, cj, failed, failedLimit)) changed = true;
  return changed;
}

/**
 * Reconciles `status.active` and `status.lastSuccessfulTime` with the jobs seen: finished jobs
 * leave the active list (SawCompletedJob), unfinished ones missing from it are reported
 * (UnexpectedJob), references to jobs that no longer exist are dropped (MissingJob).
 */
async function reconcileActive(deps: ReconcileDeps, cj: KubeObject, jobs: KubeObject[]): Promise<boolean> {
  let changed = false;
  const children = new Set<string | undefined>();
  for (const j of jobs) {
    children.add(j.metadata.uid);
    const found = inActiveList(cj, j.metadata.uid);
    const finished = finishedConditionType(j);
    if (!found && finished === undefined) {
      const fresh = await deps.client.cronJobs.get(cj.metadata.name!, cj.metadata.namespace);
      if (inActiveList(fresh, j.metadata.uid)) continue;
      deps.recorder.event(cj, 'Warning', 'UnexpectedJob', msg.unexpectedJob(j.metadata.name!));
    } else if (finished !== undefined) {
      if (found) {
        deleteFromActiveList(cj, j.metadata.uid);
        deps.recorder.event(cj, 'Normal', 'SawCompletedJob', msg.sawCompletedJob(j.metadata.name!, finished));
        changed = true;
      }
      if (isJobSucceeded(j) && j.status?.completionTime) {
        const last = cj.status?.lastSuccessfulTime;
        if (!last || Date.parse(j.status.completionTime) > Date.parse(last)) {
          cj.status = { ...(cj.status ?? {}), lastSuccessfulTime: j.status.completionTime };
          changed = true;
        }
      }
    }
  }
  for (const ref of [...(cj.status?.active ?? [])]) {
    if (children.has(ref.uid)) continue;
    try {
      await deps.client.jobs.get(ref.name, ref.namespace);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      deps.recorder.event(cj, 'Normal', 'MissingJob', msg.missingJob(ref.name));
      deleteFromActiveList(cj, ref.uid);
      changed = true;
    }
  }
  return changed;
}

/** Parses the schedule, reporting an unknown zone or an unparseable schedule as events. */
function scheduleOf(deps: ReconcileDeps, cj: KubeObject): CronSchedule | undefined {
  const tz = cj.spec?.timeZone;
  if (tz !== undefined && tz !== null) {
    const err = loadLocationError(tz);
    if (err !== undefined) {
      deps.recorder.event(cj, 'Warning', 'UnknownTimeZone', msg.unknownTimeZone(tz, err));
      return undefined;
    }
  }
  if (cj.spec?.suspend === true) return undefined;
  const formatted = formatSchedule(cj.spec ?? {});
  if (formatted.usesTzPrefix) deps.recorder.event(cj, 'Warning', 'UnsupportedSchedule', msg.unsupportedSchedule(cj.spec.schedule));
  try {
    return parseStandard(formatted.schedule);
  } catch (err) {
    deps.recorder.event(cj, 'Warning', 'UnparseableSchedule', msg.unparseableSchedule(cj.spec?.schedule ?? '', errText(err)));
    return undefined;
  }
}

/**
 * Reconciles the working copy `cj` (mutated in place) with its `jobs` and starts the due job.
 * Never throws for API failures of the job start; they come back as `error`.
 */
export async function reconcileCronJob(deps: ReconcileDeps, cj: KubeObject, jobs: KubeObject[]): Promise<ReconcileResult> {
  const now = deps.now();
  let updateStatus = false;
  try {
    updateStatus = await reconcileActive(deps, cj, jobs);
  } catch (err) {
    return { updateStatus, error: err };
  }
  if (cj.metadata.deletionTimestamp) return { updateStatus };
  const schedule = scheduleOf(deps, cj);
  if (!schedule) return { updateStatus };
  const state = () => ({
    creationTimestamp: cj.metadata.creationTimestamp, lastScheduleTime: cj.status?.lastScheduleTime,
    startingDeadlineSeconds: cj.spec?.startingDeadlineSeconds,
  });
  const due = nextScheduleTime(state(), now, schedule);
  if (due.time !== undefined && due.missed === 'many') deps.recorder.event(cj, 'Warning', 'TooManyMissedTimes', msg.tooManyMissed);
  if (due.error !== undefined) {
    deps.recorder.event(cj, 'Warning', 'InvalidSchedule', msg.invalidSchedule(cj.spec.schedule, due.error));
    return { updateStatus };
  }
  const requeue = () => Math.max(0, nextScheduleDelay(state(), now, schedule));
  if (due.time === undefined) return { requeueAfterMs: requeue(), updateStatus };
  const scheduled = due.time;
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (typeof deadline === 'number' && scheduled + deadline * 1000 < now) {
    deps.recorder.event(cj, 'Warning', 'MissSchedule', msg.missSchedule(formatRfc1123Z(scheduled)));
    return { requeueAfterMs: requeue(), updateStatus };
  }
  const last = cj.status?.lastScheduleTime ? Date.parse(cj.status.lastScheduleTime) : undefined;
  if (inActiveListByName(cj, cj.metadata.namespace, jobName(cj.metadata.name!, scheduled)) || last === Math.floor(scheduled / 1000) * 1000) {
    return { requeueAfterMs: requeue(), updateStatus };
  }
  if (cj.spec?.concurrencyPolicy === 'Forbid' && (cj.status?.active ?? []).length > 0) {
    deps.recorder.event(cj, 'Normal', 'JobAlreadyActive', msg.jobAlreadyActive);
    return { requeueAfterMs: requeue(), updateStatus };
  }
  if (cj.spec?.concurrencyPolicy === 'Replace') {
    const replaced = await replaceActiveJobs(deps, cj);
    if (replaced.error !== undefined) return { updateStatus: updateStatus || replaced.changed, error: replaced.error };
    updateStatus ||= replaced.changed;
  }
  const started = await startJob(deps, cj, scheduled);
  if (started.error !== undefined || !started.recorded) return { updateStatus, error: started.error };
  return { requeueAfterMs: requeue(), updateStatus: true };
}

/** Deletes every active job (concurrency policy Replace). */
async function replaceActiveJobs(deps: ReconcileDeps, cj: KubeObject): Promise<{ changed: boolean; error?: unknown }> {
  let changed = false;
  for (const ref of [...(cj.status?.active ?? [])]) {
    let job: KubeObject;
    try {
      job = await deps.client.jobs.get(ref.name, ref.namespace);
    } catch (err) {
      deps.recorder.event(cj, 'Warning', 'FailedGet', msg.failedGet(errText(err)));
      return { changed, error: err };
    }
    if (!await deleteJob(deps, cj, job)) return { changed, error: new Error(`could not replace job ${job.metadata.namespace}/${job.metadata.name}`) };
    changed = true;
  }
  return { changed };
}

/**
 * Creates the job of the activation at `scheduled` and records it in `status.active` and
 * `status.lastScheduleTime`. A job of that name that already exists and is ours but missing
 * from the active list is recorded too; one that is not ours is left alone.
 */
async function startJob(deps: ReconcileDeps, cj: KubeObject, scheduled: number): Promise<{ recorded: boolean; error?: unknown }> {
  const request = jobFromTemplate(cj, scheduled);
  let created: KubeObject;
  try {
    created = await deps.client.jobs.create(request, { namespace: cj.metadata.namespace });
    deps.recorder.event(cj, 'Normal', 'SuccessfulCreate', msg.successfulCreate(created.metadata.name!));
  } catch (err) {
    if (isNamespaceTerminating(err)) return { recorded: false, error: err };
    if (!isAlreadyExists(err)) {
      deps.recorder.event(cj, 'Warning', 'FailedCreate', msg.failedCreate(errText(err)));
      return { recorded: false, error: err };
    }
    try {
      created = await deps.client.jobs.get(request.metadata.name!, cj.metadata.namespace);
    } catch (getErr) {
      return { recorded: false, error: getErr };
    }
    const ref = controllerRef(created);
    if (!ref || ref.uid !== cj.metadata.uid) return { recorded: false };
    if (inActiveList(cj, created.metadata.uid)) return { recorded: false };
  }
  cj.status ??= {};
  cj.status.active = [...(cj.status.active ?? []), jobReference(created)];
  cj.status.lastScheduleTime = formatApiTime(scheduled);
  return { recorded: true };
}

function isNamespaceTerminating(err: unknown): boolean {
  const causes: any[] = (err as any)?.status?.details?.causes ?? [];
  return causes.some((c) => c?.type === 'NamespaceTerminating');
}
