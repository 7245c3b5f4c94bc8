import type { FieldError } from '../../../machinery/status.js';
import { ageOf } from '../../../machinery/duration.js';
import { invalidValue, requiredValue, validateDns1123Label } from '../../../machinery/validation.js';
import { forbidden, notSupported, parseQuantity, validateNonNegative } from '../core/pod-spec.js';
import { formatQuantity } from '../printing.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { validatePathSegmentName } from '../apps/name-checks.js';
import { AGE_COLUMN } from '../apps/workload.js';
import { isApiObject as isObj } from '../resource.js';

/** The CPU utilization an autoscaler without metrics aims at. */
export const DEFAULT_CPU_UTILIZATION = 80;

const SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SOURCE_FIELDS: Record<string, string> = { Object: 'object', Pods: 'pods', Resource: 'resource', External: 'external', ContainerResource: 'containerResource' };
const SELECT_POLICIES = ['Disabled', 'Max', 'Min'];
const POLICY_TYPES = ['Percent', 'Pods'];

const has = (v: unknown): boolean => v !== undefined && v !== null;

/** Fills the unset fields of scaling rules from `defaults` (upstream's `copyHPAScalingRules`). */
function withRuleDefaults(rules: unknown, defaults: ApiObject): ApiObject {
  if (!isObj(rules)) return defaults;
  const out: ApiObject = { ...defaults };
  if (has(rules.selectPolicy)) out.selectPolicy = rules.selectPolicy;
  if (has(rules.stabilizationWindowSeconds)) out.stabilizationWindowSeconds = rules.stabilizationWindowSeconds;
  if (rules.policies !== undefined && rules.policies !== null) out.policies = rules.policies;
  if (!has(out.stabilizationWindowSeconds)) delete out.stabilizationWindowSeconds;
  return out;
}

/** autoscaling/v2 `SetDefaults_HorizontalPodAutoscaler`: min replicas, a CPU metric, and a complete behavior when one is given. */
export function defaultHpaV2(obj: ApiObject): void {
  const spec: ApiObject = (obj.spec ??= {});
  spec.minReplicas ??= 1;
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  if (isObj(spec.behavior)) {
    spec.behavior.scaleUp = withRuleDefaults(spec.behavior.scaleUp, {
      stabilizationWindowSeconds: 0, selectPolicy: 'Max',
      policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
    });
    spec.behavior.scaleDown = withRuleDefaults(spec.behavior.scaleDown, {
      selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    });
  }
}

function validateReference(ref: unknown, path: string): FieldError[] {
  const r: ApiObject = isObj(ref) ? ref : {};
  const errs: FieldError[] = [];
  if (!r.kind) errs.push(requiredValue(`${path}.kind`));
  else errs.push(...validatePathSegmentName(`${path}.kind`, String(r.kind)));
  if (!r.name) errs.push(requiredValue(`${path}.name`));
  else errs.push(...validatePathSegmentName(`${path}.name`, String(r.name)));
  return errs;
}

const quantityShown = (q: unknown) => formatQuantity(q);

function validateTarget(t: unknown, path: string): FieldError[] {
  const target: ApiObject = isObj(t) ? t : {};
  const errs: FieldError[] = [];
  if (!target.type) errs.push(requiredValue(`${path}.type`, 'must specify a metric target type'));
  if (!['Utilization', 'Value', 'AverageValue'].includes(target.type)) errs.push(invalidValue(`${path}.type`, String(target.type ?? ''), 'must be either Utilization, Value, or AverageValue'));
  for (const f of ['value', 'averageValue']) {
    if (has(target[f]) && !((parseQuantity(target[f]) ?? 0) > 0)) errs.push({ type: 'FieldValueInvalid', field: `${path}.${f}`, detail: `Invalid value: "${quantityShown(target[f])}": must be positive` });
  }
  if (typeof target.averageUtilization === 'number' && target.averageUtilization < 1) errs.push(invalidValue(`${path}.averageUtilization`, target.averageUtilization, 'must be greater than 0'));
  return errs;
}

function validateMetricIdentifier(m: unknown, path: string): FieldError[] {
  const name = isObj(m) ? String(m.name ?? '') : '';
  return name ? validatePathSegmentName(`${path}.name`, name) : [requiredValue(`${path}.name`, 'must specify a metric name')];
}

function validateSource(kind: string, src: ApiObject, path: string): FieldError[] {
  const target: ApiObject = isObj(src.target) ? src.target : {};
  switch (kind) {
    case 'object': {
      const errs = [...validateReference(src.describedObject, `${path}.describedObject`), ...validateMetricIdentifier(src.metric, `${path}.metric`), ...validateTarget(src.target, `${path}.target`)];
      if (!has(target.value) && !has(target.averageValue)) errs.push(requiredValue(`${path}.target.averageValue`, 'must set either a target value or averageValue'));
      return errs;
    }
    case 'external': {
      const errs = [...validateMetricIdentifier(src.metric, `${path}.metric`), ...validateTarget(src.target, `${path}.target`)];
      if (!has(target.value) && !has(target.averageValue)) errs.push(requiredValue(`${path}.target.averageValue`, 'must set either a target value for metric or a per-pod target'));
      if (has(target.value) && has(target.averageValue)) errs.push(forbidden(`${path}.target.value`, 'may not set both a target value for metric and a per-pod target'));
      return errs;
    }
    case 'pods': {
      const errs = [...validateMetricIdentifier(src.metric, `${path}.metric`), ...validateTarget(src.target, `${path}.target`)];
      if (!has(target.averageValue)) errs.push(requiredValue(`${path}.target.averageValue`, 'must specify a positive target averageValue'));
      return errs;
    }
    default: {
      const errs: FieldError[] = [];
      if (!src.name) errs.push(requiredValue(`${path}.name`, 'must specify a resource name'));
      if (kind === 'containerResource') {
        if (!src.container) errs.push(requiredValue(`${path}.container`, 'must specify a container'));
        else errs.push(...validateDns1123Label(`${path}.container`, String(src.container)));
      }
      errs.push(...validateTarget(src.target, `${path}.target`));
      if (!has(target.averageUtilization) && !has(target.averageValue)) errs.push(requiredValue(`${path}.target.averageUtilization`, 'must set either a target raw value or a target utilization'));
      if (has(target.averageUtilization) && has(target.averageValue)) errs.push(forbidden(`${path}.target.averageValue`, 'may not set both a target raw value and a target utilization'));
      return errs;
    }
  }
}

function validateMetric(m: ApiObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!m.type) errs.push(requiredValue(`${path}.type`, 'must specify a metric source type'));
  if (!SOURCE_TYPES.includes(m.type)) errs.push(notSupported(`${path}.type`, m.type ?? '', SOURCE_TYPES));
  const present = ['object', 'external', 'pods', 'resource', 'containerResource'].filter((f) => has(m[f]));
  if (present.length > 0) errs.push(...validateSource(present[0], isObj(m[present[0]]) ? m[present[0]] : {}, `${path}.${present[0]}`));
  const expected = SOURCE_FIELDS[m.type];
  if (expected) {
    if (!has(m[expected])) errs.push(requiredValue(`${path}.${expected}`, 'must populate information for the given metric source'));
  } else {
    errs.push(notSupported(`${path}.type`, m.type ?? '', SOURCE_TYPES));
  }
  if (present.length !== 1) for (const f of present.filter((f) => f !== expected)) errs.push(forbidden(`${path}.${f}`, 'must populate the given metric source only'));
  return errs;
}

function validateRules(rules: unknown, path: string): FieldError[] {
  if (!isObj(rules)) return [];
  const errs: FieldError[] = [];
  const w = rules.stabilizationWindowSeconds;
  if (typeof w === 'number' && w < 0) errs.push(invalidValue(`${path}.stabilizationWindowSeconds`, w, 'must be greater than or equal to zero'));
  if (typeof w === 'number' && w > 3600) errs.push(invalidValue(`${path}.stabilizationWindowSeconds`, w, 'must be less than or equal to 3600'));
  if (has(rules.selectPolicy) && !SELECT_POLICIES.includes(rules.selectPolicy)) errs.push(notSupported(`${path}.selectPolicy`, rules.selectPolicy, SELECT_POLICIES));
  const policies: ApiObject[] = Array.isArray(rules.policies) ? rules.policies : [];
  if (policies.length === 0) errs.push(requiredValue(`${path}.policies`, 'must specify at least one Policy'));
  policies.forEach((p, i) => {
    const pp = `${path}.policies[${i}]`;
    if (p?.type !== 'Pods' && p?.type !== 'Percent') errs.push(notSupported(`${pp}.type`, p?.type ?? '', POLICY_TYPES));
    if (!((p?.value ?? 0) > 0)) errs.push(invalidValue(`${pp}.value`, p?.value ?? 0, 'must be greater than zero'));
    if (!((p?.periodSeconds ?? 0) > 0)) errs.push(invalidValue(`${pp}.periodSeconds`, p?.periodSeconds ?? 0, 'must be greater than zero'));
    if ((p?.periodSeconds ?? 0) > 1800) errs.push(invalidValue(`${pp}.periodSeconds`, p.periodSeconds, 'must be less than or equal to 1800'));
  });
  return errs;
}

/** Upstream's `validateHorizontalPodAutoscalerSpec` (v2 field paths, as the internal type has them). */
export function validateHpaSpec(obj: ApiObject, minReplicasLowerBound = 1): FieldError[] {
  const spec: ApiObject = obj.spec ?? {};
  const errs: FieldError[] = [];
  if (typeof spec.minReplicas === 'number' && spec.minReplicas < minReplicasLowerBound) {
    errs.push(invalidValue('spec.minReplicas', spec.minReplicas, `must be greater than or equal to ${minReplicasLowerBound}`));
  }
  const max = spec.maxReplicas ?? 0;
  if (max < 1) errs.push(invalidValue('spec.maxReplicas', max, 'must be greater than 0'));
  if (typeof spec.minReplicas === 'number' && max < spec.minReplicas) errs.push(invalidValue('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  errs.push(...validateReference(spec.scaleTargetRef, 'spec.scaleTargetRef'));
  const metrics: ApiObject[] = Array.isArray(spec.metrics) ? spec.metrics : [];
  metrics.forEach((m, i) => errs.push(...validateMetric(isObj(m) ? m : {}, `spec.metrics[${i}]`)));
  if (spec.minReplicas === 0 && !metrics.some((m) => m?.type === 'Object' || m?.type === 'External')) {
    errs.push(forbidden('spec.metrics', 'must specify at least one Object or External metric to support scaling to zero replicas'));
  }
  if (isObj(spec.behavior)) {
    errs.push(...validateRules(spec.behavior.scaleUp, 'spec.behavior.scaleUp'), ...validateRules(spec.behavior.scaleDown, 'spec.behavior.scaleDown'));
  }
  return errs;
}

/** A quantity as Quantity.String() prints it; a missing one prints `<nil>`. */
const q = (v: unknown) => (has(v) ? formatQuantity(v) : '<nil>');

/** One metric of the Targets cell, against the status entry at the same position. */
function metricText(spec: ApiObject, status: ApiObject | undefined): string {
  const valueOrAvg = (src: ApiObject | undefined, cur: ApiObject | undefined) => {
    const target: ApiObject = src?.target ?? {};
    if (has(target.averageValue)) {
      const current = cur && has(cur.current?.averageValue) ? q(cur.current.averageValue) : '<unknown>';
      return `${current}/${q(target.averageValue)} (avg)`;
    }
    const current = cur ? q(cur.current?.value) : '<unknown>';
    return `${current}/${q(target.value)}`;
  };
  const resource = (src: ApiObject | undefined, cur: ApiObject | undefined) => {
    const target: ApiObject = src?.target ?? {};
    const name = src?.name ?? '';
    if (has(target.averageValue)) return `${name}: ${cur ? q(cur.current?.averageValue) : '<unknown>'}/${q(target.averageValue)}`;
    const current = cur && has(cur.current?.averageUtilization) ? `${cur.current.averageUtilization}%` : '<unknown>';
    const wanted = has(target.averageUtilization) ? `${target.averageUtilization}%` : '<auto>';
    return `${name}: ${current}/${wanted}`;
  };
  switch (spec.type) {
    case 'External': return valueOrAvg(spec.external, status?.external);
    case 'Object': return valueOrAvg(spec.object, status?.object);
    case 'Pods': return `${status?.pods ? q(status.pods.current?.averageValue) : '<unknown>'}/${q(spec.pods?.target?.averageValue)}`;
    case 'Resource': return resource(spec.resource, status?.resource);
    case 'ContainerResource': return resource(spec.containerResource, status?.containerResource);
    default: return '<unknown type>';
  }
}

/** The Targets cell: the first two metrics as `current/target`, `+ N more...` beyond, `<none>` without metrics. */
export function targetsCell(obj: ApiObject): string {
  const specs: ApiObject[] = Array.isArray(obj.spec?.metrics) ? obj.spec.metrics : [];
  if (specs.length === 0) return '<none>';
  const statuses: ApiObject[] = Array.isArray(obj.status?.currentMetrics) ? obj.status.currentMetrics : [];
  const list = specs.map((s, i) => metricText(isObj(s) ? s : {}, statuses[i]));
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

/** The cells of an autoscaler's Table row (after Name), from its autoscaling/v2 form. */
export function hpaCells(obj: ApiObject, now: number): unknown[] {
  const ref: ApiObject = obj.spec?.scaleTargetRef ?? {};
  return [
    `${ref.kind ?? ''}/${ref.name ?? ''}`,
    targetsCell(obj),
    has(obj.spec?.minReplicas) ? String(obj.spec.minReplicas) : '<unset>',
    obj.spec?.maxReplicas ?? 0,
    obj.status?.currentReplicas ?? 0,
    ageOf(obj.metadata.creationTimestamp, now),
  ];
}

/** The Table columns of autoscalers, in either version. */
export const HPA_COLUMNS = [
  { name: 'Reference', type: 'string' as const, description: 'The object whose scale the autoscaler sets.' },
  { name: 'Targets', type: 'string' as const, description: 'Current and target values of the metrics.' },
  { name: 'MinPods', type: 'string' as const, description: 'The fewest replicas the autoscaler sets.' },
  { name: 'MaxPods', type: 'string' as const, description: 'The most replicas the autoscaler sets.' },
  { name: 'Replicas', type: 'string' as const, description: 'The replicas the target has now.' },
  AGE_COLUMN,
];

/** Upstream's lower bound of minReplicas on update: 0 stays allowed for an autoscaler that already has it. */
function validateHpaUpdate(obj: ApiObject, old: ApiObject): FieldError[] {
  return validateHpaSpec(obj, old.spec?.minReplicas === 0 ? 0 : 1);
}

function validateHpaStatus(obj: ApiObject): FieldError[] {
  return [...validateNonNegative('status.currentReplicas', obj.status?.currentReplicas), ...validateNonNegative('status.desiredReplicas', obj.status?.desiredReplicas)];
}

/** autoscaling/v2 HorizontalPodAutoscaler, the stored version: scales a target by metrics, with a status subresource. */
export const horizontalPodAutoscalersV2: ResourceDefinition = {
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  shortNames: ['hpa'],
  categories: ['all'],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  subresources: ['status'],
  table: { columns: HPA_COLUMNS, cells: hpaCells },
  strategy: {
    defaults: defaultHpaV2,
    prepareForCreate(obj) {
      obj.status = { desiredReplicas: 0, currentMetrics: null };
    },
    prepareForUpdate() {},
    validate: (obj) => validateHpaSpec(obj),
    validateUpdate: validateHpaUpdate,
    validateStatusUpdate: validateHpaStatus,
  },
};
