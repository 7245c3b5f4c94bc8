/** The endpoints and ports a pod contributes to a service's EndpointSlices (k8s.io/endpointslice utils). */
import { fnv128aHex, spewSlicePort, type SliceEndpointPort } from './util/go-hash.js';
import { findPort, isIpv6Address, isPodReady, podIps, shouldSetHostname, type Obj } from './util/pods.js';

/** The node label that names a node's zone. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** A discovery/v1 Endpoint as JSON. */
export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready?: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  targetRef?: { kind?: string; namespace?: string; name?: string; uid?: string; resourceVersion?: string; apiVersion?: string; fieldPath?: string };
  nodeName?: string;
  zone?: string;
  [k: string]: unknown;
}

/** An IP as Go's `ParseIPSloppy(..).String()` prints IPv4 (leading zeros of octets dropped). */
function normalizeIp(ip: string): string {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return ip.split('.').map((o) => String(Number(o))).join('.');
  return ip.toLowerCase();
}

/** The pod's addresses of `addressType` (IPv4 or IPv6). */
export function endpointAddresses(pod: Obj, addressType: string): string[] {
  return podIps(pod).filter((ip) => isIpv6Address(ip) === (addressType === 'IPv6')).map(normalizeIp);
}

/**
 * The Endpoint for `pod` (`podToEndpoint`): serving follows readiness, terminating the deletion
 * timestamp, ready is serving and not terminating (always true with publishNotReadyAddresses).
 */
export function podToEndpoint(pod: Obj, node: Obj | undefined, svc: Obj, addressType: string): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const ep: SliceEndpoint = {
    addresses: endpointAddresses(pod, addressType),
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
  };
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata.labels?.[ZONE_LABEL];
  if (zone) ep.zone = zone;
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec.hostname;
  return ep;
}

/** Sorts ports in place by the FNV-128a of their Go rendering (`portsInOrder`); answers them. */
export function sortPorts(ports: SliceEndpointPort[]): SliceEndpointPort[] {
  const keyed = ports.map((p) => ({ p, h: fnv128aHex(spewSlicePort(p)) })).sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0));
  keyed.forEach((k, i) => { ports[i] = k.p; });
  return ports;
}

/** The ports of `svc` as `pod` serves them, sorted; ports the pod lacks are left out. */
export function endpointPorts(svc: Obj, pod: Obj): SliceEndpointPort[] {
  const out: SliceEndpointPort[] = [];
  const ports: any[] = svc.spec?.ports ?? [];
  if (ports.length === 0 && svc.spec?.clusterIP === 'None') return out;
  for (const sp of ports) {
    let num: number;
    try {
      num = findPort(pod, sp);
    } catch {
      continue;
    }
    const p: SliceEndpointPort = { name: sp.name ?? '', protocol: sp.protocol ?? '', port: num };
    if (sp.appProtocol !== undefined && sp.appProtocol !== null) p.appProtocol = sp.appProtocol;
    out.push(p);
  }
  return sortPorts(out);
}

/** A key naming a set of ports (`NewPortMapKey`); sorts `ports` in place as upstream does. */
export function portMapKey(ports: SliceEndpointPort[] | undefined | null): string {
  const list = ports ? sortPorts(ports) : [];
  return JSON.stringify(list.map((p) => [p.name ?? null, p.protocol ?? null, p.port ?? null, p.appProtocol ?? null]));
}

/** The identity of an endpoint: its sorted addresses, hostname and target (`hashEndpoint`). */
export function endpointKey(ep: SliceEndpoint): string {
  return JSON.stringify([[...(ep.addresses ?? [])].sort(), ep.hostname ?? '', ep.targetRef?.namespace ?? '', ep.targetRef?.name ?? '']);
}

/** The address types a service's slices use: its IP families, else its cluster IP's, else both. */
export function addressTypesForService(svc: Obj): Set<string> {
  const out = new Set<string>();
  for (const f of svc.spec?.ipFamilies ?? []) {
    if (f === 'IPv4') out.add('IPv4');
    if (f === 'IPv6') out.add('IPv6');
  }
  if (out.size > 0) return out;
  const cip = svc.spec?.clusterIP;
  if (typeof cip === 'string' && cip !== '' && cip !== 'None') return new Set([isIpv6Address(cip) ? 'IPv6' : 'IPv4']);
  return new Set(['IPv4', 'IPv6']);
}

function ptrChanged<T>(a: T | undefined, b: T | undefined): boolean {
  return (a === undefined || a === null) !== (b === undefined || b === null) || (a !== undefined && a !== null && a !== b);
}

/**
 * Endpoints with the same key are still equal beyond it (`EndpointsEqualBeyondHash`): node,
 * zone, the three conditions and the target (its resourceVersion aside).
 */
export function endpointsEqualBeyondKey(a: SliceEndpoint, b: SliceEndpoint): boolean {
  if (ptrChanged(a.nodeName, b.nodeName) || ptrChanged(a.zone, b.zone)) return false;
  const ca = a.conditions ?? {};
  const cb = b.conditions ?? {};
  if (ptrChanged(ca.ready, cb.ready) || ptrChanged(ca.serving, cb.serving) || ptrChanged(ca.terminating, cb.terminating)) return false;
  const ra = a.targetRef;
  const rb = b.targetRef;
  if (!ra || !rb) return !ra && !rb;
  const fields = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'fieldPath'] as const;
  return fields.every((f) => (ra[f] ?? '') === (rb[f] ?? ''));
}
