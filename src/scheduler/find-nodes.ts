import type { NodeInfo } from './cache/node-info.js';
import type { SchedulerCore } from './core.js';
import type { CycleState } from './framework/cycle-state.js';
import { Diagnosis } from './framework/node-to-status.js';
import type { PodInfo } from './framework/pod-info.js';
import { Code, Status } from './framework/status.js';
import { numFeasibleNodesToFind } from './feasible-nodes.js';

/** The feasible nodes of an attempt and why the others were rejected. */
export interface FitOutcome {
  feasible: NodeInfo[];
  /** Their table slots (valid until the next attempt), when the filter cache was used. */
  feasibleSlots?: Int32Array;
  diagnosis: Diagnosis;
}

/** Slots of the feasible nodes, reused across attempts. */
let slotBuffer = new Int32Array(1024);

/**
 * Runs PreFilter, then the filters over the nodes (all, or those PreFilter narrowed to),
 * starting where the previous attempt stopped and stopping once enough feasible nodes are
 * found. Advances the start index by the nodes examined. Throws on a plugin error.
 */
export function findNodesThatFitPod(core: SchedulerCore, state: CycleState, pod: PodInfo): FitOutcome {
  const fw = core.framework;
  const all = core.cache.nodeList();
  const diagnosis = new Diagnosis();
  const pre = fw.runPreFilterPlugins(state, pod);
  if (pre.status && pre.status.code !== Code.Success) {
    if (!pre.status.isRejected()) throw new Error(pre.status.message());
    diagnosis.nodeToStatus.setAbsentStatus(pre.status);
    diagnosis.preFilterMsg = pre.status.message();
    diagnosis.addPluginStatus(pre.status);
    return { feasible: [], diagnosis };
  }
  let nodes = all;
  if (pre.nodeNames) {
    nodes = [];
    for (const name of pre.nodeNames) {
      const ni = core.cache.getNode(name);
      if (ni) nodes.push(ni);
    }
    const plugins = [...pre.narrowedBy].sort();
    diagnosis.nodeToStatus.setAbsentStatus(Status.of(Code.UnschedulableAndUnresolvable, `node(s) didn't satisfy plugin(s) [${plugins.join(' ')}]`));
  }
  const { feasible, slots } = passFilters(core, state, pod, diagnosis, nodes);
  if (all.length > 0) {
    const processed = feasible.length + diagnosis.nodeToStatus.size;
    core.nextStartNodeIndex = (core.nextStartNodeIndex + processed) % all.length;
  }
  return { feasible, feasibleSlots: slots, diagnosis };
}

/**
 * The filter loop: examines `nodes` round-robin from the rotating start index until
 * numFeasibleNodesToFind nodes pass (one when nothing scores), recording each rejection.
 */
export function findNodesThatPassFilters(core: SchedulerCore, state: CycleState, pod: PodInfo, diagnosis: Diagnosis, nodes: NodeInfo[]): NodeInfo[] {
  return passFilters(core, state, pod, diagnosis, nodes).feasible;
}

/**
 * {@link findNodesThatPassFilters}, also returning the table slots of the feasible nodes when
 * the filter cache was used (answers of unchanged nodes for a pod of the same shape are
 * reused without touching the node).
 */
function passFilters(core: SchedulerCore, state: CycleState, pod: PodInfo, diagnosis: Diagnosis, nodes: NodeInfo[]): { feasible: NodeInfo[]; slots?: Int32Array } {
  const fw = core.framework;
  const n = nodes.length;
  if (n === 0) return { feasible: [] };
  let toFind = numFeasibleNodesToFind(core.percentageOfNodesToScore, n);
  if (!fw.hasScorePlugins) toFind = 1;
  const start = core.nextStartNodeIndex % n;
  const feasible: NodeInfo[] = [];
  if (!fw.hasFilterPlugins) {
    for (let i = 0; i < toFind; i++) feasible.push(nodes[(start + i) % n]);
    return { feasible };
  }
  const filters = fw.activeFilters(state);
  const statuses = diagnosis.nodeToStatus;
  const all = core.cache.nodeList();
  const sigId = fw.useFilterCache && nodes === all ? fw.filterCache.signatureId(filters, pod) : 0;
  const slots = sigId ? core.cache.nodeListSlots() : undefined;
  const generations = core.cache.table.generations;
  if (slots) fw.filterCache.ensure(core.cache.table.capacity);
  if (slots && slotBuffer.length < toFind) slotBuffer = new Int32Array(Math.max(toFind, slotBuffer.length * 2));
  for (let i = 0; i < n; i++) {
    const idx = (start + i) % n;
    let s: Status | null | undefined;
    if (slots) {
      const slot = slots[idx];
      const gen = generations[slot];
      s = fw.filterCache.lookup(slot, sigId, gen);
      if (s === undefined) {
        s = fw.runFilters(filters, state, pod, nodes[idx]);
        if (s === null || s.code !== Code.Error) fw.filterCache.store(slot, sigId, gen, s);
      }
    } else {
      s = fw.runFilters(filters, state, pod, nodes[idx]);
    }
    if (s === null) {
      if (slots) slotBuffer[feasible.length] = slots[idx];
      feasible.push(nodes[idx]);
      if (feasible.length >= toFind) break;
    } else if (s.code === Code.Error) {
      throw new Error(s.message());
    } else {
      statuses.set(nodes[idx].name, s);
      diagnosis.addPluginStatus(s);
    }
  }
  return { feasible, slots: slots ? slotBuffer : undefined };
}
