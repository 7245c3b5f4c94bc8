/**
 * The interlinked fields of a Service spec (type, clusterIP/clusterIPs, ipFamilies, node ports)
 * and upstream's rules for keeping them consistent across writes; shared by the Service strategy
 * and the allocator. Every function takes Service objects in their JSON form.
 */
import type { ApiObject } from '../../resource.js';

/** `spec.clusterIP` of a headless service. */
export const CLUSTER_IP_NONE = 'None';

/** The spec of a Service, or an empty one. */
export function specOf(svc: ApiObject | null | undefined): ApiObject {
  const s = svc?.spec;
  return s && typeof s === 'object' && !Array.isArray(s) ? s : {};
}

/** `spec.clusterIPs` as a list of strings (empty when absent). */
export function clusterIPsOf(svc: ApiObject): string[] {
  const ips = specOf(svc).clusterIPs;
  return Array.isArray(ips) ? ips : [];
}

/** `spec.ports` as a list of objects (empty when absent). */
export function portsOf(svc: ApiObject): ApiObject[] {
  const ports = specOf(svc).ports;
  return Array.isArray(ports) ? ports.filter((p) => p && typeof p === 'object') : [];
}

/** Every type but ExternalName gets cluster IPs (or is headless). */
export function needsClusterIP(svc: ApiObject): boolean {
  return specOf(svc).type !== 'ExternalName';
}

/** NodePort and LoadBalancer services get node ports. */
export function needsNodePort(svc: ApiObject): boolean {
  const t = specOf(svc).type;
  return t === 'NodePort' || t === 'LoadBalancer';
}

/** A LoadBalancer with `externalTrafficPolicy: Local` gets a health check node port. */
export function needsHealthCheck(svc: ApiObject): boolean {
  const s = specOf(svc);
  return s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
}

/** Reachable from outside the cluster: NodePort, LoadBalancer, or ClusterIP with external IPs. */
export function externallyAccessible(svc: ApiObject): boolean {
  const s = specOf(svc);
  return s.type === 'LoadBalancer' || s.type === 'NodePort'
    || (s.type === 'ClusterIP' && Array.isArray(s.externalIPs) && s.externalIPs.length > 0);
}

/** Exactly one cluster IP, and it is `None`. */
export function isHeadless(svc: ApiObject): boolean {
  const ips = clusterIPsOf(svc);
  return ips.length === 1 && ips[0] === CLUSTER_IP_NONE;
}

/** Whether a new LoadBalancer/NodePort port without a requested node port gets one allocated. */
export function allocatesNodePorts(svc: ApiObject): boolean {
  const s = specOf(svc);
  if (s.type === 'NodePort') return true;
  if (s.type === 'LoadBalancer') return s.allocateLoadBalancerNodePorts !== false;
  return false;
}

/** The node ports the ports of a service hold (non-zero ones, in port order, repeats kept). */
export function nodePortsOf(svc: ApiObject): number[] {
  return portsOf(svc).map((p) => p.nodePort).filter((n): n is number => typeof n === 'number' && n !== 0);
}

/** Two string lists with the same items in the same order (absent counts as empty). */
export function sameStrings(a: unknown, b: unknown): boolean {
  const x = Array.isArray(a) ? a : [];
  const y = Array.isArray(b) ? b : [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function setSpec(svc: ApiObject, field: string, value: unknown): void {
  svc.spec ??= {};
  if (value === undefined || value === null || value === '') delete svc.spec[field];
  else svc.spec[field] = value;
}

/**
 * Keeps `clusterIP` and `clusterIPs` in step, as upstream does before anything looks at them: on
 * create (old null) a lone `clusterIP` fills `clusterIPs`; on update, clients that know only
 * `clusterIP` keep the plural field, and one that clears or changes `clusterIP` alone has
 * `clusterIPs` follow.
 */
export function normalizeClusterIPs(svc: ApiObject, old: ApiObject | null): void {
  const s = specOf(svc);
  const ip: string = typeof s.clusterIP === 'string' ? s.clusterIP : '';
  if (!old) {
    if (ip && clusterIPsOf(svc).length === 0) setSpec(svc, 'clusterIPs', [ip]);
    return;
  }
  const o = specOf(old);
  const oldIP: string = typeof o.clusterIP === 'string' ? o.clusterIP : '';
  if (clusterIPsOf(old).length > 0 && clusterIPsOf(svc).length === 0 && oldIP === ip) {
    setSpec(svc, 'clusterIPs', [...clusterIPsOf(old)]);
  }
  if (oldIP !== ip) {
    const samePlural = sameStrings(o.clusterIPs, specOf(svc).clusterIPs);
    if (oldIP && !ip) {
      if (samePlural) setSpec(svc, 'clusterIPs', undefined);
    } else if (samePlural) {
      setSpec(svc, 'clusterIPs', [ip]);
    }
  }
}

/**
 * Carries values the server allocated into an update that left them out, so that a client can
 * resubmit the manifest it created the service from: cluster IPs, node ports (matched by port
 * name, when no other port of the update already uses them) and the health check node port.
 */
export function patchAllocatedValues(svc: ApiObject, old: ApiObject): void {
  const s = specOf(svc);
  const o = specOf(old);
  if (needsClusterIP(old) && needsClusterIP(svc)) {
    if (!s.clusterIP && o.clusterIP) setSpec(svc, 'clusterIP', o.clusterIP);
    if (clusterIPsOf(svc).length === 0 && clusterIPsOf(old).length > 0) setSpec(svc, 'clusterIPs', [...clusterIPsOf(old)]);
  }
  if (needsNodePort(old) && needsNodePort(svc)) {
    const newUsed = new Set(nodePortsOf(svc));
    const used = new Set(nodePortsOf(old).filter((n) => newUsed.has(n)));
    const byName = new Map<string, number>();
    for (const p of portsOf(old)) byName.set(String(p.name ?? ''), typeof p.nodePort === 'number' ? p.nodePort : 0);
    for (const p of portsOf(svc)) {
      if (p.nodePort) continue;
      const was = byName.get(String(p.name ?? '')) ?? 0;
      if (!used.has(was) && was !== 0) p.nodePort = was;
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(svc) && !s.healthCheckNodePort && o.healthCheckNodePort) {
    svc.spec.healthCheckNodePort = o.healthCheckNodePort;
  }
}

/**
 * On a type change, drops the values that only the old type uses and that the client did not
 * change itself (they are released by the allocator): cluster IPs and IP family fields when
 * moving to ExternalName, node ports when moving off NodePort/LoadBalancer, the health check node
 * port, LoadBalancer-only fields, externalTrafficPolicy, and the load balancer status.
 */
export function dropTypeDependentFields(svc: ApiObject, old: ApiObject): void {
  const s = specOf(svc);
  const o = specOf(old);
  svc.spec ??= {};
  if (needsClusterIP(old) && !needsClusterIP(svc)) {
    if (o.clusterIP === s.clusterIP && sameStrings(o.clusterIPs, s.clusterIPs)) {
      setSpec(svc, 'clusterIP', undefined);
      setSpec(svc, 'clusterIPs', undefined);
    }
    if (JSON.stringify(o.ipFamilies ?? null) === JSON.stringify(s.ipFamilies ?? null)) setSpec(svc, 'ipFamilies', undefined);
    if ((o.ipFamilyPolicy ?? '') === (s.ipFamilyPolicy ?? '')) setSpec(svc, 'ipFamilyPolicy', undefined);
  }
  if (needsNodePort(old) && !needsNodePort(svc)) {
    const before = new Set(nodePortsOf(old));
    if (nodePortsOf(svc).every((n) => before.has(n))) {
      for (const p of portsOf(svc)) delete p.nodePort;
    }
  }
  if (needsHealthCheck(old) && !needsHealthCheck(svc) && (o.healthCheckNodePort ?? 0) === (s.healthCheckNodePort ?? 0)) {
    setSpec(svc, 'healthCheckNodePort', undefined);
  }
  if (o.type === 'LoadBalancer' && s.type !== 'LoadBalancer') {
    if (typeof s.allocateLoadBalancerNodePorts === 'boolean' && s.allocateLoadBalancerNodePorts === o.allocateLoadBalancerNodePorts) {
      setSpec(svc, 'allocateLoadBalancerNodePorts', undefined);
    }
    if ((o.loadBalancerClass ?? null) === (s.loadBalancerClass ?? null)) setSpec(svc, 'loadBalancerClass', undefined);
  }
  if (externallyAccessible(old) && !externallyAccessible(svc) && (o.externalTrafficPolicy ?? '') === (s.externalTrafficPolicy ?? '')) {
    setSpec(svc, 'externalTrafficPolicy', undefined);
  }
  if (s.type !== 'LoadBalancer') {
    svc.status = { ...(svc.status && typeof svc.status === 'object' ? svc.status : {}), loadBalancer: {} };
  }
}

/** A Go `%#v` rendering of a string list, as upstream's messages show `[]string{"10.96.0.5"}`. */
export function goStringList(list: unknown, type = '[]string'): string {
  if (!Array.isArray(list)) return `${type}(nil)`;
  return `${type}{${list.map((v) => JSON.stringify(String(v))).join(', ')}}`;
}
