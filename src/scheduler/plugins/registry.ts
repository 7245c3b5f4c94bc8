import type { Handle, PluginEntry } from '../framework/interfaces.js';
import { DefaultBinder, type BindFunc } from './default-binder.js';
import { DefaultPreemption } from './default-preemption.js';
import { ImageLocality } from './image-locality.js';
import { NodeResourcesBalancedAllocation } from './balanced-allocation.js';
import { NodeAffinity } from './node-affinity.js';
import { NodeName } from './node-name.js';
import { NodePorts } from './node-ports.js';
import { NodeResourcesFit } from './node-resources-fit.js';
import { NodeUnschedulable } from './node-unschedulable.js';
import { PrioritySort } from './priority-sort.js';
import { SchedulingGates } from './scheduling-gates.js';
import { TaintToleration } from './taint-toleration.js';

/** Upstream v1.32's default score weights of the plugins tskube has. */
export const DEFAULT_WEIGHTS: Readonly<Record<string, number>> = {
  TaintToleration: 3,
  NodeAffinity: 2,
  NodeResourcesFit: 1,
  NodeResourcesBalancedAllocation: 1,
  ImageLocality: 1,
};

/**
 * The default profile in upstream's order (volume, topology-spread and inter-pod affinity
 * plugins are not part of tskube): SchedulingGates, PrioritySort, NodeUnschedulable, NodeName,
 * TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, DefaultPreemption,
 * NodeResourcesBalancedAllocation, ImageLocality, DefaultBinder.
 */
export function defaultPlugins(handle: Handle, bind: BindFunc): PluginEntry[] {
  const plugins = [
    new SchedulingGates(), new PrioritySort(), new NodeUnschedulable(), new NodeName(), new TaintToleration(),
    new NodeAffinity(), new NodePorts(), new NodeResourcesFit(), new DefaultPreemption(handle),
    new NodeResourcesBalancedAllocation(), new ImageLocality(handle), new DefaultBinder(bind),
  ];
  return plugins.map((plugin) => ({ plugin, weight: DEFAULT_WEIGHTS[plugin.name] }));
}
