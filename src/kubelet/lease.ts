/**
 * Node heartbeat leases (kube-node-lease/<node>), as upstream's node lease controller keeps
 * them: held by the node, owned by the Node object, renewed every quarter of their duration.
 */
import type { KubeObject } from '../client/object.js';
import { microTime, NODE_LEASE_NAMESPACE } from './constants.js';

/** Default lease duration of a node (seconds), as the kubelet's nodeLeaseDurationSeconds. */
export const DEFAULT_LEASE_DURATION_SECONDS = 40;
/** Default renew interval: a quarter of the duration (10 s). */
export const DEFAULT_LEASE_RENEW_INTERVAL_MS = 10_000;

/** The lease a node creates for itself, renewed at `now`. */
export function newNodeLease(nodeName: string, nodeUid: string | undefined, durationSeconds: number, now: number): KubeObject {
  const metadata: any = { name: nodeName, namespace: NODE_LEASE_NAMESPACE };
  if (nodeUid) metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUid }];
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata,
    spec: { holderIdentity: nodeName, leaseDurationSeconds: durationSeconds, renewTime: microTime(now) },
  };
}

/** A copy of `lease` renewed at `now` (held by the node again, should another holder have taken it). */
export function renewedLease(lease: KubeObject, nodeName: string, durationSeconds: number, now: number): KubeObject {
  return {
    ...lease,
    spec: { ...lease.spec, holderIdentity: nodeName, leaseDurationSeconds: durationSeconds, renewTime: microTime(now) },
  };
}
