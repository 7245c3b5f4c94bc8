import type { FieldError } from '../../../machinery/status.js';
import { ageOf, humanDuration } from '../../../machinery/duration.js';
import { invalidValue, requiredValue, validateDns1123Label } from '../../../machinery/validation.js';
import { defaultPodTemplateSpec, validateNonNegative } from '../core/pod-spec.js';
import { formatLabelSelector, templateContainerCells } from '../printing.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { goQuote, goStringMap, invalidRendered } from '../go-format.js';
import { selectorMatches, selectorParses, semanticEqual, validateLabelSelector } from '../apps/label-selector.js';
import { AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, SELECTOR_COLUMN, immutableSelector, renderSelector, selectorMismatch } from '../apps/workload.js';
import { validateJobSpec } from './job-spec.js';
import { isApiObject as isObj } from '../resource.js';

/** The labels a generated job selector and its pods carry. */
export const JOB_LABELS = {
  legacyJobName: 'job-name',
  jobName: 'batch.kubernetes.io/job-name',
  legacyControllerUid: 'controller-uid',
  controllerUid: 'batch.kubernetes.io/controller-uid',
} as const;

const has = (v: unknown): boolean => v !== undefined && v !== null;

/**
 * batch/v1 `SetDefaults_Job`. When the job has no labels of its own it takes the template's label
 * map itself (not a copy, as upstream's defaulter does), so the labels generated for the template
 * on create show on the job too.
 */
function defaultJob(obj: ApiObject): void {
  const spec: ApiObject = (obj.spec ??= {});
  if (!has(spec.completions) && !has(spec.parallelism)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= has(spec.backoffLimitPerIndex) ? 2147483647 : 6;
  const tplLabels = spec.template?.metadata?.labels;
  obj.metadata ??= {};
  if (isObj(tplLabels) && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = tplLabels;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  for (const rule of Array.isArray(spec.podFailurePolicy?.rules) ? spec.podFailurePolicy.rules : []) {
    for (const c of Array.isArray(rule?.onPodConditions) ? rule.onPodConditions : []) {
      if (isObj(c) && !c.status) c.status = 'True';
    }
  }
  spec.podReplacementPolicy ??= isObj(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  spec.template ??= {};
  defaultPodTemplateSpec(spec.template);
}

/**
 * Upstream's selector generation: the template gets the job-name and controller-uid labels (both
 * spellings) unless set, and the selector matches `batch.kubernetes.io/controller-uid=<uid>`.
 */
function generateSelector(obj: ApiObject): void {
  const tpl: ApiObject = (obj.spec.template ??= {});
  tpl.metadata ??= {};
  const labels: ApiObject = (tpl.metadata.labels ??= {});
  for (const k of [JOB_LABELS.legacyJobName, JOB_LABELS.jobName]) if (!(k in labels)) labels[k] = obj.metadata.name;
  for (const k of [JOB_LABELS.legacyControllerUid, JOB_LABELS.controllerUid]) if (!(k in labels)) labels[k] = obj.metadata.uid;
  const sel: ApiObject = (obj.spec.selector ??= {});
  sel.matchLabels ??= {};
  if (!(JOB_LABELS.controllerUid in sel.matchLabels)) sel.matchLabels[JOB_LABELS.controllerUid] = obj.metadata.uid;
}

/** `spec.template.metadata.labels[<key>]` must hold `expected` (upstream's `ValidateHasLabel`). */
function hasLabel(labels: unknown, key: string, expected: string): FieldError[] {
  const field = `spec.template.metadata.labels[${key}]`;
  const have = isObj(labels) ? labels : {};
  if (!(key in have)) return [requiredValue(field, `must be '${expected}'`)];
  return have[key] === expected ? [] : [invalidRendered(field, goStringMap(labels), `must be '${expected}'`)];
}

function validateGeneratedSelector(obj: ApiObject, prefixed: boolean): FieldError[] {
  const spec: ApiObject = obj.spec ?? {};
  if (spec.manualSelector === true || !has(spec.selector)) return [];
  const uid = String(obj.metadata.uid ?? '');
  const name = String(obj.metadata.name ?? '');
  const labels = spec.template?.metadata?.labels;
  const errs: FieldError[] = uid ? [] : [requiredValue('metadata.uid')];
  errs.push(...hasLabel(labels, JOB_LABELS.legacyControllerUid, uid), ...hasLabel(labels, JOB_LABELS.legacyJobName, name));
  const expected: Record<string, string> = { [JOB_LABELS.legacyControllerUid]: uid, [JOB_LABELS.legacyJobName]: name };
  if (prefixed) {
    errs.push(...hasLabel(labels, JOB_LABELS.controllerUid, uid), ...hasLabel(labels, JOB_LABELS.jobName, name));
    expected[JOB_LABELS.controllerUid] = uid;
    expected[JOB_LABELS.jobName] = name;
  }
  if (selectorParses(spec.selector) && !selectorMatches(spec.selector, expected)) {
    errs.push(invalidRendered('spec.selector', renderSelector(spec.selector), '`selector` not auto-generated'));
  }
  return errs;
}

/** Upstream's `ValidateJob`: generated selector, job spec, selector, template labels, indexed host names. */
function validateJob(obj: ApiObject, prefixed = true): FieldError[] {
  const spec: ApiObject = obj.spec ?? {};
  const errs = [...validateGeneratedSelector(obj, prefixed), ...validateJobSpec(spec, 'spec')];
  if (!has(spec.selector)) errs.push(requiredValue('spec.selector'));
  else errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const labels = spec.template?.metadata?.labels;
  if (selectorParses(spec.selector) && !selectorMatches(spec.selector, labels)) errs.push(selectorMismatch('spec.template', labels));
  if (spec.completionMode === 'Indexed' && typeof spec.completions === 'number' && spec.completions > 0) {
    const host = `${obj.metadata.name}-${spec.completions - 1}`;
    if (validateDns1123Label('h', host).length > 0) {
      errs.push(invalidValue('metadata.name', obj.metadata.name, `will not able to create pod with invalid DNS label: ${host}`));
    }
  }
  return errs;
}

const renderPointer = (v: unknown) => (has(v) ? (typeof v === 'string' ? goQuote(v) : String(v)) : '"null"');

/** Fields of a job spec that may not change, beyond the template and selector. */
function immutableJobFields(spec: ApiObject, old: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  const indexed = spec.completionMode === 'Indexed';
  if (!semanticEqual(spec.completions, old.completions)) {
    if (!indexed) errs.push(invalidRendered('spec.completions', renderPointer(spec.completions), 'field is immutable'));
    else if (has(spec.completions) && spec.completions !== spec.parallelism) {
      errs.push(invalidRendered('spec.completions', renderPointer(spec.completions), 'can only be modified in tandem with spec.parallelism'));
    }
  }
  errs.push(...immutableSelector(spec.selector, old.selector));
  return errs;
}

/** The template may change only in its scheduling directives, and only while the job is suspended and never started. */
function immutableTemplate(obj: ApiObject, old: ApiObject): FieldError[] {
  const tpl: ApiObject = structuredClone(obj.spec?.template ?? {});
  const was: ApiObject = structuredClone(old.spec?.template ?? {});
  if (old.spec?.suspend === true && !has(old.status?.startTime)) {
    was.metadata = { ...(was.metadata ?? {}), labels: tpl.metadata?.labels, annotations: tpl.metadata?.annotations };
    was.spec = { ...(was.spec ?? {}) };
    for (const f of ['nodeSelector', 'tolerations', 'schedulingGates']) was.spec[f] = tpl.spec?.[f];
    if (isObj(tpl.spec?.affinity) || isObj(was.spec.affinity)) {
      was.spec.affinity = { ...(was.spec.affinity ?? {}), nodeAffinity: tpl.spec?.affinity?.nodeAffinity };
    }
  }
  return semanticEqual(tpl, was) ? [] : [invalidRendered('spec.template', 'core.PodTemplateSpec{…}', 'field is immutable')];
}

function validateJobUpdate(obj: ApiObject, old: ApiObject): FieldError[] {
  const oldLabels = old.spec?.template?.metadata?.labels ?? {};
  const prefixed = JOB_LABELS.jobName in oldLabels && JOB_LABELS.controllerUid in oldLabels;
  const spec: ApiObject = obj.spec ?? {};
  const was: ApiObject = old.spec ?? {};
  const errs = [...validateJob(obj, prefixed), ...immutableJobFields(spec, was), ...immutableTemplate(obj, old)];
  for (const f of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy']) {
    if (!semanticEqual(spec[f], was[f])) errs.push(invalidRendered(`spec.${f}`, isObj(spec[f]) ? `batch.${f}{…}` : renderPointer(spec[f]), 'field is immutable'));
  }
  return errs;
}

function validateJobStatus(obj: ApiObject): FieldError[] {
  const st: ApiObject = obj.status ?? {};
  const errs: FieldError[] = [];
  for (const f of ['active', 'succeeded', 'failed', 'ready', 'terminating']) errs.push(...validateNonNegative(`status.${f}`, st[f]));
  if (typeof st.ready === 'number' && st.ready > (st.active ?? 0)) errs.push(invalidRendered('status.ready', String(st.ready), 'cannot set more ready pods than active'));
  return errs;
}

function conditionTrue(obj: ApiObject, type: string): boolean {
  const c = (Array.isArray(obj.status?.conditions) ? obj.status.conditions : []).find((x: ApiObject) => x?.type === type);
  return c?.status === 'True';
}

/** The Status cell: Complete, Failed, Terminating, Suspended, FailureTarget or Running. */
function jobStatusCell(obj: ApiObject): string {
  if (conditionTrue(obj, 'Complete')) return 'Complete';
  if (conditionTrue(obj, 'Failed')) return 'Failed';
  if (obj.metadata.deletionTimestamp) return 'Terminating';
  if (conditionTrue(obj, 'Suspended')) return 'Suspended';
  if (conditionTrue(obj, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** The Completions cell: `succeeded/completions`, or `succeeded/1 of parallelism` for work queues. */
function completionsCell(obj: ApiObject): string {
  const succeeded = obj.status?.succeeded ?? 0;
  if (has(obj.spec?.completions)) return `${succeeded}/${obj.spec.completions}`;
  const parallelism = obj.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** The Duration cell: empty before the start, then the time from start to completion (or to now). */
function durationCell(obj: ApiObject, now: number): string {
  const start = obj.status?.startTime ? Date.parse(obj.status.startTime) : NaN;
  if (Number.isNaN(start)) return '';
  const end = obj.status?.completionTime ? Date.parse(obj.status.completionTime) : now;
  return humanDuration(end - start);
}

/** batch/v1 Job: pods run to completion, with a status subresource. */
export const jobs: ResourceDefinition = {
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  plural: 'jobs',
  singular: 'job',
  shortNames: [],
  categories: ['all'],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  subresources: ['status'],
  tracksGeneration: true,
  table: {
    columns: [
      { name: 'Status', type: 'string', description: 'The state of the job (Running, Complete, Failed…).' },
      { name: 'Completions', type: 'string', description: 'Succeeded pods out of the completions wanted.' },
      { name: 'Duration', type: 'string', description: 'How long the job ran (or has been running).' },
      AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, SELECTOR_COLUMN,
    ],
    cells: (obj, now) => [
      jobStatusCell(obj), completionsCell(obj), durationCell(obj, now), ageOf(obj.metadata.creationTimestamp, now),
      ...templateContainerCells(obj.spec?.template), formatLabelSelector(obj.spec?.selector),
    ],
  },
  strategy: {
    defaults: defaultJob,
    prepareForCreate(obj) {
      if (obj.spec?.manualSelector !== true) generateSelector(obj);
      // Upstream stores a job without labels as it is, and its defaulting on every read then gives
      // it the template's labels (generated ones included): the same object is stored here at once.
      const tplLabels = obj.spec?.template?.metadata?.labels;
      if (Object.keys(obj.metadata.labels ?? {}).length === 0 && isObj(tplLabels)) obj.metadata.labels = { ...tplLabels };
      obj.status = {};
    },
    prepareForUpdate() {},
    validate: (obj) => validateJob(obj),
    validateUpdate: validateJobUpdate,
    validateStatusUpdate: validateJobStatus,
  },
};
