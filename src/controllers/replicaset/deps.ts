import type { Expectations } from '../util/expectations.js';
import type { Pod, ReplicaSet } from '../util/types.js';

/**
 * What replica management needs from the outside world; the controller wires it to the API client,
 * the informer caches and the event recorder, unit tests pass fakes.
 */
export interface ReplicaSetDeps {
  /** The current time (epoch ms). */
  now(): number;
  /** Records an event on the ReplicaSet (component `replicaset-controller`). */
  event(rs: ReplicaSet, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** Creates a pod; rejects with the API's StatusError. */
  createPod(pod: Pod): Promise<Pod>;
  /** Deletes a pod by name. */
  deletePod(namespace: string, name: string): Promise<void>;
  /** Pods of ReplicaSets controlled by the same owner, used to rank deletion victims. */
  relatedPods(rs: ReplicaSet): Pod[];
  /** Pending creations/deletions per ReplicaSet key. */
  expectations: Expectations;
  /** Most pods created or deleted in one sync (upstream: 500). */
  burstReplicas: number;
}
