/** The public API of the tskube package. */
export { startCluster, type Cluster, type ClusterOptions } from './server/cluster.js';
export type { Storage, KeyValue, WatchEvent } from './storage/interface.js';
