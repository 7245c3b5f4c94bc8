/**
 * Validation of a JobSpec (upstream's `validateJobSpec`), shared by Jobs and by the job template
 * of CronJobs, with upstream's order, field paths and messages.
 */
import type { FieldError } from '../../../machinery/status.js';
import { requiredValue } from '../../../machinery/validation.js';
import { validateQualifiedName } from '../../../machinery/validation.js';
import { notSupported, validateNonNegative, validatePodTemplateSpec } from '../core/pod-spec.js';
import type { ApiObject } from '../resource.js';
import { invalidRendered } from '../go-format.js';
import { tooLong, validateDomainPrefixedPath } from '../apps/name-checks.js';
import { isApiObject as isObj } from '../resource.js';

const MAX_PARALLELISM_INDEXED = 100000;
const MAX_FAILED_INDEXES = 100000;
const POD_FAILURE_ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const EXIT_CODE_OPERATORS = ['In', 'NotIn'];
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];
const REPLACEMENT_POLICIES = ['Failed', 'TerminatingOrFailed'];

const has = (v: unknown): boolean => v !== undefined && v !== null;

/** A list of strings as Go's `%q` prints a slice: `["a" "b"]`. */
function goQuotedList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}

function validatePodFailurePolicy(spec: ApiObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const rules: ApiObject[] = Array.isArray(spec.podFailurePolicy?.rules) ? spec.podFailurePolicy.rules : [];
  if (rules.length > 20) errs.push({ type: 'FieldValueTooMany' as FieldError['type'], field: `${path}.rules`, detail: `Too many: ${rules.length}: must have at most 20 items` });
  rules.forEach((rule, i) => {
    const p = `${path}.rules[${i}]`;
    if (!rule?.action) errs.push(requiredValue(`${p}.action`, `valid values: ${goQuotedList(POD_FAILURE_ACTIONS)}`));
    else if (rule.action === 'FailIndex') {
      if (!has(spec.backoffLimitPerIndex)) errs.push(invalidRendered(`${p}.action`, JSON.stringify(rule.action), 'requires the backoffLimitPerIndex to be set'));
    } else if (!POD_FAILURE_ACTIONS.includes(rule.action)) errs.push(notSupported(`${p}.action`, rule.action, POD_FAILURE_ACTIONS));
    if (isObj(rule?.onExitCodes)) {
      const op = rule.onExitCodes.operator;
      if (!op) errs.push(requiredValue(`${p}.onExitCodes.operator`, `valid values: ${goQuotedList(EXIT_CODE_OPERATORS)}`));
      else if (!EXIT_CODE_OPERATORS.includes(op)) errs.push(notSupported(`${p}.onExitCodes.operator`, op, EXIT_CODE_OPERATORS));
      const values: unknown[] = Array.isArray(rule.onExitCodes.values) ? rule.onExitCodes.values : [];
      if (values.length === 0) errs.push(invalidRendered(`${p}.onExitCodes.values`, '[]int32(nil)', 'at least one value is required'));
    }
    const conditions: ApiObject[] = Array.isArray(rule?.onPodConditions) ? rule.onPodConditions : [];
    conditions.forEach((c, j) => {
      const cp = `${p}.onPodConditions[${j}]`;
      errs.push(...validateQualifiedName(`${cp}.type`, String(c?.type ?? '')));
      if (!c?.status) errs.push(requiredValue(`${cp}.status`, `valid values: ${goQuotedList(CONDITION_STATUSES)}`));
      else if (!CONDITION_STATUSES.includes(c.status)) errs.push(notSupported(`${cp}.status`, c.status, CONDITION_STATUSES));
    });
    if (isObj(rule?.onExitCodes) && conditions.length > 0) errs.push({ type: 'FieldValueInvalid', field: p, detail: 'Invalid value: specifying both OnExitCodes and OnPodConditions is not supported' });
    if (!isObj(rule?.onExitCodes) && conditions.length === 0) errs.push({ type: 'FieldValueInvalid', field: p, detail: 'Invalid value: specifying one of OnExitCodes and OnPodConditions is required' });
  });
  return errs;
}

/** Upstream's `validateJobSpec` at `path` (`spec` for Jobs, `spec.jobTemplate.spec` for CronJobs). */
export function validateJobSpec(spec: ApiObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex']) {
    errs.push(...validateNonNegative(`${path}.${f}`, spec[f]));
  }
  if (has(spec.maxFailedIndexes)) {
    errs.push(...validateNonNegative(`${path}.maxFailedIndexes`, spec.maxFailedIndexes));
    if (!has(spec.backoffLimitPerIndex)) errs.push(requiredValue(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  }
  if (has(spec.managedBy)) {
    errs.push(...validateDomainPrefixedPath(`${path}.managedBy`, String(spec.managedBy)));
    if (String(spec.managedBy).length > 63) errs.push(tooLong(`${path}.managedBy`, 63));
  }
  const mode = spec.completionMode;
  if (has(mode)) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(notSupported(`${path}.completionMode`, mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') {
      if (!has(spec.completions)) errs.push(requiredValue(`${path}.completions`, 'when completion mode is Indexed'));
      if (typeof spec.parallelism === 'number' && spec.parallelism > MAX_PARALLELISM_INDEXED) {
        errs.push(invalidRendered(`${path}.parallelism`, String(spec.parallelism), `must be less than or equal to ${MAX_PARALLELISM_INDEXED} when completion mode is Indexed`));
      }
      if (typeof spec.completions === 'number' && typeof spec.maxFailedIndexes === 'number' && spec.maxFailedIndexes > spec.completions) {
        errs.push(invalidRendered(`${path}.maxFailedIndexes`, String(spec.maxFailedIndexes), 'must be less than or equal to completions'));
      }
      if (typeof spec.maxFailedIndexes === 'number' && spec.maxFailedIndexes > MAX_FAILED_INDEXES) {
        errs.push(invalidRendered(`${path}.maxFailedIndexes`, String(spec.maxFailedIndexes), `must be less than or equal to ${MAX_FAILED_INDEXES}`));
      }
    }
  }
  if (!has(mode) || mode === 'NonIndexed') {
    if (has(spec.backoffLimitPerIndex)) errs.push(invalidRendered(`${path}.backoffLimitPerIndex`, String(spec.backoffLimitPerIndex), 'requires indexed completion mode'));
    if (has(spec.maxFailedIndexes)) errs.push(invalidRendered(`${path}.maxFailedIndexes`, String(spec.maxFailedIndexes), 'requires indexed completion mode'));
  }
  if (isObj(spec.podFailurePolicy)) errs.push(...validatePodFailurePolicy(spec, `${path}.podFailurePolicy`));
  if (isObj(spec.successPolicy) && mode !== 'Indexed') {
    errs.push(invalidRendered(`${path}.successPolicy`, 'batch.SuccessPolicy{…}', 'requires indexed completion mode'));
  }
  if (has(spec.podReplacementPolicy)) {
    if (isObj(spec.podFailurePolicy)) {
      if (spec.podReplacementPolicy !== 'Failed') errs.push(notSupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, ['Failed']));
    } else if (!REPLACEMENT_POLICIES.includes(String(spec.podReplacementPolicy))) {
      errs.push(notSupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, REPLACEMENT_POLICIES));
    }
  }
  errs.push(...validatePodTemplateSpec(spec.template, `${path}.template`));
  const restart = isObj(spec.template) && isObj(spec.template.spec) ? spec.template.spec.restartPolicy : undefined;
  const restartPath = `${path}.template.spec.restartPolicy`;
  if (!restart || restart === 'Always') errs.push(requiredValue(restartPath, 'valid values: "OnFailure", "Never"'));
  else if (restart !== 'OnFailure' && restart !== 'Never') errs.push(notSupported(restartPath, restart, ['OnFailure', 'Never']));
  else if (isObj(spec.podFailurePolicy) && restart !== 'Never') errs.push(invalidRendered(restartPath, JSON.stringify(restart), 'only "Never" is supported when podFailurePolicy is specified'));
  return errs;
}
