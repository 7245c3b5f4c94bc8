/**
 * The Jobs of a CronJob: their names, how they are made from the job template, their finished
 * state, and the CronJob's `status.active` references to them.
 */
import type { KubeObject } from '../../client/object.js';
import { formatRfc3339InZone } from './time-format.js';

/** Annotation holding a job's scheduled time, RFC 3339 in the CronJob's time zone. */
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** A `corev1.ObjectReference` as `status.active` holds it. */
export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
}

/** The type of a true Complete or Failed condition, or undefined while the job runs. */
export function finishedConditionType(job: KubeObject): 'Complete' | 'Failed' | undefined {
  const conditions: any[] = Array.isArray(job.status?.conditions) ? job.status.conditions : [];
  for (const c of conditions) {
    if ((c?.type === 'Complete' || c?.type === 'Failed') && c.status === 'True') return c.type;
  }
  return undefined;
}

/** Whether a job has a true Complete or Failed condition. */
export const isJobFinished = (job: KubeObject): boolean => finishedConditionType(job) !== undefined;

/** Whether a job has a true Complete condition. */
export function isJobSucceeded(job: KubeObject): boolean {
  const conditions: any[] = Array.isArray(job.status?.conditions) ? job.status.conditions : [];
  return conditions.some((c) => c?.type === 'Complete' && c.status === 'True');
}

const activeList = (cj: KubeObject): ObjectReference[] => (Array.isArray(cj.status?.active) ? cj.status.active : []);

/** Whether `status.active` references a job with this uid. */
export const inActiveList = (cj: KubeObject, uid: string | undefined): boolean => activeList(cj).some((r) => r.uid === uid);

/** Whether `status.active` references a job with this namespace and name. */
export const inActiveListByName = (cj: KubeObject, namespace: string | undefined, name: string): boolean =>
  activeList(cj).some((r) => r.name === name && r.namespace === namespace);

/** Drops the reference with this uid from `status.active` (leaving an empty list, as upstream). */
export function deleteFromActiveList(cj: KubeObject, uid: string | undefined): void {
  cj.status ??= {};
  cj.status.active = activeList(cj).filter((r) => r.uid !== uid);
}

/** The reference to a job that `status.active` stores. */
export function jobReference(job: KubeObject): ObjectReference {
  return {
    kind: 'Job', namespace: job.metadata.namespace, name: job.metadata.name, uid: job.metadata.uid,
    apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion,
  };
}

/** `<cronjob>-<scheduled time in minutes since the epoch>`: one name per activation. */
export function jobName(cronJobName: string, scheduledMs: number): string {
  return `${cronJobName}-${Math.trunc(Math.floor(scheduledMs / 1000) / 60)}`;
}

/**
 * The Job for one activation: the template's labels and annotations, the scheduled time
 * annotation (in `spec.timeZone`, UTC when unset), a controller reference to the CronJob and a
 * copy of the template's job spec.
 */
export function jobFromTemplate(cj: KubeObject, scheduledMs: number): KubeObject {
  const template = cj.spec?.jobTemplate ?? {};
  const labels: Record<string, string> = { ...(template.metadata?.labels ?? {}) };
  const annotations: Record<string, string> = { ...(template.metadata?.annotations ?? {}) };
  annotations[SCHEDULED_TIMESTAMP_ANNOTATION] = formatRfc3339InZone(scheduledMs, cj.spec?.timeZone ?? '');
  const metadata: KubeObject['metadata'] = {
    name: jobName(cj.metadata.name ?? '', scheduledMs),
    namespace: cj.metadata.namespace,
    annotations,
    ownerReferences: [{
      apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name ?? '', uid: cj.metadata.uid ?? '',
      controller: true, blockOwnerDeletion: true,
    }],
  };
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: structuredClone(template.spec ?? {}) };
}

/** Orders jobs by `status.startTime` (unstarted last), then by name: oldest first. */
export function compareByStartTime(a: KubeObject, b: KubeObject): number {
  const sa = a.status?.startTime ? Date.parse(a.status.startTime) : undefined;
  const sb = b.status?.startTime ? Date.parse(b.status.startTime) : undefined;
  if (sa === undefined && sb !== undefined) return 1;
  if (sa !== undefined && sb === undefined) return -1;
  if (sa === sb) return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0;
  return (sa as number) - (sb as number);
}

/** The controller owner reference of an object, if any. */
export function controllerRef(obj: KubeObject): { apiVersion: string; kind: string; name: string; uid: string } | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}
