import { runBindingCycle } from './binding-cycle.js';
import type { SchedulerCore } from './core.js';
import { MAX_NODES_PER_REASON, type DecisionRecord, type FilterRecord } from './decisions.js';
import { handleSchedulingFailure } from './failure.js';
import { findNodesThatFitPod } from './find-nodes.js';
import { runPermitPlugins, runReservePluginsReserve, runReservePluginsUnreserve } from './framework/binding-phase.js';
import { CycleState } from './framework/cycle-state.js';
import { Diagnosis, fitErrorMessage, NO_NODES_AVAILABLE, NodeToStatus } from './framework/node-to-status.js';
import type { PodInfo } from './framework/pod-info.js';
import { Code, type Status } from './framework/status.js';
import { prioritizeAndSelect } from './prioritize.js';
import type { QueuedPodInfo } from './queue/scheduling-queue.js';

/**
 * One scheduling cycle for a popped pod, synchronously: skip deleted or assumed pods; find
 * the feasible nodes; on none run PostFilter and report upstream's FitError message; else
 * score, pick the host, assume the pod there, run Reserve and Permit, and start the binding
 * cycle in the background. Nothing here talks to the API server except through the
 * fire-and-forget failure reporting.
 */
export function scheduleOne(core: SchedulerCore, q: QueuedPodInfo): void {
  const pod = q.podInfo;
  const cycle = core.queue.schedulingCycle;
  if (pod.pod.metadata.deletionTimestamp) {
    core.api.event(pod.pod, 'Warning', 'FailedScheduling', `skip schedule deleting pod: ${pod.namespace}/${pod.name}`);
    core.queue.done(pod.key);
    return;
  }
  if (core.cache.isAssumed(pod.key)) {
    core.queue.done(pod.key);
    return;
  }
  core.stats.attempts++;
  const decision = startDecision(core, q);
  const state = new CycleState();
  let host: string;
  try {
    const chosen = chooseHost(core, state, pod, decision);
    if (typeof chosen !== 'string') {
      failAttempt(core, q, cycle, decision, chosen);
      return;
    }
    host = chosen;
  } catch (err) {
    failAttempt(core, q, cycle, decision, { reason: 'SchedulerError', message: (err as Error)?.message ?? String(err) });
    return;
  }
  const assumed = core.cache.assumePod(pod, host);
  const fw = core.framework;
  const reserved = runReservePluginsReserve(fw, state, assumed, host) ?? runPermitPlugins(fw, state, assumed, host);
  if (reserved && reserved.code !== Code.Wait) {
    runReservePluginsUnreserve(fw, state, assumed, host);
    core.cache.forgetPod(pod.key);
    failAttempt(core, q, cycle, decision, rejectionOnHost(reserved, host));
    return;
  }
  decision.result = 'Binding';
  decision.node = host;
  core.decisions.put(decision);
  void runBindingCycle(core, state, q, assumed, host, cycle, decision);
}

/** A failure to report: rejected (with the plugins that rejected) or an error. */
interface AttemptFailure {
  reason: 'Unschedulable' | 'SchedulerError';
  message: string;
  plugins?: Set<string>;
  pendingPlugins?: Set<string>;
}

/** The host for the pod, or why there is none. */
function chooseHost(core: SchedulerCore, state: CycleState, pod: PodInfo, decision: DecisionRecord): string | AttemptFailure {
  const numAll = core.cache.numNodes;
  decision.numAllNodes = numAll;
  if (numAll === 0) return { reason: 'Unschedulable', message: NO_NODES_AVAILABLE };
  const { feasible, feasibleSlots, diagnosis } = findNodesThatFitPod(core, state, pod);
  decision.evaluatedNodes = feasible.length + diagnosis.nodeToStatus.size;
  decision.feasibleNodes = feasible.length;
  decision.filtered = filterRecords(diagnosis, numAll - feasible.length);
  if (feasible.length === 0) {
    if (core.framework.hasPostFilterPlugins) {
      const pf = core.framework.runPostFilterPlugins(state, pod, diagnosis.nodeToStatus);
      diagnosis.postFilterMsg = pf.status?.message() ?? '';
    }
    return { reason: 'Unschedulable', message: fitErrorMessage(numAll, diagnosis), plugins: diagnosis.unschedulablePlugins, pendingPlugins: diagnosis.pendingPlugins };
  }
  if (feasible.length === 1) return feasible[0].name;
  const { host, top } = prioritizeAndSelect(core, state, pod, feasible, feasibleSlots);
  decision.topScores = top;
  return host.name;
}

/** A Reserve / Permit rejection on the chosen node, worded as upstream's one-node FitError. */
function rejectionOnHost(s: Status, host: string): AttemptFailure {
  if (!s.isRejected()) return { reason: 'SchedulerError', message: s.message() };
  const statuses = new NodeToStatus();
  statuses.set(host, s);
  const d = new Diagnosis(statuses);
  return { reason: 'Unschedulable', message: fitErrorMessage(1, d), plugins: new Set(s.plugin ? [s.plugin] : []) };
}

function failAttempt(core: SchedulerCore, q: QueuedPodInfo, cycle: number, decision: DecisionRecord, f: AttemptFailure): void {
  for (const p of f.plugins ?? []) q.unschedulablePlugins.add(p);
  for (const p of f.pendingPlugins ?? []) q.pendingPlugins.add(p);
  decision.result = f.reason === 'Unschedulable' ? 'Unschedulable' : 'Error';
  decision.message = f.message;
  core.decisions.put(decision);
  handleSchedulingFailure(core, q, cycle, { reason: f.reason, message: f.message });
}

function startDecision(core: SchedulerCore, q: QueuedPodInfo): DecisionRecord {
  const now = core.clock();
  return {
    namespace: q.podInfo.namespace, name: q.podInfo.name, uid: q.podInfo.pod.metadata.uid ?? '',
    attempts: q.attempts, firstAttemptMs: q.initialAttemptTimestamp ?? now, lastAttemptMs: now,
    result: 'Unschedulable', numAllNodes: 0, evaluatedNodes: 0, feasibleNodes: 0, filtered: [], topScores: [],
  };
}

/** Aggregates the rejections of an attempt per (plugin, reason); `unfit` nodes did not pass. */
function filterRecords(d: Diagnosis, unfit: number): FilterRecord[] {
  const byKey = new Map<string, FilterRecord>();
  const note = (plugin: string, reason: string, node: string | undefined, count: number) => {
    const key = `${plugin}\u0000${reason}`;
    let r = byKey.get(key);
    if (!r) byKey.set(key, (r = { plugin, reason, count: 0, nodes: [] }));
    r.count += count;
    if (node !== undefined && r.nodes.length < MAX_NODES_PER_REASON) r.nodes.push(node);
  };
  for (const [node, s] of d.nodeToStatus.entries()) for (const reason of s.reasons) note(s.plugin, reason, node, 1);
  const absent = unfit - d.nodeToStatus.size;
  const abs = d.nodeToStatus.absentStatus;
  if (absent > 0 && (d.preFilterMsg !== '' || abs.reasons.length > 0)) {
    for (const reason of abs.reasons) note(abs.plugin, reason, undefined, absent);
  }
  return [...byKey.values()].sort((a, b) => b.count - a.count);
}
