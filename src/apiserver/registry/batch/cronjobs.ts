import type { FieldError } from '../../../machinery/status.js';
import { ageOf } from '../../../machinery/duration.js';
import { invalidValue, requiredValue } from '../../../machinery/validation.js';
import { defaultPodTemplateSpec, markEmbeddedMetadata, notSupported, validateNonNegative } from '../core/pod-spec.js';
import { formatLabelSelector, templateContainerCells } from '../printing.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { invalidRendered } from '../go-format.js';
import { AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, SELECTOR_COLUMN, renderSelector } from '../apps/workload.js';
import { cronScheduleError, isKnownTimeZone } from './cron-schedule.js';
import { validateJobSpec } from './job-spec.js';
import { isApiObject as isObj } from '../resource.js';

const CONCURRENCY = ['Allow', 'Forbid', 'Replace'];
const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

const has = (v: unknown): boolean => v !== undefined && v !== null;

/** batch/v1 `SetDefaults_CronJob` plus the defaults of the job template's pod template (not of its job spec). */
function defaultCronJob(obj: ApiObject): void {
  const spec: ApiObject = (obj.spec ??= {});
  if (!spec.concurrencyPolicy) spec.concurrencyPolicy = 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  spec.jobTemplate ??= {};
  markEmbeddedMetadata(spec.jobTemplate);
  spec.jobTemplate.spec ??= {};
  spec.jobTemplate.spec.template ??= {};
  defaultPodTemplateSpec(spec.jobTemplate.spec.template);
}

function validateSchedule(schedule: string, timeZone: unknown, allowTZ: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const parseError = cronScheduleError(schedule);
  if (parseError) errs.push(invalidValue('spec.schedule', schedule, parseError));
  if (allowTZ && schedule.includes('TZ') && has(timeZone)) errs.push(invalidValue('spec.schedule', schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  else if (!allowTZ && schedule.includes('TZ')) errs.push(invalidValue('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  return errs;
}

function validateTimeZone(tz: unknown): FieldError[] {
  if (!has(tz)) return [];
  const zone = String(tz);
  if (zone === '') return [invalidValue('spec.timeZone', zone, 'timeZone must be nil or non-empty string')];
  for (const part of zone.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !TIME_ZONE_PART.test(part)) return [invalidValue('spec.timeZone', zone, `unknown time zone ${zone}`)];
  }
  const errs: FieldError[] = [];
  if (zone.toLowerCase() === 'local') errs.push(invalidValue('spec.timeZone', zone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  if (!isKnownTimeZone(zone)) errs.push(invalidValue('spec.timeZone', zone, `unknown time zone ${zone}`));
  return errs;
}

/** Upstream's `validateCronJobSpec`; `old` is the stored spec on update. */
function validateCronJobSpec(spec: ApiObject, old: ApiObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const schedule = typeof spec.schedule === 'string' ? spec.schedule : '';
  if (schedule === '') errs.push(requiredValue('spec.schedule'));
  else errs.push(...validateSchedule(schedule, spec.timeZone, old !== undefined && String(old.schedule ?? '').includes('TZ')));
  errs.push(...validateNonNegative('spec.startingDeadlineSeconds', spec.startingDeadlineSeconds));
  if (old === undefined || old.timeZone !== spec.timeZone) errs.push(...validateTimeZone(spec.timeZone));
  const cp = spec.concurrencyPolicy ?? '';
  if (cp === '') errs.push(requiredValue('spec.concurrencyPolicy'));
  else if (!CONCURRENCY.includes(cp)) errs.push(notSupported('spec.concurrencyPolicy', cp, CONCURRENCY));
  const jobSpec: ApiObject = isObj(spec.jobTemplate?.spec) ? spec.jobTemplate.spec : {};
  errs.push(...validateJobSpec(jobSpec, 'spec.jobTemplate.spec'));
  if (has(jobSpec.selector)) errs.push(invalidRendered('spec.jobTemplate.spec.selector', renderSelector(jobSpec.selector), '`selector` will be auto-generated'));
  if (jobSpec.manualSelector === true) errs.push(notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  errs.push(...validateNonNegative('spec.successfulJobsHistoryLimit', spec.successfulJobsHistoryLimit));
  errs.push(...validateNonNegative('spec.failedJobsHistoryLimit', spec.failedJobsHistoryLimit));
  return errs;
}

function validateCronJob(obj: ApiObject): FieldError[] {
  const errs = validateCronJobSpec(obj.spec ?? {}, undefined);
  const name = String(obj.metadata?.name ?? '');
  // Jobs are named `<cronjob>-<11 characters>`, and job names are DNS labels.
  if (name.length > 52) errs.push(invalidValue('metadata.name', name, 'must be no more than 52 characters'));
  return errs;
}

/** The Suspend cell: `True`, `False`, or `<unset>`. */
function boolCell(v: unknown): string {
  return v === true ? 'True' : v === false ? 'False' : '<unset>';
}

/** batch/v1 CronJob: jobs created on a schedule, with a status subresource. */
export const cronJobs: ResourceDefinition = {
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  singular: 'cronjob',
  shortNames: ['cj'],
  categories: ['all'],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  subresources: ['status'],
  tracksGeneration: true,
  table: {
    columns: [
      { name: 'Schedule', type: 'string', description: 'The schedule in cron format.' },
      { name: 'Timezone', type: 'string', description: 'The time zone the schedule is read in.' },
      { name: 'Suspend', type: 'boolean', description: 'Whether new runs are held back.' },
      { name: 'Active', type: 'integer', description: 'The number of jobs running now.' },
      { name: 'Last Schedule', type: 'string', description: 'Time since a job was last scheduled.' },
      AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, SELECTOR_COLUMN,
    ],
    cells: (obj, now) => [
      obj.spec?.schedule ?? '',
      has(obj.spec?.timeZone) ? obj.spec.timeZone : '<none>',
      boolCell(obj.spec?.suspend),
      Array.isArray(obj.status?.active) ? obj.status.active.length : 0,
      obj.status?.lastScheduleTime ? ageOf(obj.status.lastScheduleTime, now) : '<none>',
      ageOf(obj.metadata.creationTimestamp, now),
      ...templateContainerCells(obj.spec?.jobTemplate?.spec?.template),
      formatLabelSelector(obj.spec?.jobTemplate?.spec?.selector),
    ],
  },
  strategy: {
    defaults: defaultCronJob,
    prepareForCreate(obj) {
      obj.status = {};
    },
    prepareForUpdate() {},
    validate: validateCronJob,
    validateUpdate: (obj, old) => validateCronJobSpec(obj.spec ?? {}, old.spec ?? {}),
    validateStatusUpdate: () => [],
  },
};
