/**
 * tskube's kubelet: node registration, heartbeats (Lease and node status), and pod lifecycle
 * through a CRI-shaped runtime. `startSimulatedNodes` runs many nodes with a simulated runtime
 * (no containers) in one process.
 */
export { startSimulatedNodes, type SimulatedNodes, type SimulatedNodesOptions } from './sim-nodes.js';
export { NodeAgent, type AgentSettings } from './node.js';
export { DEFAULT_CAPACITY, DEFAULT_ALLOCATABLE, type ResourceList, type NodeIdentity } from './node-object.js';
export { ANNOTATION_RUN_MS, ANNOTATION_EXIT_CODE } from './pod-worker.js';
export { SimulatedRuntime, SIM_RUNTIME_NAME, SIM_RUNTIME_VERSION, type SimulatedRuntimeOptions } from './runtime/simulated/runtime.js';
export type * from './runtime/runtime.js';
export { KUBELET_VERSION, NODE_LEASE_NAMESPACE } from './constants.js';
export { DEFAULT_LEASE_DURATION_SECONDS, DEFAULT_LEASE_RENEW_INTERVAL_MS } from './lease.js';
export { RuntimeNotFoundError } from './runtime/runtime.js';
