/**
 * Names, reasons and messages the kubelet writes, as upstream v1.32's kubelet writes them, and
 * the time formats of the API.
 */
import { KUBERNETES_VERSION } from '../apiserver/endpoints/version.js';

/** The version a node reports as its kubelet (and kube-proxy) version: the API's version. */
export const KUBELET_VERSION = `v${KUBERNETES_VERSION.major}.${KUBERNETES_VERSION.minor}.${KUBERNETES_VERSION.patch}`;

/** The namespace node heartbeat leases live in. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** Well-known node labels the kubelet sets on registration. */
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_OS = 'kubernetes.io/os';
export const LABEL_ARCH = 'kubernetes.io/arch';
export const LABEL_OS_BETA = 'beta.kubernetes.io/os';
export const LABEL_ARCH_BETA = 'beta.kubernetes.io/arch';
export const LABEL_INSTANCE_TYPE = 'node.kubernetes.io/instance-type';
/** The annotation that says attach/detach of volumes is done by the controller manager. */
export const ANNOTATION_CONTROLLER_MANAGED_ATTACH_DETACH = 'volumes.kubernetes.io/controller-managed-attach-detach';

/** The node conditions a kubelet reports, with their healthy reasons and messages. */
export const NODE_CONDITIONS = [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
] as const;

/** Node events the kubelet records when a condition changes or the node registers. */
export const NODE_EVENT = {
  registered: 'RegisteredNode',
  starting: 'Starting',
  ready: 'NodeReady',
  notReady: 'NodeNotReady',
} as const;

/** Pod condition types the kubelet owns. */
export const POD_CONDITIONS_BY_KUBELET = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

/** Reasons of pod conditions (pkg/kubelet/status). */
export const POD_REASON = {
  unknownContainerStatuses: 'UnknownContainerStatuses',
  podCompleted: 'PodCompleted',
  podFailed: 'PodFailed',
  containersNotReady: 'ContainersNotReady',
  containersNotInitialized: 'ContainersNotInitialized',
  readinessGatesNotReady: 'ReadinessGatesNotReady',
} as const;

/** Container event reasons (pkg/kubelet/events). */
export const CONTAINER_EVENT = {
  pulling: 'Pulling',
  pulled: 'Pulled',
  created: 'Created',
  started: 'Started',
  killing: 'Killing',
} as const;

/** Go's `%q` of a plain string (JSON's quoting agrees for the strings images and names are made of). */
export const goQuote = (s: string): string => JSON.stringify(s);

/** Go's time.Duration String() of a whole number of milliseconds: `0s`, `523ms`, `1.5s`, `2m3.1s`. */
export function goDuration(ms: number): string {
  ms = Math.max(0, Math.trunc(ms));
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const secs = `${Number(s.toFixed(3))}s`;
  if (h > 0) return `${h}h${m}m${secs}`;
  if (m > 0) return `${m}m${secs}`;
  return secs;
}

/** metav1.Time as JSON: RFC 3339 in UTC, whole seconds. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** metav1.MicroTime as JSON: RFC 3339 in UTC with six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}
