/**
 * The pod status a kubelet reports, computed from what its runtime says about the pod's sandbox
 * and containers: container statuses, the phase (upstream's getPhase rules), the kubelet-owned
 * conditions (pkg/kubelet/status rules and texts), IPs and start time. Pure functions.
 */
import type { KubeObject } from '../client/object.js';
import { POD_CONDITIONS_BY_KUBELET, POD_REASON, rfc3339 } from './constants.js';
import type { ContainerStatus as RuntimeContainerStatus } from './runtime/runtime.js';

/** What the kubelet knows of one container of the pod. */
export interface ContainerView {
  name: string;
  /** The current instance in the runtime, if one was created. */
  current?: RuntimeContainerStatus;
  /** The previous instance, when the container was restarted. */
  previous?: RuntimeContainerStatus;
  restartCount: number;
  /** Readiness as the (simulated) readiness probe reports it; an init container is ready once it succeeded. */
  ready: boolean;
  /** Whether the startup probe passed (true without one once running). */
  started: boolean;
  /** The waiting reason shown while no instance runs (ContainerCreating, PodInitializing, CrashLoopBackOff). */
  waitingReason?: string;
  waitingMessage?: string;
}

/** What the kubelet knows of the pod. */
export interface PodView {
  sandboxReady: boolean;
  podIps: string[];
  hostIp: string;
  startTime?: number;
  initContainers: ContainerView[];
  containers: ContainerView[];
  /** The kubelet stopped the pod for good (it is being deleted): nothing restarts any more. */
  terminal: boolean;
  /** The runtime's name, the scheme of container IDs (`sim://…`). */
  runtimeName: string;
}

/** `[a b]`: how Go prints a slice of strings in condition messages. */
const goList = (names: string[]): string => `[${names.join(' ')}]`;

/** A restartable ("sidecar") init container. */
export const isSidecar = (c: any): boolean => c?.restartPolicy === 'Always';

function stateOf(cs: RuntimeContainerStatus, runtimeName: string): any {
  if (cs.state === 'CONTAINER_RUNNING') return { running: { startedAt: rfc3339(cs.startedAt) } };
  if (cs.state === 'CONTAINER_EXITED') {
    const t: any = { exitCode: cs.exitCode, reason: cs.reason || (cs.exitCode === 0 ? 'Completed' : 'Error') };
    if (cs.message) t.message = cs.message;
    t.startedAt = rfc3339(cs.startedAt || cs.finishedAt);
    t.finishedAt = rfc3339(cs.finishedAt);
    t.containerID = `${runtimeName}://${cs.id}`;
    return { terminated: t };
  }
  return { waiting: { reason: 'ContainerCreating' } };
}

/** The volume mounts a container status reports (RecursiveReadOnlyMounts is on in v1.32). */
function volumeMountStatuses(spec: any): any[] | undefined {
  const mounts: any[] = Array.isArray(spec?.volumeMounts) ? spec.volumeMounts : [];
  if (mounts.length === 0) return undefined;
  return mounts.map((m) => {
    const s: any = { name: m.name, mountPath: m.mountPath };
    if (m.readOnly) {
      s.readOnly = true;
      s.recursiveReadOnly = 'Disabled';
    }
    return s;
  });
}

/** One entry of status.containerStatuses / initContainerStatuses. */
export function containerStatusJson(spec: any, view: ContainerView, runtimeName: string): any {
  const cs = view.current;
  const out: any = { name: view.name };
  if (!cs) {
    out.state = { waiting: { reason: view.waitingReason ?? 'ContainerCreating', ...(view.waitingMessage ? { message: view.waitingMessage } : {}) } };
    out.lastState = view.previous ? stateOf(view.previous, runtimeName) : {};
    out.ready = false;
    out.restartCount = view.restartCount;
    out.image = spec?.image ?? '';
    out.imageID = '';
    out.started = false;
  } else {
    out.state = stateOf(cs, runtimeName);
    out.lastState = view.previous ? stateOf(view.previous, runtimeName) : {};
    out.ready = view.ready;
    out.restartCount = view.restartCount;
    out.image = cs.image.image;
    out.imageID = cs.imageRef;
    out.containerID = `${runtimeName}://${cs.id}`;
    out.started = cs.state === 'CONTAINER_RUNNING' && view.started;
  }
  const mounts = volumeMountStatuses(spec);
  if (mounts) out.volumeMounts = mounts;
  return out;
}

/** Counts of containers by state, as upstream's getPhase tallies them. */
interface Tally { pendingInit: number; pendingSidecar: number; failedInit: number; unknown: number; running: number; waiting: number; stopped: number; succeeded: number }

function tally(spec: any, init: any[], regular: any[]): Tally {
  const t: Tally = { pendingInit: 0, pendingSidecar: 0, failedInit: 0, unknown: 0, running: 0, waiting: 0, stopped: 0, succeeded: 0 };
  const byName = (list: any[], name: string) => list.find((s) => s.name === name);
  for (const c of spec.initContainers ?? []) {
    const s = byName(init, c.name);
    if (isSidecar(c)) {
      if (!s) t.unknown++;
      else if (s.state.running) { t.running++; if (!s.started) t.pendingSidecar++; }
      else if (s.state.waiting && !s.lastState?.terminated) t.pendingSidecar++;
      continue;
    }
    if (!s || s.state.running) t.pendingInit++;
    else if (s.state.terminated) { if (s.state.terminated.exitCode !== 0) t.failedInit++; }
    else if (s.lastState?.terminated) { if (s.lastState.terminated.exitCode !== 0) t.failedInit++; }
    else t.pendingInit++;
  }
  for (const c of spec.containers ?? []) {
    const s = byName(regular, c.name);
    if (!s) t.unknown++;
    else if (s.state.running) t.running++;
    else if (s.state.terminated) { t.stopped++; if (s.state.terminated.exitCode === 0) t.succeeded++; }
    else if (s.lastState?.terminated) t.stopped++;
    else t.waiting++;
  }
  return t;
}

/** Whether any regular container has started (it runs or ran). */
function anyRegularStarted(regular: any[]): boolean {
  return regular.some((s) => s.state.running || s.state.terminated || s.lastState?.terminated);
}

/** The pod phase from its container statuses, by upstream's rules. */
export function podPhase(spec: any, init: any[], regular: any[], terminal: boolean): string {
  const t = tally(spec, init, regular);
  if (t.failedInit > 0 && spec.restartPolicy === 'Never') return 'Failed';
  if (t.pendingInit > 0 || (t.pendingSidecar > 0 && !anyRegularStarted(regular)) || t.waiting > 0) return 'Pending';
  if (t.running > 0 && t.unknown === 0) return 'Running';
  if (t.running === 0 && t.stopped > 0 && t.unknown === 0) {
    if (terminal) return t.stopped === t.succeeded ? 'Succeeded' : 'Failed';
    if (spec.restartPolicy === 'Always') return 'Running';
    if (t.stopped === t.succeeded) return 'Succeeded';
    if (spec.restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

/** The ContainersReady condition (without times). */
export function containersReadyCondition(spec: any, init: any[], regular: any[], phase: string): any {
  const unknown: string[] = [];
  const unready: string[] = [];
  const check = (c: any, list: any[]) => {
    const s = list.find((x) => x.name === c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  };
  for (const c of spec.initContainers ?? []) if (isSidecar(c)) check(c, init);
  for (const c of spec.containers ?? []) check(c, regular);
  if ((phase === 'Succeeded' && unknown.length === 0) || phase === 'Failed') {
    return { type: 'ContainersReady', status: 'False', reason: phase === 'Failed' ? POD_REASON.podFailed : POD_REASON.podCompleted };
  }
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length) msgs.push(`containers with unready status: ${goList(unready)}`);
  if (msgs.length) return { type: 'ContainersReady', status: 'False', reason: POD_REASON.containersNotReady, message: msgs.join(', ') };
  return { type: 'ContainersReady', status: 'True' };
}

/** The Ready condition: ContainersReady's verdict, then the readiness gates. */
export function readyCondition(spec: any, existing: any[], containersReady: any): any {
  if (containersReady.status !== 'True') {
    const c: any = { type: 'Ready', status: containersReady.status, reason: containersReady.reason };
    if (containersReady.message) c.message = containersReady.message;
    return c;
  }
  const msgs: string[] = [];
  for (const g of spec.readinessGates ?? []) {
    const c = existing.find((x) => x.type === g.conditionType);
    if (!c) msgs.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    else if (c.status !== 'True') msgs.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
  }
  if (msgs.length) return { type: 'Ready', status: 'False', reason: POD_REASON.readinessGatesNotReady, message: msgs.join(', ') };
  return { type: 'Ready', status: 'True' };
}

/** The Initialized condition. */
export function initializedCondition(spec: any, init: any[], regular: any[], phase: string): any {
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of spec.initContainers ?? []) {
    const s = init.find((x) => x.name === c.name);
    if (!s) unknown.push(c.name);
    else if (isSidecar(c) ? !s.started : !(s.state.terminated && s.state.terminated.exitCode === 0)) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'Initialized', status: 'True', reason: POD_REASON.podCompleted };
  if (anyRegularStarted(regular)) return { type: 'Initialized', status: 'True' };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length) msgs.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (msgs.length) return { type: 'Initialized', status: 'False', reason: POD_REASON.containersNotInitialized, message: msgs.join(', ') };
  return { type: 'Initialized', status: 'True' };
}

/**
 * Stamps freshly generated kubelet conditions with times: a condition keeps its
 * lastTransitionTime from `previous` (what the kubelet reported last, or the pod's current
 * conditions) when its status did not change, else gets `now`. lastProbeTime is null, as the
 * kubelet never sets it.
 */
export function stampConditions(previous: any[], generated: any[], now: number): any[] {
  return generated.map((g) => {
    const old = previous.find((c) => c.type === g.type);
    const lastTransitionTime = old && old.status === g.status && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(now);
    const c: any = { type: g.type, status: g.status, lastProbeTime: null, lastTransitionTime };
    if (g.reason) c.reason = g.reason;
    if (g.message) c.message = g.message;
    return c;
  });
}

/** Whether a pod condition type is one the kubelet owns (and reports). */
export const isKubeletCondition = (type: string): boolean => POD_CONDITIONS_BY_KUBELET.includes(type);

/**
 * The part of the pod status the kubelet reports for `pod` at `now`: phase, the kubelet-owned
 * conditions, IPs, start time and container statuses (qosClass and other components'
 * conditions are left to their owners). Transition times carry over from `previousConditions`
 * (default: the pod's current conditions). A pod whose API phase is already terminal keeps it:
 * the kubelet never moves a pod out of Succeeded or Failed.
 */
export function generatePodStatus(pod: KubeObject, view: PodView, now: number, previousConditions?: any[]): any {
  const spec = pod.spec ?? {};
  const specOf = (list: any[], name: string) => (list ?? []).find((c: any) => c.name === name);
  const init = view.initContainers.map((v) => containerStatusJson(specOf(spec.initContainers, v.name), v, view.runtimeName));
  const regular = view.containers.map((v) => containerStatusJson(specOf(spec.containers, v.name), v, view.runtimeName));
  const apiPhase = pod.status?.phase;
  const phase = apiPhase === 'Succeeded' || apiPhase === 'Failed' ? apiPhase : podPhase(spec, init, regular, view.terminal);
  const current: any[] = Array.isArray(pod.status?.conditions) ? pod.status.conditions : [];
  const cr = containersReadyCondition(spec, init, regular, phase);
  const generated = [
    { type: 'PodReadyToStartContainers', status: view.sandboxReady ? 'True' : 'False' },
    initializedCondition(spec, init, regular, phase),
    readyCondition(spec, current, cr),
    cr,
    { type: 'PodScheduled', status: 'True' },
  ];
  const status: any = { phase, conditions: stampConditions(previousConditions ?? current, generated, now) };
  status.hostIP = view.hostIp;
  status.hostIPs = [{ ip: view.hostIp }];
  if (view.podIps.length) {
    status.podIP = view.podIps[0];
    status.podIPs = view.podIps.map((ip) => ({ ip }));
  }
  if (view.startTime !== undefined) status.startTime = rfc3339(view.startTime);
  if (init.length) status.initContainerStatuses = init;
  status.containerStatuses = regular;
  return status;
}
