/** Job conditions: building them, finding them, and the finished/suspended checks built on them. */
import type { KubeObject } from '../../client/object.js';
import { formatTime } from '../util/time.js';

/** A batch/v1 JobCondition. */
export interface JobCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastProbeTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** A condition probed and transitioned at `now`; empty reason and message are left out as Go omits them. */
export function newCondition(type: string, status: JobCondition['status'], reason: string, message: string, now: number): JobCondition {
  const c: JobCondition = { type, status, lastProbeTime: formatTime(now), lastTransitionTime: formatTime(now) };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/** The job's conditions (never undefined). */
export const conditionsOf = (job: KubeObject): JobCondition[] => (Array.isArray(job.status?.conditions) ? job.status.conditions : []);

/** The first condition of `type`. */
export const findCondition = (job: KubeObject, type: string): JobCondition | undefined => conditionsOf(job).find((c) => c.type === type);

/** Whether the job has a true Complete or Failed condition. */
export const isJobFinished = (job: KubeObject): boolean =>
  conditionsOf(job).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');

/** The job's true SuccessCriteriaMet condition, if any. */
export function successCriteriaMet(job: KubeObject): JobCondition | undefined {
  const c = findCondition(job, 'SuccessCriteriaMet');
  return c?.status === 'True' ? c : undefined;
}

/** Whether the job is suspended by its spec. */
export const isSuspended = (job: KubeObject): boolean => job.spec?.suspend === true;

/**
 * Sets a condition of `type` to `status`, replacing one that differs in status, reason or
 * message; a False condition is not added where there was none. Answers whether anything changed.
 */
export function ensureCondition(job: KubeObject, type: string, status: JobCondition['status'], reason: string, message: string, now: number): boolean {
  const list = conditionsOf(job);
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i];
    if (c.status === status && (c.reason ?? '') === reason && (c.message ?? '') === message) return false;
    list[i] = newCondition(type, status, reason, message, now);
    return true;
  }
  if (status === 'False') return false;
  job.status ??= {};
  job.status.conditions = [...list, newCondition(type, status, reason, message, now)];
  return true;
}
