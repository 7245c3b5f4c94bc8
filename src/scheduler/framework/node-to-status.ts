import type { NodeInfo } from '../cache/node-info.js';
import { Code, Status } from './status.js';

const DEFAULT_ABSENT = new Status(Code.UnschedulableAndUnresolvable);

/**
 * Why nodes were rejected: an explicit status per evaluated node, and one status for the
 * nodes that were never evaluated ("absent"), UnschedulableAndUnresolvable by default.
 */
export class NodeToStatus {
  private readonly byNode = new Map<string, Status>();
  private absent: Status;

  constructor(absent: Status = DEFAULT_ABSENT) {
    this.absent = absent;
  }

  set(node: string, status: Status): void {
    this.byNode.set(node, status);
  }

  /** The node's status, the absent status when it has none. */
  get(node: string): Status {
    return this.byNode.get(node) ?? this.absent;
  }

  get absentStatus(): Status {
    return this.absent;
  }

  setAbsentStatus(s: Status): void {
    this.absent = s;
  }

  /** Number of nodes with an explicit status. */
  get size(): number {
    return this.byNode.size;
  }

  entries(): IterableIterator<[string, Status]> {
    return this.byNode.entries();
  }

  /** The nodes (of `all`) whose status — explicit or absent — has `code`. */
  nodesForStatusCode(all: readonly NodeInfo[], code: Code): NodeInfo[] {
    if (this.absent.code === code) {
      if (this.byNode.size === 0) return all.slice();
      return all.filter((n) => this.get(n.name).code === code);
    }
    const byName = new Map<string, NodeInfo>();
    for (const n of all) byName.set(n.name, n);
    const out: NodeInfo[] = [];
    for (const [name, st] of this.byNode) {
      const ni = st.code === code ? byName.get(name) : undefined;
      if (ni) out.push(ni);
    }
    return out;
  }
}

/** What a failed attempt learned: statuses per node, the rejecting plugins, PreFilter/PostFilter messages. */
export class Diagnosis {
  readonly nodeToStatus: NodeToStatus;
  readonly unschedulablePlugins = new Set<string>();
  readonly pendingPlugins = new Set<string>();
  preFilterMsg = '';
  postFilterMsg = '';

  constructor(nodeToStatus = new NodeToStatus()) {
    this.nodeToStatus = nodeToStatus;
  }

  /** Records the plugin of a rejecting (or Pending) status. */
  addPluginStatus(s: Status): void {
    if (!s.plugin) return;
    if (s.isRejected()) this.unschedulablePlugins.add(s.plugin);
    if (s.code === Code.Pending) this.pendingPlugins.add(s.plugin);
  }
}

/**
 * Upstream's FitError message: `0/<n> nodes are available:` then the PreFilter message, or the
 * histogram of filter reasons (`<count> <reason>` sorted as strings, joined by ", "; nodes
 * without an explicit status count under the absent status), each ending with ".", then the
 * PostFilter message.
 */
export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg !== '') {
    msg += ` ${d.preFilterMsg}.`;
  } else {
    const counts = new Map<string, number>();
    for (const [, st] of d.nodeToStatus.entries()) {
      for (const r of st.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    }
    const explicit = d.nodeToStatus.size;
    if (explicit < numAllNodes) {
      for (const r of d.nodeToStatus.absentStatus.reasons) counts.set(r, (counts.get(r) ?? 0) + numAllNodes - explicit);
    }
    const parts: string[] = [];
    for (const [r, n] of counts) parts.push(`${n} ${r}`);
    parts.sort(byteOrder);
    if (parts.length) msg += ` ${parts.join(', ')}.`;
  }
  if (d.postFilterMsg !== '') msg += ` ${d.postFilterMsg}`;
  return msg;
}

/** Go's sort.Strings order (bytewise; equal to UTF-16 order for the ASCII texts involved). */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** upstream's ErrNoNodesAvailable. */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';
