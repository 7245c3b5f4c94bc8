/**
 * The steps of starting a pod's sandbox and containers through a CRI-shaped runtime, with the
 * events upstream's kubelet records on the way (Pulling, Pulled, Created, Started, Killing).
 */
import type { KubeObject } from '../client/object.js';
import { CONTAINER_EVENT, goDuration, goQuote } from './constants.js';
import { defaultPullPolicy } from './runtime/image-ref.js';
import type { ContainerConfig, ContainerRuntime, PodSandboxConfig } from './runtime/runtime.js';

/** Records one event about a pod (`fieldPath` names the container, as `spec.containers{name}`). */
export type PodEventFn = (pod: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string) => void;

/** Labels the kubelet puts on sandboxes and containers to find them again. */
export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';

/** The sandbox configuration of a pod (attempt 0). */
export function sandboxConfigFor(pod: KubeObject): PodSandboxConfig {
  const m = pod.metadata;
  return {
    metadata: { name: m.name as string, namespace: m.namespace as string, uid: m.uid as string, attempt: 0 },
    hostname: pod.spec?.hostname ?? m.name,
    labels: { ...(m.labels ?? {}), [LABEL_POD_NAME]: m.name as string, [LABEL_POD_NAMESPACE]: m.namespace as string, [LABEL_POD_UID]: m.uid as string },
    annotations: { ...(m.annotations ?? {}) },
    hostNetwork: pod.spec?.hostNetwork === true,
  };
}

/** The container configuration of one container of a pod. */
export function containerConfigFor(pod: KubeObject, c: any, attempt: number, imageRef: string): ContainerConfig {
  const m = pod.metadata;
  return {
    metadata: { name: c.name, attempt },
    image: { image: imageRef, userSpecifiedImage: c.image },
    command: c.command, args: c.args, workingDir: c.workingDir,
    envs: (c.env ?? []).filter((e: any) => typeof e.value === 'string').map((e: any) => ({ key: e.name, value: e.value })),
    labels: { [LABEL_CONTAINER_NAME]: c.name, [LABEL_POD_NAME]: m.name as string, [LABEL_POD_NAMESPACE]: m.namespace as string, [LABEL_POD_UID]: m.uid as string },
    annotations: {},
  };
}

/** The field path of a container in events: `spec.containers{name}` or `spec.initContainers{name}`. */
export function containerFieldPath(pod: KubeObject, name: string): string {
  const isInit = (pod.spec?.initContainers ?? []).some((c: any) => c.name === name);
  return `spec.${isInit ? 'initContainers' : 'containers'}{${name}}`;
}

/**
 * Makes sure the container's image is on the node, as the kubelet's image manager does for the
 * container's pull policy, recording Pulling/Pulled events; resolves with the image reference.
 * `Never` with a missing image rejects (ErrImageNeverPull).
 */
export async function ensureImage(runtime: ContainerRuntime, pod: KubeObject, c: any, event: PodEventFn | undefined, clock: () => number): Promise<string> {
  const policy = c.imagePullPolicy ?? defaultPullPolicy(c.image);
  const fieldPath = containerFieldPath(pod, c.name);
  const present = await runtime.imageStatus(c.image);
  if (present && policy !== 'Always') {
    event?.(pod, 'Normal', CONTAINER_EVENT.pulled, `Container image ${goQuote(c.image)} already present on machine`, fieldPath);
    return present.repoDigests[0] ?? present.id;
  }
  if (!present && policy === 'Never') {
    const msg = `Container image ${goQuote(c.image)} is not present with pull policy of Never`;
    event?.(pod, 'Warning', 'ErrImageNeverPull', msg, fieldPath);
    throw new Error(msg);
  }
  event?.(pod, 'Normal', CONTAINER_EVENT.pulling, `Pulling image ${goQuote(c.image)}`, fieldPath);
  const start = clock();
  const ref = await runtime.pullImage(c.image);
  const took = goDuration(clock() - start);
  const size = (await runtime.imageStatus(c.image))?.size ?? 0;
  event?.(pod, 'Normal', CONTAINER_EVENT.pulled, `Successfully pulled image ${goQuote(c.image)} in ${took} (${took} including waiting). Image size: ${size} bytes.`, fieldPath);
  return ref;
}

/**
 * Pulls (per policy), creates and starts one container in the sandbox, recording the events
 * upstream records; resolves with the new container's id.
 */
export async function startContainer(
  runtime: ContainerRuntime, sandboxId: string, sandbox: PodSandboxConfig, pod: KubeObject, c: any, attempt: number,
  event: PodEventFn | undefined, clock: () => number,
): Promise<string> {
  const imageRef = await ensureImage(runtime, pod, c, event, clock);
  const id = await runtime.createContainer(sandboxId, containerConfigFor(pod, c, attempt, imageRef), sandbox);
  const fieldPath = containerFieldPath(pod, c.name);
  event?.(pod, 'Normal', CONTAINER_EVENT.created, `Created container: ${c.name}`, fieldPath);
  await runtime.startContainer(id);
  event?.(pod, 'Normal', CONTAINER_EVENT.started, `Started container ${c.name}`, fieldPath);
  return id;
}

/** Stops one container with the pod's grace period, recording the Killing event. */
export async function killContainer(runtime: ContainerRuntime, pod: KubeObject, name: string, id: string, event: PodEventFn | undefined): Promise<void> {
  event?.(pod, 'Normal', CONTAINER_EVENT.killing, `Stopping container ${name}`, containerFieldPath(pod, name));
  const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  await runtime.stopContainer(id, grace);
}
