import type { SchedulerCore } from './core.js';
import type { DecisionRecord } from './decisions.js';
import { handleSchedulingFailure } from './failure.js';
import { runBindPlugins, runPostBindPlugins, runPreBindPlugins, runReservePluginsUnreserve, waitOnPermit } from './framework/binding-phase.js';
import type { CycleState } from './framework/cycle-state.js';
import type { PodInfo } from './framework/pod-info.js';
import { Code, Status } from './framework/status.js';
import type { QueuedPodInfo } from './queue/scheduling-queue.js';

/**
 * The binding cycle of an assumed pod, in the background: wait for Permit, PreBind, Bind,
 * then the `Scheduled` event and PostBind. On failure the assumption is undone (Unreserve,
 * forget), pods that may fit into the freed room are moved, and the failure is reported.
 */
export async function runBindingCycle(
  core: SchedulerCore, state: CycleState, q: QueuedPodInfo, assumed: PodInfo, host: string, cycle: number, decision: DecisionRecord,
): Promise<void> {
  core.bindStarted();
  try {
    const fw = core.framework;
    const s = (await waitOnPermit(fw, assumed))
      ?? (await runPreBindPlugins(fw, state, assumed, host))
      ?? (await runBindPlugins(fw, state, assumed, host));
    if (s) {
      const failure = s.code === Code.Skip ? new Status(Code.Error, ['no bind plugin bound the pod']) : s;
      bindingFailed(core, state, q, assumed, host, cycle, decision, failure);
      return;
    }
    core.cache.finishBinding(assumed.key);
    core.stats.scheduled++;
    decision.result = 'Scheduled';
    decision.boundAtMs = core.clock();
    core.api.event(assumed.pod, 'Normal', 'Scheduled', `Successfully assigned ${assumed.namespace}/${assumed.name} to ${host}`);
    runPostBindPlugins(fw, state, assumed, host);
    core.queue.done(assumed.key);
  } catch (err) {
    bindingFailed(core, state, q, assumed, host, cycle, decision, Status.fromError(err));
  } finally {
    core.bindFinished();
  }
}

function bindingFailed(
  core: SchedulerCore, state: CycleState, q: QueuedPodInfo, assumed: PodInfo, host: string, cycle: number, decision: DecisionRecord, s: Status,
): void {
  runReservePluginsUnreserve(core.framework, state, assumed, host);
  core.cache.forgetPod(assumed.key);
  const key = assumed.key;
  if (s.isRejected()) {
    if (s.plugin) q.unschedulablePlugins.add(s.plugin);
    core.queue.moveAllToActiveOrBackoff('AssignedPodDelete', (other) => other.podInfo.key !== key);
  } else {
    core.queue.moveAllToActiveOrBackoff('AssignedPodDelete');
  }
  decision.result = s.isRejected() ? 'Unschedulable' : 'Error';
  decision.message = s.message();
  handleSchedulingFailure(core, q, cycle, { reason: s.isRejected() ? 'Unschedulable' : 'SchedulerError', message: s.message() });
}
