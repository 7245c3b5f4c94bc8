/**
 * Loose shapes of the API objects the workload controllers read and write. Objects travel as plain
 * JSON, so every field the server may omit (Go's `omitempty`) is optional here.
 */

import type { KubeObject, ObjectMeta, OwnerReference } from '../../client/index.js';

export type { ObjectMeta, OwnerReference };

/** Any API object (the client's KubeObject). */
export type ApiObject = KubeObject;

/** metav1.LabelSelector. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** core/v1 PodTemplateSpec. */
export interface PodTemplateSpec {
  metadata?: ObjectMeta;
  spec?: any;
}

/** A condition of a pod's status. */
export interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string | null;
  [k: string]: any;
}

/** core/v1 Pod, as far as the controllers read it. */
export interface Pod extends ApiObject {
  spec?: { nodeName?: string; initContainers?: Array<{ name: string; restartPolicy?: string }>; [k: string]: any };
  status?: {
    phase?: string;
    conditions?: PodCondition[];
    containerStatuses?: Array<{ name: string; restartCount?: number }>;
    initContainerStatuses?: Array<{ name: string; restartCount?: number }>;
    [k: string]: any;
  };
}

/** apps/v1 ReplicaSetCondition. */
export interface ReplicaSetCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** apps/v1 ReplicaSetStatus (zero fields may be absent). */
export interface ReplicaSetStatus {
  replicas?: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaSetCondition[];
}

/** apps/v1 ReplicaSet. */
export interface ReplicaSet extends ApiObject {
  spec: { replicas?: number; minReadySeconds?: number; selector?: LabelSelector; template?: PodTemplateSpec };
  status?: ReplicaSetStatus;
}

/** apps/v1 DeploymentCondition. */
export interface DeploymentCondition {
  type: string;
  status: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** apps/v1 DeploymentStatus (zero fields may be absent). */
export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeploymentCondition[];
  collisionCount?: number;
}

/** An IntOrString value (`3` or `"25%"`). */
export type IntOrString = number | string;

/** apps/v1 DeploymentSpec (defaults applied by the API server). */
export interface DeploymentSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplateSpec;
  strategy?: { type?: string; rollingUpdate?: { maxSurge?: IntOrString; maxUnavailable?: IntOrString } };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
}

/** apps/v1 Deployment. */
export interface Deployment extends ApiObject {
  spec: DeploymentSpec;
  status?: DeploymentStatus;
}

/** The work-queue key of an object (`namespace/name`) and its inverse, from the client's store. */
export { objectKey as keyOf, splitKey } from '../../client/index.js';
