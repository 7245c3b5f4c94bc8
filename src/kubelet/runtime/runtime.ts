/**
 * The container runtime as the kubelet sees it: the shape of the CRI RuntimeService and
 * ImageService (k8s.io/cri-api runtime/v1), reduced to what tskube's kubelet calls. A simulated
 * runtime implements it without containers; a real one (runc + CNI) can implement the same.
 *
 * Differences from the gRPC API: times are milliseconds since the epoch (CRI uses nanoseconds),
 * calls are promises, and container events arrive through {@link RuntimeService.onContainerEvent}
 * instead of a GetContainerEvents stream.
 */

/** Identifies a pod sandbox (CRI PodSandboxMetadata). */
export interface PodSandboxMetadata {
  name: string;
  namespace: string;
  uid: string;
  attempt: number;
}

/** What a sandbox is created from (CRI PodSandboxConfig, reduced). */
export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The pod shares the node's network namespace (then its IP is the node's). */
  hostNetwork?: boolean;
}

/** CRI PodSandboxState. */
export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

/** CRI PodSandboxStatus, reduced. */
export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: number;
  /** The sandbox's IPs: the first is the pod's primary IP. */
  network: { ip: string; additionalIps: { ip: string }[] };
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** Identifies a container within its sandbox (CRI ContainerMetadata). */
export interface ContainerMetadata {
  name: string;
  attempt: number;
}

/** What a container is created from (CRI ContainerConfig, reduced). */
export interface ContainerConfig {
  metadata: ContainerMetadata;
  /** The image reference as resolved by {@link ImageService.pullImage} or {@link ImageService.imageStatus}. */
  image: { image: string; userSpecifiedImage?: string };
  command?: string[];
  args?: string[];
  envs?: { key: string; value: string }[];
  workingDir?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** CRI ContainerState. */
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

/** CRI ContainerStatus, reduced. Times of phases not reached are 0. */
export interface ContainerStatus {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  state: ContainerState;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  /** The image as the runtime names it (normalized), and its content reference (`repo@sha256:…`). */
  image: { image: string };
  imageRef: string;
  /** For exited containers: a brief CamelCase reason (`Completed`, `Error`, `OOMKilled`) and a message. */
  reason: string;
  message: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** A change of one container's state (CRI ContainerEventResponse, reduced). */
export interface ContainerEvent {
  containerId: string;
  podSandboxId: string;
  type: 'CONTAINER_CREATED_EVENT' | 'CONTAINER_STARTED_EVENT' | 'CONTAINER_STOPPED_EVENT' | 'CONTAINER_DELETED_EVENT';
  createdAt: number;
}

/** The runtime's name and versions (CRI VersionResponse). */
export interface RuntimeVersion {
  version: string;
  runtimeName: string;
  runtimeVersion: string;
  runtimeApiVersion: string;
}

/** Filters of list calls: every given field must match. */
export interface SandboxFilter {
  id?: string;
  state?: PodSandboxState;
  labelSelector?: Record<string, string>;
}

/** Filters of {@link RuntimeService.listContainers}. */
export interface ContainerFilter {
  id?: string;
  podSandboxId?: string;
  state?: ContainerState;
  labelSelector?: Record<string, string>;
}

/** The CRI RuntimeService: sandboxes and containers. Unknown ids reject with a NotFound-like error. */
export interface RuntimeService {
  version(): Promise<RuntimeVersion>;
  /** Creates and starts a sandbox (network set up); resolves with its id. */
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  /** Stops every container of the sandbox and tears its network down; idempotent. */
  stopPodSandbox(podSandboxId: string): Promise<void>;
  /** Removes a sandbox and its containers; idempotent. */
  removePodSandbox(podSandboxId: string): Promise<void>;
  podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus>;
  listPodSandbox(filter?: SandboxFilter): Promise<PodSandboxStatus[]>;
  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  /** Stops a running container, killing it after `timeoutSeconds`; idempotent. */
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  removeContainer(containerId: string): Promise<void>;
  containerStatus(containerId: string): Promise<ContainerStatus>;
  listContainers(filter?: ContainerFilter): Promise<ContainerStatus[]>;
  /** Subscribes to container state changes; answers the unsubscribe function. */
  onContainerEvent(listener: (event: ContainerEvent) => void): () => void;
}

/** An image present on the node (CRI Image, reduced). */
export interface Image {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
}

/** The CRI ImageService. */
export interface ImageService {
  /** The image if present on the node, else null. */
  imageStatus(image: string): Promise<Image | null>;
  /** Pulls an image; resolves with its reference (`repo@sha256:…`). */
  pullImage(image: string): Promise<string>;
  listImages(): Promise<Image[]>;
}

/** Both services, as one runtime endpoint serves them. */
export interface ContainerRuntime extends RuntimeService, ImageService {}

/** The error a runtime rejects with for an unknown sandbox or container. */
export class RuntimeNotFoundError extends Error {
  constructor(what: string, id: string) {
    super(`${what} "${id}" not found`);
    this.name = 'RuntimeNotFoundError';
  }
}
