/**
 * The `nodelifecycle` controller: node health monitoring with condition- and health-based
 * taints (node-controller), together with the taint eviction controller
 * (taint-eviction-controller) that evicts pods from NoExecute-tainted nodes.
 */
import { LEASES, NODES, PODS } from '../../client/kinds.js';
import type { ControllerDescriptor } from '../context.js';
import { NODE_CONTROLLER, resolveSettings, TAINT_EVICTION_CONTROLLER } from './constants.js';
import { NodeLifecycleController } from './controller.js';
import { TaintEvictionController } from './taint-eviction.js';

export { NodeLifecycleController } from './controller.js';
export { TaintEvictionController } from './taint-eviction.js';
export type { NodeLifecycleSettings } from './constants.js';

/**
 * Starts both controllers on the shared node, pod and kube-node-lease Lease informers. Options:
 * nodeMonitorGracePeriodMs (default 50 s, v1.32), nodeMonitorPeriodMs (5 s),
 * nodeStartupGracePeriodMs (60 s), nodeEvictionRate (0.1 nodes/s), secondaryNodeEvictionRate
 * (0.01), largeClusterSizeThreshold (50), unhealthyZoneThreshold (0.55).
 */
export const descriptor: ControllerDescriptor = {
  name: 'nodelifecycle',
  start(ctx) {
    const log = (m: string) => process.emitWarning(m, 'NodeLifecycleWarning');
    const nodes = ctx.informers.informer(NODES);
    const pods = ctx.informers.informer(PODS);
    const leases = ctx.informers.informer(LEASES, { namespace: 'kube-node-lease' });
    const lifecycle = new NodeLifecycleController({
      client: ctx.client, recorder: ctx.recorder(NODE_CONTROLLER), nodes, pods, leases,
      settings: resolveSettings(ctx.options), clock: ctx.clock, log,
    });
    const eviction = new TaintEvictionController(ctx.client, ctx.recorder(TAINT_EVICTION_CONTROLLER), pods, nodes, ctx.clock, log);
    return Promise.all([lifecycle.run(ctx.signal), eviction.run(ctx.signal)]).then(() => undefined);
  },
};
