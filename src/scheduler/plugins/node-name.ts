import type { NodeInfo } from '../cache/node-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { FilterPlugin } from '../framework/interfaces.js';
import type { PodInfo } from '../framework/pod-info.js';
import { Code, Status } from '../framework/status.js';

/** Reason for a node other than the one the pod names. */
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

/** Accepts only the node named in `spec.nodeName` (any node when it is empty). */
export class NodeName implements FilterPlugin {
  readonly name = 'NodeName';
  private readonly rejected = Status.of(Code.UnschedulableAndUnresolvable, ERR_REASON_NODE_NAME, this.name);

  filterSignature(pod: PodInfo): string {
    return pod.pod.spec?.nodeName ?? '';
  }

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status | null {
    const want = pod.pod.spec?.nodeName;
    return !want || want === node.name ? null : this.rejected;
  }
}
