import type { PreEnqueuePlugin } from '../framework/interfaces.js';
import type { PodInfo } from '../framework/pod-info.js';
import { Code, Status } from '../framework/status.js';

/** Keeps pods with `spec.schedulingGates` out of the active queue until the gates are removed. */
export class SchedulingGates implements PreEnqueuePlugin {
  readonly name = 'SchedulingGates';

  preEnqueue(pod: PodInfo): Status | null {
    const gates: any[] = Array.isArray(pod.pod.spec?.schedulingGates) ? pod.pod.spec.schedulingGates : [];
    if (gates.length === 0) return null;
    const names = gates.map((g) => String(g?.name ?? ''));
    return Status.of(Code.UnschedulableAndUnresolvable, `waiting for scheduling gates: [${names.join(' ')}]`, this.name);
  }
}
