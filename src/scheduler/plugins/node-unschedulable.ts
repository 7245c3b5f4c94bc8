import type { NodeInfo } from '../cache/node-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { FilterPlugin } from '../framework/interfaces.js';
import type { PodInfo } from '../framework/pod-info.js';
import { Code, Status } from '../framework/status.js';
import { tolerationsTolerateTaint, type Taint } from '../framework/taints.js';

/** Reason for a cordoned node. */
export const ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable";

const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' };

/**
 * Rejects nodes with `spec.unschedulable` unless the pod tolerates the
 * `node.kubernetes.io/unschedulable:NoSchedule` taint.
 */
export class NodeUnschedulable implements FilterPlugin {
  readonly name = 'NodeUnschedulable';
  private readonly rejected = Status.of(Code.UnschedulableAndUnresolvable, ERR_REASON_UNSCHEDULABLE, this.name);

  filterSignature(pod: PodInfo): string {
    return tolerationsTolerateTaint(pod.tolerations, UNSCHEDULABLE_TAINT) ? 'tolerates' : '';
  }

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status | null {
    if (!node.unschedulable) return null;
    return tolerationsTolerateTaint(pod.tolerations, UNSCHEDULABLE_TAINT) ? null : this.rejected;
  }
}
