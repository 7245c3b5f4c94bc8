/**
 * Conversion of HorizontalPodAutoscalers between autoscaling/v1 (served) and autoscaling/v2
 * (stored), as upstream converts through its internal type: v1 holds only a CPU utilization
 * target; every other metric, the current metrics, the conditions and the behavior ride along in
 * `autoscaling.alpha.kubernetes.io/*` annotations, in v1's metric shapes (the behavior in the
 * internal type's Go field names, as upstream marshals it). Reading v1 turns those annotations back
 * into fields and drops them.
 */
import { formatQuantity } from '../printing.js';
import type { ApiObject } from '../resource.js';
import { DEFAULT_CPU_UTILIZATION } from './hpa-v2.js';
import { isApiObject as isObj } from '../resource.js';

/** The annotations v1 carries what it cannot express in. */
export const HPA_ANNOTATIONS = {
  metrics: 'autoscaling.alpha.kubernetes.io/metrics',
  currentMetrics: 'autoscaling.alpha.kubernetes.io/current-metrics',
  conditions: 'autoscaling.alpha.kubernetes.io/conditions',
  behavior: 'autoscaling.alpha.kubernetes.io/behavior',
} as const;

const ROUND_TRIP = new Set<string>(Object.values(HPA_ANNOTATIONS));

const has = (v: unknown): boolean => v !== undefined && v !== null;

/** Builds an object with the entries whose value is present, in the order given (Go's omitempty). */
function compact(entries: Array<[string, unknown, boolean?]>): ApiObject {
  const out: ApiObject = {};
  for (const [k, v, always] of entries) if (always || has(v)) out[k] = v;
  return out;
}

const quantity = (v: unknown): string | undefined => (has(v) ? formatQuantity(v) : undefined);
const ref = (r: unknown): ApiObject => {
  const x: ApiObject = isObj(r) ? r : {};
  return compact([['kind', x.kind ?? '', true], ['name', x.name ?? '', true], ['apiVersion', x.apiVersion || undefined]]);
};

// ---------------------------------------------------------------------------------------------
// v2 → v1 metric shapes (for the annotations).

function metricSpecToV1(m: ApiObject): ApiObject {
  const out: ApiObject = { type: m.type };
  if (isObj(m.object)) {
    const t: ApiObject = m.object.target ?? {};
    out.object = compact([['target', ref(m.object.describedObject), true], ['metricName', m.object.metric?.name ?? '', true],
      ['targetValue', quantity(t.value) ?? '0', true], ['selector', m.object.metric?.selector], ['averageValue', quantity(t.averageValue)]]);
  }
  if (isObj(m.pods)) {
    out.pods = compact([['metricName', m.pods.metric?.name ?? '', true], ['targetAverageValue', quantity(m.pods.target?.averageValue) ?? '0', true],
      ['selector', m.pods.metric?.selector]]);
  }
  if (isObj(m.resource)) {
    const t: ApiObject = m.resource.target ?? {};
    out.resource = compact([['name', m.resource.name ?? '', true], ['targetAverageUtilization', t.averageUtilization], ['targetAverageValue', quantity(t.averageValue)]]);
  }
  if (isObj(m.containerResource)) {
    const t: ApiObject = m.containerResource.target ?? {};
    out.containerResource = compact([['name', m.containerResource.name ?? '', true], ['targetAverageUtilization', t.averageUtilization],
      ['targetAverageValue', quantity(t.averageValue)], ['container', m.containerResource.container ?? '', true]]);
  }
  if (isObj(m.external)) {
    const t: ApiObject = m.external.target ?? {};
    out.external = compact([['metricName', m.external.metric?.name ?? '', true], ['metricSelector', m.external.metric?.selector],
      ['targetValue', quantity(t.value)], ['targetAverageValue', quantity(t.averageValue)]]);
  }
  return out;
}

function metricStatusToV1(m: ApiObject): ApiObject {
  const out: ApiObject = { type: m.type };
  if (isObj(m.object)) {
    const c: ApiObject = m.object.current ?? {};
    out.object = compact([['target', ref(m.object.describedObject), true], ['metricName', m.object.metric?.name ?? '', true],
      ['currentValue', quantity(c.value) ?? '0', true], ['selector', m.object.metric?.selector], ['averageValue', quantity(c.averageValue)]]);
  }
  if (isObj(m.pods)) {
    out.pods = compact([['metricName', m.pods.metric?.name ?? '', true], ['currentAverageValue', quantity(m.pods.current?.averageValue) ?? '0', true],
      ['selector', m.pods.metric?.selector]]);
  }
  if (isObj(m.resource)) {
    const c: ApiObject = m.resource.current ?? {};
    out.resource = compact([['name', m.resource.name ?? '', true], ['currentAverageUtilization', c.averageUtilization], ['currentAverageValue', quantity(c.averageValue) ?? '0', true]]);
  }
  if (isObj(m.containerResource)) {
    const c: ApiObject = m.containerResource.current ?? {};
    out.containerResource = compact([['name', m.containerResource.name ?? '', true], ['currentAverageUtilization', c.averageUtilization],
      ['currentAverageValue', quantity(c.averageValue) ?? '0', true], ['container', m.containerResource.container ?? '', true]]);
  }
  if (isObj(m.external)) {
    const c: ApiObject = m.external.current ?? {};
    out.external = compact([['metricName', m.external.metric?.name ?? '', true], ['metricSelector', m.external.metric?.selector],
      ['currentValue', quantity(c.value) ?? '0', true], ['currentAverageValue', quantity(c.averageValue)]]);
  }
  return out;
}

function conditionToV1(c: ApiObject): ApiObject {
  return compact([['type', c.type ?? '', true], ['status', c.status ?? '', true], ['lastTransitionTime', c.lastTransitionTime ?? null, true],
    ['reason', c.reason || undefined], ['message', c.message || undefined]]);
}

/** Scaling rules with the internal type's (untagged) Go field names. */
function rulesToGo(r: unknown): ApiObject | null {
  if (!isObj(r)) return null;
  return {
    StabilizationWindowSeconds: r.stabilizationWindowSeconds ?? null,
    SelectPolicy: r.selectPolicy ?? null,
    Policies: Array.isArray(r.policies) ? r.policies.map((p: ApiObject) => ({ Type: p?.type ?? '', Value: p?.value ?? 0, PeriodSeconds: p?.periodSeconds ?? 0 })) : null,
  };
}

function rulesFromGo(r: unknown): ApiObject | undefined {
  if (!isObj(r)) return undefined;
  return compact([['stabilizationWindowSeconds', r.StabilizationWindowSeconds], ['selectPolicy', r.SelectPolicy],
    ['policies', Array.isArray(r.Policies) ? r.Policies.map((p: ApiObject) => ({ type: p?.Type, value: p?.Value, periodSeconds: p?.PeriodSeconds })) : undefined]]);
}

const isCpuUtilization = (m: ApiObject) => m?.type === 'Resource' && isObj(m.resource) && m.resource.name === 'cpu' && has(m.resource.target?.averageUtilization);

/** An autoscaling/v2 autoscaler in its autoscaling/v1 form. */
export function hpaV2ToV1(obj: ApiObject): ApiObject {
  const spec: ApiObject = obj.spec ?? {};
  const status: ApiObject = obj.status ?? {};
  const metadata: ApiObject = { ...(obj.metadata ?? {}) };
  const annotations: Record<string, string> = Object.fromEntries(Object.entries(metadata.annotations ?? {}).filter(([k]) => !ROUND_TRIP.has(k))) as Record<string, string>;
  const metrics: ApiObject[] = Array.isArray(spec.metrics) ? spec.metrics : [];
  const other = metrics.filter((m) => !isCpuUtilization(m)).map(metricSpecToV1);
  const current: ApiObject[] = Array.isArray(status.currentMetrics) ? status.currentMetrics : [];
  const conditions: ApiObject[] = Array.isArray(status.conditions) ? status.conditions : [];
  if (other.length > 0) annotations[HPA_ANNOTATIONS.metrics] = JSON.stringify(other);
  if (current.length > 0) annotations[HPA_ANNOTATIONS.currentMetrics] = JSON.stringify(current.map(metricStatusToV1));
  if (isObj(spec.behavior)) annotations[HPA_ANNOTATIONS.behavior] = JSON.stringify({ ScaleUp: rulesToGo(spec.behavior.scaleUp), ScaleDown: rulesToGo(spec.behavior.scaleDown) });
  if (conditions.length > 0) annotations[HPA_ANNOTATIONS.conditions] = JSON.stringify(conditions.map(conditionToV1));
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  const cpu = metrics.find(isCpuUtilization);
  let currentCpu: unknown;
  for (const m of current) if (m?.type === 'Resource' && m.resource?.name === 'cpu' && has(m.resource.current?.averageUtilization)) currentCpu = m.resource.current.averageUtilization;
  return {
    kind: 'HorizontalPodAutoscaler',
    apiVersion: 'autoscaling/v1',
    metadata,
    spec: compact([['scaleTargetRef', ref(spec.scaleTargetRef), true], ['minReplicas', spec.minReplicas], ['maxReplicas', spec.maxReplicas ?? 0, true],
      ['targetCPUUtilizationPercentage', cpu?.resource?.target?.averageUtilization]]),
    status: compact([['observedGeneration', status.observedGeneration], ['lastScaleTime', status.lastScaleTime], ['currentReplicas', status.currentReplicas ?? 0, true],
      ['desiredReplicas', status.desiredReplicas ?? 0, true], ['currentCPUUtilizationPercentage', currentCpu]]),
  };
}

// ---------------------------------------------------------------------------------------------
// v1 → v2.

const metric = (name: unknown, selector: unknown) => compact([['name', name ?? '', true], ['selector', selector]]);

function metricSpecFromV1(m: ApiObject): ApiObject {
  const out: ApiObject = { type: m.type };
  if (isObj(m.object)) {
    const o = m.object;
    out.object = {
      describedObject: ref(o.target),
      target: compact([['type', has(o.averageValue) ? 'AverageValue' : 'Value', true], ['value', o.targetValue ?? '0', true], ['averageValue', o.averageValue]]),
      metric: metric(o.metricName, o.selector),
    };
  }
  if (isObj(m.pods)) out.pods = { metric: metric(m.pods.metricName, m.pods.selector), target: { type: 'AverageValue', averageValue: m.pods.targetAverageValue ?? '0' } };
  for (const f of ['resource', 'containerResource']) {
    if (!isObj(m[f])) continue;
    const r = m[f];
    const target = compact([['type', has(r.targetAverageUtilization) ? 'Utilization' : 'AverageValue', true], ['averageValue', r.targetAverageValue], ['averageUtilization', r.targetAverageUtilization]]);
    out[f] = f === 'resource' ? { name: r.name ?? '', target } : { name: r.name ?? '', target, container: r.container ?? '' };
  }
  if (isObj(m.external)) {
    const e = m.external;
    out.external = {
      metric: metric(e.metricName, e.metricSelector),
      target: compact([['type', has(e.targetValue) ? 'Value' : 'AverageValue', true], ['value', e.targetValue], ['averageValue', e.targetAverageValue]]),
    };
  }
  return out;
}

function metricStatusFromV1(m: ApiObject): ApiObject {
  const out: ApiObject = { type: m.type };
  if (isObj(m.object)) {
    const o = m.object;
    out.object = { metric: metric(o.metricName, o.selector), current: compact([['value', o.currentValue ?? '0', true], ['averageValue', o.averageValue]]), describedObject: ref(o.target) };
  }
  if (isObj(m.pods)) out.pods = { metric: metric(m.pods.metricName, m.pods.selector), current: { averageValue: m.pods.currentAverageValue ?? '0' } };
  for (const f of ['resource', 'containerResource']) {
    if (!isObj(m[f])) continue;
    const r = m[f];
    const current = compact([['averageValue', r.currentAverageValue ?? '0', true], ['averageUtilization', r.currentAverageUtilization]]);
    out[f] = f === 'resource' ? { name: r.name ?? '', current } : { name: r.name ?? '', current, container: r.container ?? '' };
  }
  if (isObj(m.external)) {
    const e = m.external;
    out.external = { metric: metric(e.metricName, e.metricSelector), current: compact([['value', e.currentValue ?? '0', true], ['averageValue', e.currentAverageValue]]) };
  }
  return out;
}

function parseList(text: unknown): ApiObject[] | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An autoscaling/v1 autoscaler in its autoscaling/v2 form, after v1's defaulting (min replicas 1).
 * Without any metric it gets the CPU utilization target v1 always implied (80%).
 */
export function hpaV1ToV2(obj: ApiObject): ApiObject {
  const spec: ApiObject = obj.spec ?? {};
  const status: ApiObject = obj.status ?? {};
  const metadata: ApiObject = { ...(obj.metadata ?? {}) };
  const given: Record<string, string> = isObj(metadata.annotations) ? metadata.annotations : {};
  let metrics: ApiObject[] = has(spec.targetCPUUtilizationPercentage)
    ? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } }] : [];
  const other = parseList(given[HPA_ANNOTATIONS.metrics]);
  if (other) metrics = [...other.map(metricSpecFromV1), ...metrics.slice(0, 1)];
  let behavior: ApiObject | undefined;
  if (typeof given[HPA_ANNOTATIONS.behavior] === 'string') {
    try {
      const b = JSON.parse(given[HPA_ANNOTATIONS.behavior]);
      if (isObj(b) && (isObj(b.ScaleUp) || isObj(b.ScaleDown))) behavior = compact([['scaleUp', rulesFromGo(b.ScaleUp)], ['scaleDown', rulesFromGo(b.ScaleDown)]]);
    } catch { /* an unreadable annotation is ignored, as upstream ignores it */ }
  }
  let currentMetrics: ApiObject[] | null = has(status.currentCPUUtilizationPercentage)
    ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }] : null;
  const current = parseList(given[HPA_ANNOTATIONS.currentMetrics]);
  if (current) currentMetrics = current.map(metricStatusFromV1);
  if (metrics.length === 0) metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  const conditions = parseList(given[HPA_ANNOTATIONS.conditions])?.map((c) => compact([['type', c?.type ?? '', true], ['status', c?.status ?? '', true],
    ['lastTransitionTime', c?.lastTransitionTime], ['reason', c?.reason || undefined], ['message', c?.message || undefined]]));
  const kept = Object.fromEntries(Object.entries(given).filter(([k]) => !ROUND_TRIP.has(k)));
  if (Object.keys(kept).length > 0) metadata.annotations = kept;
  else delete metadata.annotations;
  return {
    kind: 'HorizontalPodAutoscaler',
    apiVersion: 'autoscaling/v2',
    metadata,
    spec: compact([['scaleTargetRef', ref(spec.scaleTargetRef), true], ['minReplicas', spec.minReplicas ?? 1], ['maxReplicas', spec.maxReplicas ?? 0, true],
      ['metrics', metrics], ['behavior', behavior]]),
    status: compact([['observedGeneration', status.observedGeneration], ['lastScaleTime', status.lastScaleTime], ['currentReplicas', status.currentReplicas || undefined],
      ['desiredReplicas', status.desiredReplicas ?? 0, true], ['currentMetrics', currentMetrics, true], ['conditions', conditions]]),
  };
}
