import type { NodeInfo } from '../cache/node-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { FilterPlugin, PreFilterPlugin } from '../framework/interfaces.js';
import type { PodInfo } from '../framework/pod-info.js';
import { Code, Status } from '../framework/status.js';

/** Reason for a host port already taken on the node. */
export const ERR_REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";

const SKIP = { status: new Status(Code.Skip) };

/** Rejects nodes where one of the pod's host ports (IP, protocol, port) is already in use. */
export class NodePorts implements PreFilterPlugin, FilterPlugin {
  readonly name = 'NodePorts';
  private readonly rejected = Status.of(Code.Unschedulable, ERR_REASON_PORTS, this.name);

  preFilter(_state: CycleState, pod: PodInfo): { status: Status | null } | null {
    return pod.hostPorts.length === 0 ? SKIP : null;
  }

  filterSignature(pod: PodInfo): string {
    return JSON.stringify(pod.hostPorts);
  }

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status | null {
    if (!node.hasUsedPorts) return null;
    for (const p of pod.hostPorts) {
      if (node.usedPorts.conflicts(p.hostIP, p.protocol, p.hostPort)) return this.rejected;
    }
    return null;
  }
}
