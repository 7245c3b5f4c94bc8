import type { Node, NodeInfo } from './cache/node-info.js';
import type { SchedulerCore } from './core.js';
import { CycleState } from './framework/cycle-state.js';
import type { FilterPlugin, PreFilterPlugin } from './framework/interfaces.js';
import { PodInfo, podKey, type Pod } from './framework/pod-info.js';
import { Code } from './framework/status.js';
import type { QueuedPodInfo } from './queue/scheduling-queue.js';

/** The scheduler name pods default to. */
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** Plugins whose rejections an assigned pod leaving its node can lift. */
const FREED_BY_POD_DELETE = new Set(['NodeResourcesFit', 'NodePorts']);

const isTerminal = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const isAssigned = (pod: Pod) => !!pod.spec?.nodeName;

/** Informer callbacks the scheduler registers. */
export interface SchedulerEventHandlers {
  pods: { onAdd(pod: Pod): void; onUpdate(oldPod: Pod, newPod: Pod): void; onDelete(pod: Pod): void };
  nodes: { onAdd(node: Node): void; onUpdate(oldNode: Node, newNode: Node): void; onDelete(node: Node): void };
}

/**
 * Feeds informer events into the cache and the queue like upstream's event handlers: bound
 * pods (not terminal) go to the cache, confirming assumed ones; pending pods of this scheduler
 * go to the queue. Node additions and relevant node changes, and bound pods leaving, move the
 * unschedulable pods they may help (the pod's rejecting filters are re-run on the node).
 */
export function schedulerEventHandlers(core: SchedulerCore, schedulerName = DEFAULT_SCHEDULER_NAME): SchedulerEventHandlers {
  const responsible = (pod: Pod) => (pod.spec?.schedulerName || DEFAULT_SCHEDULER_NAME) === schedulerName;
  const assignedGone = (pod: Pod) => {
    core.cache.removePod(pod);
    core.queue.moveAllToActiveOrBackoff('AssignedPodDelete', (q) => rejectedOnlyBy(q, FREED_BY_POD_DELETE));
  };
  return {
    pods: {
      onAdd(pod) {
        if (isAssigned(pod)) {
          if (!isTerminal(pod)) core.cache.addPod(pod);
        } else if (responsible(pod)) {
          core.queue.add(new PodInfo(pod));
        }
      },
      onUpdate(oldPod, newPod) {
        if (isAssigned(newPod)) {
          if (!isAssigned(oldPod)) core.queue.delete(podKey(newPod));
          if (isTerminal(newPod)) {
            if (!isTerminal(oldPod) && isAssigned(oldPod)) assignedGone(newPod);
            else core.cache.removePod(newPod);
          } else {
            core.cache.updatePod(newPod);
          }
        } else if (responsible(newPod)) {
          core.queue.update(new PodInfo(newPod));
        } else {
          core.queue.delete(podKey(newPod));
        }
      },
      onDelete(pod) {
        if (isAssigned(pod)) {
          if (!isTerminal(pod)) assignedGone(pod);
          else core.cache.removePod(pod);
        } else {
          core.queue.delete(podKey(pod));
        }
      },
    },
    nodes: {
      onAdd(node) {
        const ni = core.cache.addNode(node);
        core.queue.moveAllToActiveOrBackoff('NodeAdd', (q) => mayFitNow(core, q, ni));
      },
      onUpdate(oldNode, newNode) {
        const ni = core.cache.updateNode(newNode);
        if (schedulingRelevantChange(oldNode, newNode)) core.queue.moveAllToActiveOrBackoff('NodeUpdate', (q) => mayFitNow(core, q, ni));
      },
      onDelete(node) {
        core.cache.removeNode(node.metadata.name ?? '');
      },
    },
  };
}

/** True when the pod was rejected by nothing, or only by plugins in `plugins`'s reach. */
function rejectedOnlyBy(q: QueuedPodInfo, plugins: Set<string>): boolean {
  if (q.unschedulablePlugins.size === 0) return true;
  for (const p of q.unschedulablePlugins) if (plugins.has(p)) return true;
  return false;
}

/**
 * Upstream's queueing hints, approximated: a node change is worth a retry when some plugin
 * that rejected the pod would now accept it on that node (a rejector that is not a filter
 * always counts).
 */
export function mayFitNow(core: SchedulerCore, q: QueuedPodInfo, node: NodeInfo): boolean {
  if (q.unschedulablePlugins.size === 0) return true;
  const fw = core.framework;
  for (const name of q.unschedulablePlugins) {
    const filter = fw.filterPlugins.find((p) => p.name === name);
    if (!filter) return true;
    if (passesFilter(fw.preFilterPlugins.find((p) => p.name === name), filter, q.podInfo, node)) return true;
  }
  return false;
}

function passesFilter(pre: PreFilterPlugin | undefined, filter: FilterPlugin, pod: PodInfo, node: NodeInfo): boolean {
  const state = new CycleState();
  if (pre) {
    const out = pre.preFilter(state, pod);
    if (out?.status?.code === Code.Skip) return true;
    if (out?.status && out.status.code !== Code.Success) return false;
    if (out?.result?.nodeNames && !out.result.nodeNames.has(node.name)) return false;
  }
  return filter.filter(state, pod, node) === null;
}

/** Whether a node update touches what the filters look at. */
export function schedulingRelevantChange(a: Node, b: Node): boolean {
  return a.spec?.unschedulable !== b.spec?.unschedulable
    || JSON.stringify(a.spec?.taints ?? []) !== JSON.stringify(b.spec?.taints ?? [])
    || JSON.stringify(a.metadata.labels ?? {}) !== JSON.stringify(b.metadata.labels ?? {})
    || JSON.stringify(a.status?.allocatable ?? a.status?.capacity ?? {}) !== JSON.stringify(b.status?.allocatable ?? b.status?.capacity ?? {});
}
