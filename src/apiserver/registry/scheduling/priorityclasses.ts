import type { FieldError } from '../../../machinery/status.js';
import { ageOf } from '../../../machinery/duration.js';
import { requiredValue } from '../../../machinery/validation.js';
import { forbidden, notSupported } from '../core/pod-spec.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { goQuote, invalidRendered } from '../go-format.js';
import { AGE_COLUMN } from '../apps/workload.js';

/** The highest priority a class not named `system-…` may have. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1000000000;

const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];

/**
 * The priority classes every cluster has (the API server creates them at startup); the only ones
 * whose names may start with `system-`.
 */
export const SYSTEM_PRIORITY_CLASSES: ApiObject[] = [
  {
    apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-node-critical' }, value: 2000001000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-cluster-critical' }, value: 2000000000,
    description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

/** Why a `system-` class is not one of the system classes, or undefined when it is. */
function systemClassError(name: string, value: unknown, globalDefault: boolean): string | undefined {
  const known = SYSTEM_PRIORITY_CLASSES.find((c) => c.metadata.name === name);
  if (!known) return `${name} is not a known system priority class`;
  if (known.value !== value) return `value of ${name} PriorityClass must be ${known.value}`;
  if (globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

function validatePreemptionPolicy(obj: ApiObject): FieldError[] {
  const p = obj.preemptionPolicy;
  if (p === undefined || p === null) return [];
  if (p === '') return [requiredValue('preemptionPolicy')];
  return PREEMPTION_POLICIES.includes(p) ? [] : [notSupported('preemptionPolicy', p, PREEMPTION_POLICIES)];
}

function validatePriorityClass(obj: ApiObject): FieldError[] {
  const name = String(obj.metadata?.name ?? '');
  const errs: FieldError[] = [];
  if (name.startsWith('system-')) {
    const why = systemClassError(name, obj.value ?? 0, obj.globalDefault === true);
    if (why) errs.push(forbidden('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${why}`));
  } else if ((obj.value ?? 0) > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  return [...errs, ...validatePreemptionPolicy(obj)];
}

function validatePriorityClassUpdate(obj: ApiObject, old: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  if ((obj.value ?? 0) !== (old.value ?? 0)) errs.push(forbidden('value', 'may not be changed in an update.'));
  if ((obj.preemptionPolicy ?? null) !== (old.preemptionPolicy ?? null)) {
    errs.push(invalidRendered('preemptionPolicy', obj.preemptionPolicy === undefined || obj.preemptionPolicy === null ? '"null"' : goQuote(obj.preemptionPolicy), 'field is immutable'));
  }
  return errs;
}

/** scheduling.k8s.io/v1 PriorityClass (cluster-scoped): a named pod priority. Its value never changes. */
export const priorityClasses: ResourceDefinition = {
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  plural: 'priorityclasses',
  singular: 'priorityclass',
  shortNames: ['pc'],
  categories: [],
  namespaced: false,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  table: {
    columns: [
      { name: 'Value', type: 'integer', description: 'The priority pods of this class get.' },
      { name: 'Global-Default', type: 'boolean', description: 'Whether pods without a class get this one.' },
      AGE_COLUMN,
      { name: 'PreemptionPolicy', type: 'string', description: 'Whether pods of this class may preempt lower-priority pods.' },
    ],
    cells: (obj, now) => [obj.value ?? 0, obj.globalDefault === true, ageOf(obj.metadata.creationTimestamp, now), obj.preemptionPolicy ?? ''],
  },
  strategy: {
    defaults(obj) {
      obj.preemptionPolicy ??= 'PreemptLowerPriority';
    },
    prepareForCreate() {},
    prepareForUpdate() {},
    validate: validatePriorityClass,
    validateUpdate: validatePriorityClassUpdate,
  },
};
