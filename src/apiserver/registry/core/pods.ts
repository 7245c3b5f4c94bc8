import { isDeepStrictEqual } from 'node:util';
import type { FieldError } from '../../../machinery/status.js';
import { invalidValue, requiredValue, validateDns1123Subdomain, validateQualifiedName } from '../../../machinery/validation.js';
import { ageOf } from '../../../machinery/duration.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { noneIfEmpty } from '../printing.js';
import {
  defaultPodOnlyFields, defaultPodSpec, describeChanges, forbidden, inclusiveRange, parseQuantity, validatePodSpec,
} from './pod-spec.js';
import { isApiObject as isObj } from '../resource.js';

const listOf = (v: unknown): ApiObject[] => (Array.isArray(v) ? v.filter(isObj) : []);
const MAX_INT32 = 2147483647;

// ---------------------------------------------------------------------------------------------
// Status on create.

/** The QoS class upstream derives from the containers' cpu and memory requests and limits. */
export function podQosClass(spec: ApiObject): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const c of [...listOf(spec.containers), ...listOf(spec.initContainers)]) {
    const res = isObj(c.resources) ? c.resources : {};
    for (const [name, q] of Object.entries(isObj(res.requests) ? res.requests : {})) {
      const v = parseQuantity(q);
      if ((name === 'cpu' || name === 'memory') && v !== undefined && v > 0) requests.set(name, (requests.get(name) ?? 0) + v);
    }
    const found = new Set<string>();
    for (const [name, q] of Object.entries(isObj(res.limits) ? res.limits : {})) {
      const v = parseQuantity(q);
      if ((name === 'cpu' || name === 'memory') && v !== undefined && v > 0) {
        found.add(name);
        limits.set(name, (limits.get(name) ?? 0) + v);
      }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, v] of requests) if (limits.get(name) !== v) { guaranteed = false; break; }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

// ---------------------------------------------------------------------------------------------
// Validation.

function validatePod(pod: ApiObject): FieldError[] {
  const spec = isObj(pod.spec) ? pod.spec : {};
  const errs = validatePodSpec(spec, 'spec');
  // A pod's host ports must equal its container ports on the host network.
  if (spec.hostNetwork === true) {
    listOf(spec.containers).forEach((c, i) => listOf(c.ports).forEach((p, j) => {
      if ((p.hostPort ?? 0) !== p.containerPort) {
        errs.push(invalidValue(`spec.containers[${i}].ports[${j}].hostPort`, p.hostPort ?? 0, 'must match `containerPort` when `hostNetwork` is true'));
      }
    }));
  }
  if (!spec.serviceAccountName) {
    listOf(spec.volumes).forEach((v, i) => {
      if (!isObj(v.projected)) return;
      listOf(v.projected.sources).forEach((s, j) => {
        if (isObj(s.serviceAccountToken)) {
          errs.push(forbidden(`spec.volumes[${i}].projected.sources[${j}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
        }
      });
    });
  }
  for (const field of ['containers', 'initContainers']) {
    listOf(spec[field]).forEach((c, i) => {
      if (typeof c.image === 'string' && c.image.trim() !== c.image) {
        errs.push(invalidValue(`spec.${field}[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
      }
    });
  }
  return errs;
}

function validatePodCreate(pod: ApiObject): FieldError[] {
  const errs = validatePod(pod);
  const spec = isObj(pod.spec) ? pod.spec : {};
  if (Array.isArray(spec.ephemeralContainers) && spec.ephemeralContainers.length > 0) {
    errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  }
  if (spec.nodeName && Array.isArray(spec.schedulingGates) && spec.schedulingGates.length > 0) {
    errs.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

/** The pod spec fields an update may change, as upstream's message lists them. */
export const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function validateContainerUpdates(now: ApiObject[], before: ApiObject[], path: string): { errs: FieldError[]; stop: boolean } {
  if (now.length !== before.length) return { errs: [forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  now.forEach((c, i) => {
    if (!c.image) errs.push(requiredValue(`${path}[${i}].image`));
    if (typeof c.image === 'string' && c.image.trim() !== c.image) errs.push(invalidValue(`${path}[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

function withoutSeconds(t: ApiObject): ApiObject {
  const { tolerationSeconds: _ignored, ...rest } = t;
  return rest;
}

function validatePodUpdate(pod: ApiObject, old: ApiObject): FieldError[] {
  const errs = validatePod(pod);
  const spec: ApiObject = isObj(pod.spec) ? pod.spec : {};
  const oldSpec: ApiObject = isObj(old.spec) ? old.spec : {};
  for (const field of ['containers', 'initContainers']) {
    const r = validateContainerUpdates(listOf(spec[field]), listOf(oldSpec[field]), `spec.${field}`);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null) {
    if (typeof ads !== 'number' || ads < 0 || ads > MAX_INT32) {
      errs.push(invalidValue('spec.activeDeadlineSeconds', ads, inclusiveRange(0, MAX_INT32)));
      return errs;
    }
    if (typeof oldSpec.activeDeadlineSeconds === 'number' && oldSpec.activeDeadlineSeconds < ads) {
      errs.push(invalidValue('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (oldSpec.activeDeadlineSeconds !== undefined && oldSpec.activeDeadlineSeconds !== null) {
    errs.push(invalidValue('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  // Tolerations may only be added (existing ones may change their tolerationSeconds).
  const newTolerations = listOf(spec.tolerations);
  for (const t of listOf(oldSpec.tolerations)) {
    if (!newTolerations.some((n) => isDeepStrictEqual(withoutSeconds(n), withoutSeconds(t)))) {
      errs.push(forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
      break;
    }
  }
  // Scheduling gates may only be removed.
  const oldGates = new Set(listOf(oldSpec.schedulingGates).map((g) => g.name));
  listOf(spec.schedulingGates).forEach((g, i) => {
    if (!oldGates.has(g.name)) errs.push(forbidden(`spec.schedulingGates[${i}].name`, `only deletion is allowed, but found new scheduling gate '${String(g.name)}'`));
  });
  if (isDeepStrictEqual(spec, oldSpec)) return errs;
  // Undo the changes an update may make, then anything left over is forbidden.
  const munged: ApiObject = structuredClone(spec);
  for (const field of ['containers', 'initContainers']) {
    const before = listOf(oldSpec[field]);
    listOf(munged[field]).forEach((c, i) => { c.image = before[i]?.image; });
  }
  if (oldSpec.activeDeadlineSeconds === undefined) delete munged.activeDeadlineSeconds;
  else munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  for (const field of ['schedulingGates', 'tolerations']) {
    if (oldSpec[field] === undefined) delete munged[field];
    else munged[field] = oldSpec[field];
  }
  if (typeof oldSpec.terminationGracePeriodSeconds === 'number' && oldSpec.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  }
  if (!isDeepStrictEqual(munged, oldSpec)) {
    errs.push(forbidden('spec', `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${describeChanges(oldSpec, munged)}`));
  }
  return errs;
}

function validatePodStatusUpdate(pod: ApiObject, old: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  const status: ApiObject = isObj(pod.status) ? pod.status : {};
  const oldStatus: ApiObject = isObj(old.status) ? old.status : {};
  const system = new Set(['PodScheduled', 'Ready', 'Initialized']);
  listOf(status.conditions).forEach((c, i) => {
    if (!system.has(c.type)) errs.push(...validateQualifiedName(`metadata.conditions[${i}].Type`, String(c.type ?? '')));
  });
  if (status.nominatedNodeName && status.nominatedNodeName !== oldStatus.nominatedNodeName) {
    errs.push(...validateDns1123Subdomain('status.nominatedNodeName', String(status.nominatedNodeName)));
  }
  if ((status.qosClass ?? '') !== (oldStatus.qosClass ?? '')) errs.push(invalidValue('status.qosClass', status.qosClass ?? '', 'field is immutable'));
  const restartPolicy = old.spec?.restartPolicy;
  if (restartPolicy !== 'Always') {
    listOf(oldStatus.containerStatuses).forEach((o, i) => {
      const term = o.state?.terminated;
      if (!isObj(term)) return;
      if ((term.exitCode ?? 0) !== 0 && restartPolicy === 'OnFailure') return;
      for (const n of listOf(status.containerStatuses)) {
        if (n.name === o.name && !isObj(n.state?.terminated)) errs.push(forbidden(`status.containerStatuses[${i}].state`, 'may not be transitioned to non-terminated state'));
      }
    });
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Table.

const isRestartableInit = (c: ApiObject | undefined) => c?.restartPolicy === 'Always';
const isTerminalPhase = (phase: unknown) => phase === 'Succeeded' || phase === 'Failed';

/** Later of two RFC 3339 timestamps (either may be absent). */
function later(a: string | undefined, b: unknown): string | undefined {
  if (typeof b !== 'string' || !b) return a;
  if (!a) return b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/**
 * The Ready, Status and Restarts cells of a pod as upstream's printer computes them: the phase or
 * status reason, overridden by init container progress (`Init:1/2`, `Init:CrashLoopBackOff`), by a
 * waiting or terminated container's reason (`ContainerCreating`, `Completed`, `ExitCode:1`), by
 * `SchedulingGated`, `Terminating` or `Unknown` (NodeLost); restarts with the time of the last one.
 */
export function podStatusCells(pod: ApiObject, now: number): { ready: string; status: string; restarts: string } {
  const spec: ApiObject = isObj(pod.spec) ? pod.spec : {};
  const st: ApiObject = isObj(pod.status) ? pod.status : {};
  const initSpecs = new Map<string, ApiObject>(listOf(spec.initContainers).map((c) => [String(c.name), c]));
  const total = listOf(spec.containers).length + listOf(spec.initContainers).filter(isRestartableInit).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: string | undefined;
  let lastSidecarRestart: string | undefined;
  const phase = typeof st.phase === 'string' ? st.phase : '';
  let reason = st.reason ? String(st.reason) : phase;
  for (const c of listOf(st.conditions)) if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses = listOf(st.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += Number(c.restartCount ?? 0);
    const lastTerm = c.lastState?.terminated;
    if (isObj(lastTerm)) lastRestart = later(lastRestart, lastTerm.finishedAt);
    const sidecar = isRestartableInit(initSpecs.get(String(c.name)));
    if (sidecar) {
      sidecarRestarts += Number(c.restartCount ?? 0);
      if (isObj(lastTerm)) lastSidecarRestart = later(lastSidecarRestart, lastTerm.finishedAt);
    }
    const term = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (isObj(term) && (term.exitCode ?? 0) === 0) continue;
    if (sidecar && c.started === true) {
      if (c.ready === true) ready++;
      continue;
    }
    if (isObj(term)) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode ?? 0}`;
      else reason = `Init:${term.reason}`;
    } else if (isObj(waiting) && waiting.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${listOf(spec.initContainers).length}`;
    }
    initializing = true;
    break;
  }

  const initialized = listOf(st.conditions).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = listOf(st.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += Number(c.restartCount ?? 0);
      const lastTerm = c.lastState?.terminated;
      if (isObj(lastTerm)) lastRestart = later(lastRestart, lastTerm.finishedAt);
      const waiting = c.state?.waiting;
      const term = c.state?.terminated;
      if (isObj(waiting) && waiting.reason) reason = String(waiting.reason);
      else if (isObj(term) && term.reason) reason = String(term.reason);
      else if (isObj(term)) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode ?? 0}`;
      else if (c.ready === true && isObj(c.state?.running)) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = listOf(st.conditions).some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata?.deletionTimestamp && st.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && !isTerminalPhase(phase)) reason = 'Terminating';

  const restartsText = restarts !== 0 && lastRestart ? `${restarts} (${ageOf(lastRestart, now)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsText };
}

function readinessGatesCell(pod: ApiObject): string {
  const gates = listOf(pod.spec?.readinessGates);
  if (gates.length === 0) return '<none>';
  const conditions = listOf(pod.status?.conditions);
  let trueCount = 0;
  for (const g of gates) {
    const c = conditions.find((x) => x.type === g.conditionType);
    if (c && c.status === 'True') trueCount++;
  }
  return `${trueCount}/${gates.length}`;
}

// ---------------------------------------------------------------------------------------------
// The resource.

/**
 * Keeps the single and plural IP fields of a pod status in step, as upstream's conversion does:
 * a lone `podIP` becomes the first of `podIPs`, and `podIP` always shows the first of `podIPs`.
 */
function syncIps(status: ApiObject, single: string, plural: string): void {
  if (listOf(status[plural]).length === 0 && typeof status[single] === 'string' && status[single] !== '') status[plural] = [{ ip: status[single] }];
  const first = listOf(status[plural])[0];
  if (first && typeof first.ip === 'string') status[single] = first.ip;
}

/** The scheduling condition upstream records on a pod created with scheduling gates. */
function schedulingGatedCondition(): ApiObject {
  return { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: null, reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' };
}

/** core/v1 Pod: containers scheduled together onto a node; graceful deletion once bound. */
export const pods: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  shortNames: ['po'],
  categories: ['all'],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: true,
  subresources: ['status', 'binding'],
  table: {
    columns: [
      { name: 'Ready', type: 'string', description: 'How many of the pod\'s containers are ready, out of how many.' },
      { name: 'Status', type: 'string', description: 'A summary of the pod\'s phase and its containers\' states.' },
      { name: 'Restarts', type: 'string', description: 'How often the pod\'s containers restarted, and how long ago the last restart was.' },
      { name: 'Age', type: 'string', description: 'Time since the object was created (metadata.creationTimestamp).' },
      { name: 'IP', type: 'string', priority: 1, description: 'The first IP address assigned to the pod.' },
      { name: 'Node', type: 'string', priority: 1, description: 'The node the pod is bound to.' },
      { name: 'Nominated Node', type: 'string', priority: 1, description: 'The node the scheduler has nominated for the pod after preemption.' },
      { name: 'Readiness Gates', type: 'string', priority: 1, description: 'How many of the pod\'s readiness gates are met, out of how many.' },
    ],
    cells(obj, now) {
      const s = podStatusCells(obj, now);
      const ips = listOf(obj.status?.podIPs);
      return [
        s.ready, s.status, s.restarts, ageOf(obj.metadata?.creationTimestamp, now),
        noneIfEmpty(ips[0]?.ip), noneIfEmpty(obj.spec?.nodeName), noneIfEmpty(obj.status?.nominatedNodeName), readinessGatesCell(obj),
      ];
    },
  },
  strategy: {
    defaults(obj) {
      if (!isObj(obj.spec)) obj.spec = {};
      defaultPodSpec(obj.spec);
      defaultPodOnlyFields(obj.spec);
      if (isObj(obj.status)) {
        syncIps(obj.status, 'podIP', 'podIPs');
        syncIps(obj.status, 'hostIP', 'hostIPs');
      }
    },
    prepareForCreate(obj) {
      const spec: ApiObject = isObj(obj.spec) ? obj.spec : {};
      obj.status = { phase: 'Pending', qosClass: podQosClass(spec) };
      if (Array.isArray(spec.schedulingGates) && spec.schedulingGates.length > 0) obj.status.conditions = [schedulingGatedCondition()];
    },
    prepareForUpdate(obj, old) {
      obj.status = old.status;
      if (obj.status === undefined) delete obj.status;
    },
    validate: validatePodCreate,
    validateUpdate: validatePodUpdate,
    prepareForStatusUpdate(obj, old) {
      // The node a pod runs on is set through binding only.
      obj.spec = old.spec;
    },
    validateStatusUpdate: validatePodStatusUpdate,
    gracePeriod(obj, requested) {
      let period = requested ?? (typeof obj.spec?.terminationGracePeriodSeconds === 'number' ? obj.spec.terminationGracePeriodSeconds : 0);
      if (!obj.spec?.nodeName) period = 0;
      if (isTerminalPhase(obj.status?.phase)) period = 0;
      if (period < 0) period = 1;
      return period;
    },
    fieldSelectorFields: (obj) => ({
      'spec.nodeName': obj.spec?.nodeName ?? '',
      'spec.restartPolicy': obj.spec?.restartPolicy ?? '',
      'spec.schedulerName': obj.spec?.schedulerName ?? '',
      'spec.serviceAccountName': obj.spec?.serviceAccountName ?? '',
      'spec.hostNetwork': String(obj.spec?.hostNetwork === true),
      'status.phase': obj.status?.phase ?? '',
      'status.podIP': listOf(obj.status?.podIPs)[0]?.ip ?? obj.status?.podIP ?? '',
      // Accepted as a selector field but never set: it matches only the empty value.
      'status.podIPs': '',
      'status.nominatedNodeName': obj.status?.nominatedNodeName ?? '',
    }),
  },
};
