import type { SchedulerCore } from './core.js';
import { PodInfo, type Pod } from './framework/pod-info.js';
import type { QueuedPodInfo } from './queue/scheduling-queue.js';

/** Upstream's limit on event notes. */
export const NOTE_LENGTH_LIMIT = 1024;

/** Cuts a message to the event note limit, ending it with " ..." when cut. */
export function truncateMessage(message: string): string {
  if (message.length <= NOTE_LENGTH_LIMIT) return message;
  const suffix = ' ...';
  return message.slice(0, NOTE_LENGTH_LIMIT - suffix.length) + suffix;
}

/** A failed attempt as the failure handler sees it. */
export interface Failure {
  /** Unschedulable (a plugin rejected the pod) or SchedulerError (anything else). */
  reason: 'Unschedulable' | 'SchedulerError';
  message: string;
}

/**
 * Upstream's handleSchedulingFailure: hands the pod back to the queue (with the informer's
 * latest copy) unless it is gone or was bound meanwhile, records a FailedScheduling warning
 * and sets the PodScheduled condition to False with the reason and message.
 */
export function handleSchedulingFailure(core: SchedulerCore, q: QueuedPodInfo, podSchedulingCycle: number, f: Failure): void {
  core.stats.failed++;
  const pod = q.podInfo.pod;
  const ns = pod.metadata.namespace ?? '';
  const name = pod.metadata.name ?? '';
  const latest = core.api.getPod(ns, name);
  if (!latest || (latest.metadata.uid && pod.metadata.uid && latest.metadata.uid !== pod.metadata.uid)) {
    core.queue.done(q.podInfo.key);
  } else if (latest.spec?.nodeName) {
    core.queue.done(q.podInfo.key);
  } else {
    if (latest !== pod) q.podInfo = new PodInfo(latest);
    core.queue.addUnschedulableIfNotPresent(q, podSchedulingCycle);
  }
  core.api.event(pod, 'Warning', 'FailedScheduling', truncateMessage(f.message));
  updatePodScheduledCondition(core, latest ?? pod, f);
}

/** Patches the PodScheduled=False condition unless the pod already carries exactly it. */
export function updatePodScheduledCondition(core: SchedulerCore, pod: Pod, f: Failure): void {
  const conditions: any[] = Array.isArray(pod.status?.conditions) ? pod.status.conditions : [];
  const old = conditions.find((c) => c?.type === 'PodScheduled');
  if (old && old.status === 'False' && old.reason === f.reason && old.message === f.message && !old.lastProbeTime) return;
  const now = new Date(core.clock()).toISOString().replace(/\.\d+Z$/, 'Z');
  const lastTransitionTime = old && old.status === 'False' && old.lastTransitionTime ? old.lastTransitionTime : now;
  const condition = { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime, reason: f.reason, message: f.message };
  const ns = pod.metadata.namespace ?? '';
  const name = pod.metadata.name ?? '';
  core.api.patchPodStatus(ns, name, { status: { conditions: [condition] } }).catch((err) => {
    core.log(`scheduler: could not update the PodScheduled condition of ${ns}/${name}: ${(err as Error)?.message ?? err}`);
  });
}
