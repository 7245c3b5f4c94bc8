import type { Deployment, Pod, ReplicaSet } from '../util/types.js';

/**
 * What the deployment sync logic needs from the outside world. The controller wires it to the API
 * client, the informer caches, the event recorder and the work queue; unit tests pass fakes.
 */
export interface DeploymentDeps {
  /** The current time (epoch ms). */
  now(): number;
  /** Records an event on the Deployment (component `deployment-controller`). */
  event(d: Deployment, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** Creates a ReplicaSet; rejects with the API's StatusError. */
  createReplicaSet(rs: ReplicaSet): Promise<ReplicaSet>;
  /** Replaces a ReplicaSet (PUT). */
  updateReplicaSet(rs: ReplicaSet): Promise<ReplicaSet>;
  /** Deletes a ReplicaSet. */
  deleteReplicaSet(namespace: string, name: string): Promise<void>;
  /** A ReplicaSet from the informer cache. */
  cachedReplicaSet(namespace: string, name: string): ReplicaSet | undefined;
  /** Replaces a Deployment (PUT), e.g. to clear a rollback request. */
  updateDeployment(d: Deployment): Promise<Deployment>;
  /** Writes a Deployment's status subresource. */
  updateDeploymentStatus(d: Deployment): Promise<Deployment>;
  /** Syncs the Deployment again after `ms`. */
  enqueueAfter(d: Deployment, ms: number): void;
  /** Syncs the Deployment again, rate limited. */
  enqueueRateLimited(d: Deployment): void;
}

/** The pods of a Deployment grouped by the uid of the ReplicaSet that controls them. */
export type PodMap = Map<string, Pod[]>;
