/**
 * The Node object a kubelet registers and the status it posts: labels, addresses, capacity,
 * node info and the four kubelet conditions, as upstream's kubelet fills them for what it knows.
 */
import type { KubeObject } from '../client/object.js';
import {
  ANNOTATION_CONTROLLER_MANAGED_ATTACH_DETACH, KUBELET_VERSION, LABEL_ARCH, LABEL_ARCH_BETA, LABEL_HOSTNAME,
  LABEL_INSTANCE_TYPE, LABEL_OS, LABEL_OS_BETA, NODE_CONDITIONS, rfc3339,
} from './constants.js';

/** Resource figures of a node, as quantities (`cpu: '4'`, `memory: '16Gi'`, …). */
export type ResourceList = Record<string, string>;

/** The default capacity of a simulated node: a 4-core, 16 GiB machine with a 100 GiB disk. */
export const DEFAULT_CAPACITY: ResourceList = {
  cpu: '4',
  'ephemeral-storage': '104857600Ki',
  'hugepages-1Gi': '0',
  'hugepages-2Mi': '0',
  memory: '16Gi',
  pods: '110',
};

/**
 * What the default capacity leaves allocatable under the kubelet's default hard eviction
 * thresholds (memory.available<100Mi, nodefs.available<10%) and no reservations.
 */
export const DEFAULT_ALLOCATABLE: ResourceList = {
  ...DEFAULT_CAPACITY,
  'ephemeral-storage': '90Gi',
  memory: '16284Mi',
};

/** What the kubelet knows about its machine. */
export interface NodeIdentity {
  name: string;
  internalIp: string;
  podCidr?: string;
  capacity?: ResourceList;
  /** Defaults to capacity when capacity is given, else {@link DEFAULT_ALLOCATABLE}. */
  allocatable?: ResourceList;
  /** Extra labels (merged over the kubelet's own). */
  labels?: Record<string, string>;
  /** `node.kubernetes.io/instance-type`, when known. */
  instanceType?: string;
  /** Taints to register with (`--register-with-taints`). */
  taints?: { key: string; value?: string; effect: string }[];
  /** `containerRuntimeVersion`, e.g. `sim://0.1.0`. */
  containerRuntimeVersion: string;
  machineId: string;
  systemUuid: string;
  bootId: string;
  kernelVersion?: string;
  osImage?: string;
  /** The kubelet's port (daemonEndpoints.kubeletEndpoint.Port); default 10250. */
  kubeletPort?: number;
}

/** The labels the kubelet sets on its Node. */
export function nodeLabels(id: NodeIdentity): Record<string, string> {
  const labels: Record<string, string> = {
    [LABEL_ARCH_BETA]: 'amd64',
    [LABEL_OS_BETA]: 'linux',
    [LABEL_ARCH]: 'amd64',
    [LABEL_HOSTNAME]: id.name,
    [LABEL_OS]: 'linux',
  };
  if (id.instanceType) labels[LABEL_INSTANCE_TYPE] = id.instanceType;
  return { ...labels, ...id.labels };
}

/**
 * The node's conditions at `now`. A condition keeps its lastTransitionTime from `previous` when
 * its status did not change; lastHeartbeatTime is always `now`.
 */
export function nodeConditions(now: number, previous: any[] = []): any[] {
  const ts = rfc3339(now);
  return NODE_CONDITIONS.map((c) => {
    const old = previous.find((p) => p?.type === c.type);
    const lastTransitionTime = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : ts;
    return { type: c.type, status: c.status, lastHeartbeatTime: ts, lastTransitionTime, reason: c.reason, message: c.message };
  });
}

/** The node's status at `now` (conditions carry over transition times from `previousConditions`). */
export function nodeStatus(id: NodeIdentity, now: number, previousConditions?: any[]): any {
  const capacity = { ...(id.capacity ?? DEFAULT_CAPACITY) };
  return {
    capacity,
    allocatable: { ...(id.allocatable ?? (id.capacity ? capacity : DEFAULT_ALLOCATABLE)) },
    conditions: nodeConditions(now, previousConditions),
    addresses: [
      { type: 'InternalIP', address: id.internalIp },
      { type: 'Hostname', address: id.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: id.kubeletPort ?? 10250 } },
    nodeInfo: {
      machineID: id.machineId,
      systemUUID: id.systemUuid,
      bootID: id.bootId,
      kernelVersion: id.kernelVersion ?? '6.8.0-tskube',
      osImage: id.osImage ?? 'tskube simulated node',
      containerRuntimeVersion: id.containerRuntimeVersion,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  };
}

/** The Node a kubelet registers: labels, the attach/detach annotation, pod CIDR, taints and status. */
export function initialNode(id: NodeIdentity, now: number): KubeObject {
  const spec: any = {};
  if (id.podCidr) {
    spec.podCIDR = id.podCidr;
    spec.podCIDRs = [id.podCidr];
  }
  if (id.taints?.length) spec.taints = id.taints.map((t) => ({ ...t }));
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: id.name,
      labels: nodeLabels(id),
      annotations: { [ANNOTATION_CONTROLLER_MANAGED_ATTACH_DETACH]: 'true' },
    },
    spec,
    status: nodeStatus(id, now),
  };
}

/**
 * The strategic merge patch of node status that renews the heartbeat of every condition (and
 * carries any changed transition times), as the kubelet's periodic status report sends it.
 */
export function heartbeatPatch(now: number, previousConditions: any[]): any {
  return { status: { conditions: nodeConditions(now, previousConditions) } };
}
