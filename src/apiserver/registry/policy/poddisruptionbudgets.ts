import type { FieldError } from '../../../machinery/status.js';
import { ageOf } from '../../../machinery/duration.js';
import { notSupported, validateNonNegative } from '../core/pod-spec.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { invalidRendered } from '../go-format.js';
import { isNotMoreThan100Percent, validatePositiveIntOrPercent } from '../apps/int-or-percent.js';
import { validateLabelSelector } from '../apps/label-selector.js';
import { AGE_COLUMN } from '../apps/workload.js';

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

const has = (v: unknown): boolean => v !== undefined && v !== null;
const ptr = (type: string, v: unknown) => (has(v) ? `(*${type})(0xc000000000)` : `(*${type})(nil)`);

/** Upstream's `ValidatePodDisruptionBudgetSpec`. */
function validatePdb(obj: ApiObject): FieldError[] {
  const spec: ApiObject = obj.spec ?? {};
  const errs: FieldError[] = [];
  if (has(spec.minAvailable) && has(spec.maxUnavailable)) {
    const rendered = `policy.PodDisruptionBudgetSpec{MinAvailable:${ptr('intstr.IntOrString', spec.minAvailable)}, Selector:${ptr('v1.LabelSelector', spec.selector)}, `
      + `MaxUnavailable:${ptr('intstr.IntOrString', spec.maxUnavailable)}, UnhealthyPodEvictionPolicy:${ptr('policy.UnhealthyPodEvictionPolicyType', spec.unhealthyPodEvictionPolicy)}}`;
    errs.push(invalidRendered('spec', rendered, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const f of ['minAvailable', 'maxUnavailable']) {
    if (!has(spec[f])) continue;
    errs.push(...validatePositiveIntOrPercent(spec[f], `spec.${f}`), ...isNotMoreThan100Percent(spec[f], `spec.${f}`));
  }
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  if (has(spec.unhealthyPodEvictionPolicy) && !EVICTION_POLICIES.includes(String(spec.unhealthyPodEvictionPolicy))) {
    errs.push(notSupported('spec.unhealthyPodEvictionPolicy', spec.unhealthyPodEvictionPolicy, EVICTION_POLICIES));
  }
  return errs;
}

function validatePdbStatus(obj: ApiObject): FieldError[] {
  const st: ApiObject = obj.status ?? {};
  return ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'].flatMap((f) => validateNonNegative(`status.${f}`, st[f]));
}

/** An int-or-string as its String() prints it, `N/A` when absent. */
const intOrStringCell = (v: unknown) => (has(v) ? String(v) : 'N/A');

/** policy/v1 PodDisruptionBudget: how many selected pods voluntary disruptions may take down, with a status subresource. */
export const podDisruptionBudgets: ResourceDefinition = {
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  shortNames: ['pdb'],
  categories: [],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  subresources: ['status'],
  tracksGeneration: true,
  table: {
    columns: [
      { name: 'Min Available', type: 'string', description: 'The pods (number or percentage) that must stay available.' },
      { name: 'Max Unavailable', type: 'string', description: 'The pods (number or percentage) that may be unavailable.' },
      { name: 'Allowed Disruptions', type: 'integer', description: 'How many pods may be disrupted right now.' },
      AGE_COLUMN,
    ],
    cells: (obj, now) => [
      intOrStringCell(obj.spec?.minAvailable), intOrStringCell(obj.spec?.maxUnavailable), obj.status?.disruptionsAllowed ?? 0,
      ageOf(obj.metadata.creationTimestamp, now),
    ],
  },
  strategy: {
    prepareForCreate(obj) {
      obj.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
    },
    prepareForUpdate() {},
    validate: validatePdb,
    validateUpdate: validatePdb,
    validateStatusUpdate: validatePdbStatus,
  },
};
