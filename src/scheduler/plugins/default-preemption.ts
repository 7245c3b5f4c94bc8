import type { NodeInfo } from '../cache/node-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { Handle, PostFilterPlugin } from '../framework/interfaces.js';
import { Diagnosis, fitErrorMessage, NodeToStatus } from '../framework/node-to-status.js';
import type { PodInfo } from '../framework/pod-info.js';
import { Code, Status } from '../framework/status.js';

/** Status of nodes where removing pods cannot help. */
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
/** Status of a node with no lower-priority pod. */
export const NO_VICTIMS = 'No preemption victims found for incoming pod';

/**
 * DefaultPreemption's PostFilter, evaluated as a dry run only: for every node rejected with
 * Unschedulable it removes the pods of lower priority from a copy of the node and runs the
 * filters again. When no node could take the pod that way, the answer is upstream's
 * "preemption: 0/N nodes are available: …" status. When some node could, upstream would evict
 * victims and nominate the node; tskube evicts nothing and answers Success without a message,
 * which is what upstream's event then says as well.
 */
export class DefaultPreemption implements PostFilterPlugin {
  readonly name = 'DefaultPreemption';
  private readonly noVictims = Status.of(Code.UnschedulableAndUnresolvable, NO_VICTIMS);

  constructor(private readonly handle: Pick<Handle, 'nodeList' | 'runFilterPlugins'>) {}

  postFilter(state: CycleState, pod: PodInfo, statuses: NodeToStatus): { status: Status | null; nominatedNodeName?: string } {
    const status = this.preempt(state, pod, statuses);
    const msg = status?.message() ?? '';
    if (status && msg.length > 0) return { status: new Status(status.code, [`preemption: ${msg}`], this.name) };
    return { status };
  }

  private preempt(state: CycleState, pod: PodInfo, statuses: NodeToStatus): Status | null {
    if (pod.pod.spec?.preemptionPolicy === 'Never') return Status.of(Code.Unschedulable, 'not eligible due to preemptionPolicy=Never.');
    const all = this.handle.nodeList();
    if (all.length === 0) return Status.fromError(new Error('no nodes available'));
    const potential = statuses.nodesForStatusCode(all, Code.Unschedulable);
    const dryRun = new NodeToStatus();
    let candidates = 0;
    for (const ni of potential) {
      const s = this.selectVictimsOnNode(state, pod, ni);
      if (s === null) candidates++;
      else dryRun.set(ni.name, s);
    }
    if (candidates > 0) return null;
    dryRun.setAbsentStatus(Status.of(Code.UnschedulableAndUnresolvable, PREEMPTION_NOT_HELPFUL));
    return Status.of(Code.Unschedulable, fitErrorMessage(all.length, new Diagnosis(dryRun)));
  }

  /** Null when the pod would fit once the lower-priority pods are gone, else why not. */
  private selectVictimsOnNode(state: CycleState, pod: PodInfo, node: NodeInfo): Status | null {
    let victims = 0;
    for (const other of node.pods.values()) if (other.priority < pod.priority) victims++;
    if (victims === 0) return this.noVictims;
    const copy = node.snapshot();
    for (const other of node.pods.values()) if (other.priority < pod.priority) copy.removePod(other.key);
    return this.handle.runFilterPlugins(state.clone(), pod, copy);
  }
}
