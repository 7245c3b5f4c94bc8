/**
 * What the endpoint controllers read from pods and services: readiness, addresses, ports, and
 * which services a pod belongs to (k8s.io/endpointslice/util and pkg/api/v1/pod).
 */
import { isIPv6 } from 'node:net';
import type { KubeObject } from '../../../client/index.js';

/** A Service or Pod as plain JSON. */
export type Obj = KubeObject;

/** The pod's Ready condition is True (`podutil.IsPodReady`). */
export function isPodReady(pod: Obj): boolean {
  const c = (pod.status?.conditions ?? []).find((x: any) => x?.type === 'Ready');
  return c?.status === 'True';
}

/** The pod's phase is Succeeded or Failed. */
export function isPodTerminal(pod: Obj): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** The pod's IPs in order: `status.podIPs`, or `status.podIP` alone when the list is empty. */
export function podIps(pod: Obj): string[] {
  const list: string[] = (pod.status?.podIPs ?? []).map((p: any) => p?.ip).filter((ip: unknown) => typeof ip === 'string' && ip !== '');
  if (list.length > 0) return list;
  return pod.status?.podIP ? [pod.status.podIP] : [];
}

/**
 * Whether a pod belongs in Endpoints/EndpointSlices at all: not terminal, has an IP, and (unless
 * `includeTerminating`) is not being deleted (`ShouldPodBeInEndpoints`).
 */
export function shouldPodBeInEndpoints(pod: Obj, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (podIps(pod).length === 0) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/** The pod's hostname is published when its subdomain names this service in its namespace. */
export function shouldSetHostname(pod: Obj, svc: Obj): boolean {
  const host = pod.spec?.hostname;
  return typeof host === 'string' && host.length > 0 && pod.spec?.subdomain === svc.metadata.name && svc.metadata.namespace === pod.metadata.namespace;
}

/** A service's selector, or undefined when it has none (an empty map is served as none). */
export function serviceSelector(svc: Obj): Record<string, string> | undefined {
  const sel = svc.spec?.selector;
  if (!sel || typeof sel !== 'object' || Object.keys(sel).length === 0) return undefined;
  return sel as Record<string, string>;
}

/** `labels.Set(selector).Matches(labels)`. */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return Object.entries(selector).every(([k, v]) => Object.prototype.hasOwnProperty.call(l, k) && l[k] === v);
}

/** The service has a cluster IP (not headless, not unset). */
export function isServiceIpSet(svc: Obj): boolean {
  const ip = svc.spec?.clusterIP;
  return typeof ip === 'string' && ip !== '' && ip !== 'None';
}

/**
 * The container port a service port targets on `pod`: a number as is, a name looked up among
 * the containers' (then restartable init containers') named ports of the same protocol.
 * Throws upstream's `no suitable port for manifest: <uid>` otherwise.
 */
export function findPort(pod: Obj, svcPort: any): number {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target;
  const protocol = svcPort.protocol ?? 'TCP';
  const lookup = (containers: any[]): number | undefined => {
    for (const c of containers) {
      for (const p of c?.ports ?? []) {
        if (p?.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
      }
    }
    return undefined;
  };
  const found = lookup(pod.spec?.containers ?? [])
    ?? lookup((pod.spec?.initContainers ?? []).filter((c: any) => c?.restartPolicy === 'Always'));
  if (found !== undefined) return found;
  throw new Error(`no suitable port for manifest: ${pod.metadata.uid ?? ''}`);
}

/** Whether an address is IPv6 (as utilnet reads it). */
export function isIpv6Address(ip: string): boolean {
  return isIPv6(ip);
}

/**
 * How a pod update may change endpoints: `podChanged` when deletion, readiness or IPs changed,
 * `labelsChanged` when labels, hostname or subdomain changed (`podEndpointsChanged`). Go
 * compares deletion timestamps as pointers, so two set timestamps count as a change.
 */
export function podEndpointsChanged(oldPod: Obj, newPod: Obj): { podChanged: boolean; labelsChanged: boolean } {
  const labelsChanged = !sameLabels(oldPod.metadata.labels, newPod.metadata.labels)
    || (oldPod.spec?.hostname ?? '') !== (newPod.spec?.hostname ?? '')
    || (oldPod.spec?.subdomain ?? '') !== (newPod.spec?.subdomain ?? '');
  if (oldPod.metadata.deletionTimestamp || newPod.metadata.deletionTimestamp) return { podChanged: true, labelsChanged };
  if (isPodReady(oldPod) !== isPodReady(newPod)) return { podChanged: true, labelsChanged };
  const a = (oldPod.status?.podIPs ?? []).map((p: any) => p?.ip);
  const b = (newPod.status?.podIPs ?? []).map((p: any) => p?.ip);
  const ipsChanged = a.length !== b.length || a.some((ip: string, i: number) => ip !== b[i]);
  return { podChanged: ipsChanged, labelsChanged };
}

/** Label maps equal, with a missing map equal to an empty one. */
export function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  const kb = Object.keys(b ?? {});
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b ?? {}, k) && a![k] === b![k]);
}
