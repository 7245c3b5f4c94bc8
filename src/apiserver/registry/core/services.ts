/**
 * core/v1 Service: defaulting, the strategy (cluster IP and type-dependent fields kept consistent),
 * validation with upstream v1.32's field paths and messages, and the Table form `kubectl get svc`
 * prints. Cluster IPs and node ports are allocated by the write hooks of
 * `service-allocation/attach.ts`, not here.
 */
import type { FieldError } from '../../../machinery/status.js';
import { ageOf } from '../../../machinery/duration.js';
import {
  invalidValue, requiredValue, validateDns1123Label, validateDns1123Subdomain, validateLabels, validateQualifiedName,
} from '../../../machinery/validation.js';
import { formatLabels } from '../printing.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { parseIp } from './service-allocation/ip-range.js';
import {
  CLUSTER_IP_NONE, clusterIPsOf, dropTypeDependentFields, externallyAccessible, goStringList, isHeadless, needsClusterIP,
  needsHealthCheck, normalizeClusterIPs, patchAllocatedValues, specOf,
} from './service-allocation/service-fields.js';

// ---------------------------------------------------------------------------------------------
// Field errors of the kinds machinery/validation.ts does not build.

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined || value === null) return 'null';
  return String(value);
}

/** `Invalid value: <rendered>: <why>` with a value already rendered the way upstream shows it (Go `%#v`). */
function invalidRendered(field: string, rendered: string, why: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${rendered}: ${why}` };
}

function notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  return { type: 'FieldValueNotSupported', field, detail: `Unsupported value: ${show(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` };
}

function forbidden(field: string, why: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail: `Forbidden: ${why}` };
}

function duplicate(field: string, rendered: string): FieldError {
  return { type: 'FieldValueDuplicate', field, detail: `Duplicate value: ${rendered}` };
}

const PORT_RANGE_MSG = 'must be between 1 and 65535, inclusive';
const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
const DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const ONLY_LOAD_BALANCER = "may only be used when `type` is 'LoadBalancer'";

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const AFFINITIES = ['ClientIP', 'None'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const FAMILIES = ['IPv4', 'IPv6'];
const FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const IP_MODES = ['Proxy', 'VIP'];
/** Upstream's default and maximum ClientIP affinity timeouts (seconds). */
const DEFAULT_AFFINITY_SECONDS = 10800;
const MAX_AFFINITY_SECONDS = 86400;

const TOPOLOGY_HINTS = 'service.kubernetes.io/topology-aware-hints';
const TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

const present = (v: unknown): boolean => v !== undefined && v !== null;

// ---------------------------------------------------------------------------------------------
// Defaulting (upstream's SetDefaults_Service).

/** Fills the omitted fields of a Service body as upstream's defaulting does (in place). */
export function defaultService(svc: ApiObject): void {
  if (!svc.spec || typeof svc.spec !== 'object' || Array.isArray(svc.spec)) svc.spec = {};
  const s = svc.spec;
  if (!s.sessionAffinity) s.sessionAffinity = 'None';
  if (s.sessionAffinity === 'None') delete s.sessionAffinityConfig;
  if (s.sessionAffinity === 'ClientIP' && !present(s.sessionAffinityConfig?.clientIP?.timeoutSeconds)) {
    s.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_AFFINITY_SECONDS } };
  }
  if (!s.type) s.type = 'ClusterIP';
  if (Array.isArray(s.ports)) {
    for (const p of s.ports) {
      if (!p || typeof p !== 'object') continue;
      if (!p.protocol) p.protocol = 'TCP';
      if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port ?? 0;
    }
  }
  if (externallyAccessible(svc) && !s.externalTrafficPolicy) s.externalTrafficPolicy = 'Cluster';
  if (!present(s.internalTrafficPolicy) && (s.type === 'NodePort' || s.type === 'LoadBalancer' || s.type === 'ClusterIP')) {
    s.internalTrafficPolicy = 'Cluster';
  }
  if (s.type === 'LoadBalancer') {
    if (!present(s.allocateLoadBalancerNodePorts)) s.allocateLoadBalancerNodePorts = true;
    const ingress = svc.status?.loadBalancer?.ingress;
    if (Array.isArray(ingress)) {
      for (const ing of ingress) if (ing && typeof ing === 'object' && ing.ip && !present(ing.ipMode)) ing.ipMode = 'VIP';
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Validation (upstream's ValidateService, ValidateServiceUpdate, ValidateServiceStatusUpdate).

function isValidCidr(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash <= 0) return false;
  const ip = parseIp(text.slice(0, slash));
  const prefix = text.slice(slash + 1);
  return ip !== null && /^\d{1,3}$/.test(prefix) && Number(prefix) <= (text.slice(0, slash).includes(':') ? 128 : 32);
}

function portNumberErrors(field: string, value: unknown): FieldError[] {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535 ? [] : [invalidValue(field, value ?? 0, PORT_RANGE_MSG)];
}

/** Upstream's IsValidPortName, as field errors. */
function portNameErrors(field: string, name: string): FieldError[] {
  const errs: FieldError[] = [];
  if (name.length > 15) errs.push(invalidValue(field, name, 'must be no more than 15 characters'));
  if (!/^[-a-z0-9]+$/.test(name)) errs.push(invalidValue(field, name, 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'));
  if (!/[a-z]/.test(name)) errs.push(invalidValue(field, name, 'must contain at least one letter (a-z)'));
  if (name.includes('--')) errs.push(invalidValue(field, name, 'must not contain consecutive hyphens'));
  if (name.length > 0 && (name.startsWith('-') || name.endsWith('-'))) errs.push(invalidValue(field, name, 'must not begin or end with a hyphen'));
  return errs;
}

/** Service names are DNS-1035 labels; the registry has checked the DNS subdomain rule already. */
function validateServiceName(name: unknown): FieldError[] {
  if (typeof name !== 'string' || name === '' || validateDns1123Subdomain('metadata.name', name).length > 0) return [];
  const errs: FieldError[] = [];
  if (name.length > 63) errs.push(invalidValue('metadata.name', name, 'must be no more than 63 characters'));
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name)) errs.push(invalidValue('metadata.name', name, DNS1035_MSG));
  return errs;
}

/** Go's `%#v` of the port upstream reports as a duplicate (only protocol and port are set). */
function goServicePortKey(protocol: unknown, port: unknown): string {
  return `core.ServicePort{Name:"", Protocol:${JSON.stringify(String(protocol ?? ''))}, AppProtocol:(*string)(nil), Port:${Number(port ?? 0)}, `
    + 'TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}';
}

function nonSpecialIpErrors(field: string, text: string): FieldError[] {
  const ip = parseIp(text);
  if (!ip) return [invalidValue(field, text, IP_MSG)];
  const errs: FieldError[] = [];
  const v = ip.value;
  const v4 = ip.family === 'IPv4';
  if (v === 0n) errs.push(invalidValue(field, text, `may not be unspecified (${text})`));
  if (v4 ? v >> 24n === 127n : v === 1n) errs.push(invalidValue(field, text, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (v4 ? v >> 16n === 0xa9fen : v >> 118n === 0x3fan) errs.push(invalidValue(field, text, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (v4 ? v >> 8n === 0xe00000n : (v >> 120n === 0xffn && ((v >> 112n) & 0x0fn) === 2n)) {
    errs.push(invalidValue(field, text, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  }
  return errs;
}

/**
 * Upstream's checks of clusterIP, clusterIPs, ipFamilies and ipFamilyPolicy together (also run by
 * the allocator before it allocates). ExternalName services are checked elsewhere.
 */
export function validateClusterIPsRelatedFields(svc: ApiObject): FieldError[] {
  const s = specOf(svc);
  if (s.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ips = clusterIPsOf(svc);
  const clusterIP = typeof s.clusterIP === 'string' ? s.clusterIP : '';
  if (clusterIP) {
    if (ips.length === 0) errs.push(requiredValue('spec.clusterIPs'));
    else if (ips[0] !== clusterIP) errs.push(invalidRendered('spec.clusterIPs', goStringList(s.clusterIPs), 'first value must match `clusterIP`'));
  } else if (ips.length > 0) {
    errs.push(invalidRendered('spec.clusterIPs', goStringList(s.clusterIPs), 'must be empty when `clusterIP` is not specified'));
  }
  const families: unknown[] = Array.isArray(s.ipFamilies) ? s.ipFamilies : [];
  const seen = new Set<unknown>();
  families.forEach((f, i) => {
    if (!FAMILIES.includes(f as string)) errs.push(notSupported(`spec.ipFamilies[${i}]`, f, FAMILIES));
    if (seen.has(f)) errs.push(duplicate(`spec.ipFamilies[${i}]`, show(f)));
    seen.add(f);
  });
  if (present(s.ipFamilyPolicy) && !FAMILY_POLICIES.includes(s.ipFamilyPolicy)) {
    errs.push(notSupported('spec.ipFamilyPolicy', s.ipFamilyPolicy, FAMILY_POLICIES));
  }
  let badIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === CLUSTER_IP_NONE) {
      if (ips.length > 1) {
        badIPs = true;
        errs.push(invalidRendered('spec.clusterIPs', goStringList(s.clusterIPs), "'None' must be the first and only value"));
      }
      return;
    }
    if (!parseIp(ip)) {
      badIPs = true;
      errs.push(invalidValue(`spec.clusterIPs[${i}]`, ip, IP_MSG));
    }
  });
  if (ips.length > 2) errs.push(invalidRendered('spec.clusterIPs', goStringList(s.clusterIPs), 'may only hold up to 2 values'));
  if (badIPs) return errs;
  if (ips.length > 1) {
    const fams = ips.map((ip) => parseIp(ip)?.family);
    if (!(fams.includes('IPv4') && fams.includes('IPv6'))) {
      errs.push(invalidRendered('spec.clusterIPs', goStringList(s.clusterIPs), 'may specify no more than one IP for each IP family'));
    }
  }
  if (!isHeadless(svc) && ips.length > 0 && families.length > 0) {
    ips.forEach((ip, i) => {
      if (i >= families.length) return;
      const fam = parseIp(ip)?.family;
      if (families[i] === 'IPv4' && fam === 'IPv6') errs.push(invalidValue(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === 'IPv6' && fam !== 'IPv6') errs.push(invalidValue(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

function validateLoadBalancerClass(svc: ApiObject, old: ApiObject | null): FieldError[] {
  const s = specOf(svc);
  const errs: FieldError[] = [];
  if (old && specOf(old).type === 'LoadBalancer' && s.type === 'LoadBalancer' && (specOf(old).loadBalancerClass ?? null) !== (s.loadBalancerClass ?? null)) {
    errs.push(invalidValue('spec.loadBalancerClass', s.loadBalancerClass ?? null, 'may not change once set'));
  }
  if (s.type === 'LoadBalancer') {
    if (present(s.loadBalancerClass)) errs.push(...validateQualifiedName('spec.loadBalancerClass', String(s.loadBalancerClass)));
  } else if (present(s.loadBalancerClass)) {
    errs.push(forbidden('spec.loadBalancerClass', ONLY_LOAD_BALANCER));
  }
  return errs;
}

function validatePorts(svc: ApiObject): FieldError[] {
  const ports: ApiObject[] = Array.isArray(specOf(svc).ports) ? specOf(svc).ports : [];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const path = `spec.ports[${i}]`;
    const port: ApiObject = p && typeof p === 'object' ? p : {};
    if (ports.length > 1 && !port.name) {
      errs.push(requiredValue(`${path}.name`));
    } else if (port.name) {
      errs.push(...validateDns1123Label(`${path}.name`, String(port.name)));
      if (names.has(port.name)) errs.push(duplicate(`${path}.name`, show(port.name)));
      else names.add(port.name);
    }
    errs.push(...portNumberErrors(`${path}.port`, port.port));
    if (!port.protocol) errs.push(requiredValue(`${path}.protocol`));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(`${path}.protocol`, port.protocol, PROTOCOLS));
    if (typeof port.targetPort === 'string') errs.push(...portNameErrors(`${path}.targetPort`, port.targetPort));
    else errs.push(...portNumberErrors(`${path}.targetPort`, port.targetPort));
    if (present(port.appProtocol)) errs.push(...validateQualifiedName(`${path}.appProtocol`, String(port.appProtocol)));
  });
  return errs;
}

function validateSessionAffinity(s: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.sessionAffinity) errs.push(requiredValue('spec.sessionAffinity'));
  else if (!AFFINITIES.includes(s.sessionAffinity)) errs.push(notSupported('spec.sessionAffinity', s.sessionAffinity, AFFINITIES));
  if (s.sessionAffinity === 'ClientIP') {
    const path = 'spec.sessionAffinityConfig';
    const why = 'when session affinity type is ClientIP';
    const cfg = s.sessionAffinityConfig;
    if (!present(cfg)) errs.push(requiredValue(path, why));
    else if (!present(cfg.clientIP)) errs.push(requiredValue(`${path}.clientIP`, why));
    else if (!present(cfg.clientIP.timeoutSeconds)) errs.push(requiredValue(`${path}.clientIP.timeoutSeconds`, why));
    else {
      const t = cfg.clientIP.timeoutSeconds;
      if (typeof t !== 'number' || t <= 0 || t > MAX_AFFINITY_SECONDS) {
        errs.push(invalidValue(`${path}.clientIP.timeoutSeconds`, t, `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`));
      }
    }
  } else if (s.sessionAffinity === 'None' && present(s.sessionAffinityConfig)) {
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  return errs;
}

function validateSourceRanges(svc: ApiObject): FieldError[] {
  const s = specOf(svc);
  const errs: FieldError[] = [];
  const ranges: unknown[] = Array.isArray(s.loadBalancerSourceRanges) ? s.loadBalancerSourceRanges : [];
  const annotation = svc.metadata?.annotations?.[SOURCE_RANGES_ANNOTATION];
  if (ranges.length > 0) {
    // Upstream names this path with a capital L.
    const path = 'spec.LoadBalancerSourceRanges';
    if (s.type !== 'LoadBalancer') errs.push(forbidden(path, ONLY_LOAD_BALANCER));
    ranges.forEach((r, i) => {
      const v = String(r).trim();
      if (!isValidCidr(v)) errs.push(invalidValue(`${path}[${i}]`, v, CIDR_MSG));
    });
  } else if (typeof annotation === 'string') {
    const path = `metadata.annotations[${SOURCE_RANGES_ANNOTATION}]`;
    if (s.type !== 'LoadBalancer') errs.push(forbidden(path, ONLY_LOAD_BALANCER));
    const v = annotation.trim();
    if (v !== '') {
      for (const part of v.split(',')) {
        const cidr = part.trim();
        if (!isValidCidr(cidr)) errs.push(invalidValue(path, cidr, CIDR_MSG));
      }
    }
  }
  return errs;
}

function validateTrafficPolicies(svc: ApiObject): FieldError[] {
  const s = specOf(svc);
  const errs: FieldError[] = [];
  if (!externallyAccessible(svc)) {
    if (s.externalTrafficPolicy) errs.push(invalidValue('spec.externalTrafficPolicy', s.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else if (!s.externalTrafficPolicy) {
    errs.push(requiredValue('spec.externalTrafficPolicy'));
  } else if (!TRAFFIC_POLICIES.includes(s.externalTrafficPolicy)) {
    errs.push(notSupported('spec.externalTrafficPolicy', s.externalTrafficPolicy, TRAFFIC_POLICIES));
  }
  const hc = s.healthCheckNodePort;
  if (!needsHealthCheck(svc)) {
    if (present(hc) && hc !== 0) {
      errs.push(invalidValue('spec.healthCheckNodePort', hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    }
  } else if (present(hc) && hc !== 0) {
    // An absent health check node port is allocated after validation here (before it upstream).
    errs.push(...portNumberErrors('spec.healthCheckNodePort', hc));
  }
  if (!present(s.internalTrafficPolicy)) {
    if (s.type === 'NodePort' || s.type === 'LoadBalancer' || s.type === 'ClusterIP') errs.push(requiredValue('spec.internalTrafficPolicy'));
  } else if (!TRAFFIC_POLICIES.includes(s.internalTrafficPolicy)) {
    errs.push(notSupported('spec.internalTrafficPolicy', s.internalTrafficPolicy, TRAFFIC_POLICIES));
  }
  if (present(s.trafficDistribution) && s.trafficDistribution !== 'PreferClose') {
    errs.push(notSupported('spec.trafficDistribution', s.trafficDistribution, ['PreferClose']));
  }
  return errs;
}

/** Upstream's ValidateService: the field errors of a Service (metadata aside, but for the name rule). */
export function validateService(svc: ApiObject): FieldError[] {
  const s = specOf(svc);
  const errs: FieldError[] = [...validateServiceName(svc.metadata?.name)];
  const annotations = svc.metadata?.annotations ?? {};
  const hints = annotations[TOPOLOGY_HINTS];
  const mode = annotations[TOPOLOGY_MODE];
  if (hints !== undefined && mode !== undefined && hints !== mode) {
    errs.push(invalidValue(`metadata.annotations[${TOPOLOGY_MODE}]`, mode, `must match annotations[${TOPOLOGY_HINTS}] when both are specified`));
  }
  const headless = isHeadless(svc);
  const ports: ApiObject[] = Array.isArray(s.ports) ? s.ports : [];
  if (ports.length === 0 && !headless && s.type !== 'ExternalName') errs.push(requiredValue('spec.ports'));
  if ((s.type === 'LoadBalancer' || s.type === 'NodePort') && headless) {
    errs.push(invalidValue('spec.clusterIPs[0]', CLUSTER_IP_NONE, `may not be set to 'None' for ${s.type} services`));
  } else if (s.type === 'ExternalName') {
    if (clusterIPsOf(svc).length > 0) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (Array.isArray(s.ipFamilies) && s.ipFamilies.length > 0) errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (present(s.ipFamilyPolicy)) errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    const cname = typeof s.externalName === 'string' ? s.externalName.replace(/\.$/, '') : '';
    if (cname) errs.push(...validateDns1123Subdomain('spec.externalName', cname));
    else errs.push(requiredValue('spec.externalName'));
  }
  errs.push(...validatePorts(svc));
  if (present(s.selector)) errs.push(...validateLabels('spec.selector', s.selector));
  errs.push(...validateSessionAffinity(s));
  errs.push(...validateClusterIPsRelatedFields(svc));
  (Array.isArray(s.externalIPs) ? s.externalIPs : []).forEach((ip: unknown, i: number) => {
    errs.push(...nonSpecialIpErrors(`spec.externalIPs[${i}]`, String(ip)));
  });
  if (!s.type) errs.push(requiredValue('spec.type'));
  else if (!SERVICE_TYPES.includes(s.type)) errs.push(notSupported('spec.type', s.type, SERVICE_TYPES));
  if (s.type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p?.nodePort) errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p?.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(duplicate(`spec.ports[${i}].nodePort`, show(p.nodePort)));
    nodePorts.add(key);
  });
  const seenPorts = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p?.protocol}/${p?.port}`;
    if (seenPorts.has(key)) errs.push(duplicate(`spec.ports[${i}]`, goServicePortKey(p?.protocol, p?.port)));
    seenPorts.add(key);
  });
  errs.push(...validateSourceRanges(svc));
  if (present(s.allocateLoadBalancerNodePorts) && s.type !== 'LoadBalancer') {
    errs.push(forbidden('spec.allocateLoadBalancerNodePorts', ONLY_LOAD_BALANCER));
  }
  // Upstream names this path without `spec.`.
  if (s.type === 'LoadBalancer' && !present(s.allocateLoadBalancerNodePorts)) errs.push(requiredValue('allocateLoadBalancerNodePorts'));
  errs.push(...validateLoadBalancerClass(svc, null));
  errs.push(...validateTrafficPolicies(svc));
  return errs;
}

/** Upstream's checks that cluster IPs only ever grow a second family or drop it, never change. */
function validateClusterIPsUpdate(old: ApiObject, svc: ApiObject): FieldError[] {
  if (specOf(svc).type === 'ExternalName' || specOf(old).type === 'ExternalName') return [];
  if (isHeadless(old) && isHeadless(svc)) return [];
  const errs: FieldError[] = [];
  const before = clusterIPsOf(old);
  const after = clusterIPsOf(svc);
  const shown = goStringList(specOf(svc).clusterIPs);
  if (before.length === after.length) {
    before.forEach((ip, i) => {
      if (ip !== after[i]) errs.push(invalidRendered(`spec.clusterIPs[${i}]`, shown, 'may not change once set'));
    });
  } else if (before.length > after.length) {
    if (after.length === 0) errs.push(invalidRendered('spec.clusterIPs[0]', shown, 'primary clusterIP can not be unset'));
    if (before.length > 0 && after.length > 0 && after[0] !== before[0]) errs.push(invalidRendered('spec.clusterIPs[0]', shown, 'may not change once set'));
    if (after.length === 1 && specOf(svc).ipFamilyPolicy !== 'SingleStack') {
      errs.push(invalidValue('spec.ipFamilyPolicy', specOf(svc).ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (before.length > 0 && after[0] !== before[0]) {
    errs.push(invalidRendered('spec.clusterIPs[0]', shown, 'may not change once set'));
  }
  return errs;
}

/** Upstream's checks that ipFamilies only ever grow a second family or drop it, never change. */
function validateIPFamiliesUpdate(old: ApiObject, svc: ApiObject): FieldError[] {
  if (specOf(svc).type === 'ExternalName' || specOf(old).type === 'ExternalName') return [];
  if (isHeadless(old) || isHeadless(svc)) return [];
  const errs: FieldError[] = [];
  const before: unknown[] = Array.isArray(specOf(old).ipFamilies) ? specOf(old).ipFamilies : [];
  const after: unknown[] = Array.isArray(specOf(svc).ipFamilies) ? specOf(svc).ipFamilies : [];
  const families = goStringList(specOf(svc).ipFamilies, '[]core.IPFamily');
  const ips = goStringList(specOf(svc).clusterIPs);
  if (before.length === after.length) {
    before.forEach((f, i) => {
      if (f !== after[i]) errs.push(invalidRendered('spec.ipFamilies[0]', families, 'may not change once set'));
    });
  } else if (before.length > after.length) {
    if (clusterIPsOf(svc).length === 0) errs.push(invalidRendered('spec.ipFamilies[0]', families, 'primary ipFamily can not be unset'));
    if (after.length > 0 && after[0] !== before[0]) errs.push(invalidRendered('spec.ipFamilies[0]', ips, 'may not change once set'));
    if (after.length === 1 && specOf(svc).ipFamilyPolicy !== 'SingleStack') {
      errs.push(invalidValue('spec.ipFamilyPolicy', specOf(svc).ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary ipFamily"));
    }
  } else if (before.length > 0 && after.length > 0 && after[0] !== before[0]) {
    errs.push(invalidRendered('spec.ipFamilies[0]', ips, 'may not change once set'));
  }
  return errs;
}

/** Upstream's ValidateServiceUpdate (metadata aside). */
export function validateServiceUpdate(svc: ApiObject, old: ApiObject): FieldError[] {
  const errs = [...validateClusterIPsUpdate(old, svc), ...validateIPFamiliesUpdate(old, svc), ...validateLoadBalancerClass(svc, old)];
  if (needsHealthCheck(old) && needsHealthCheck(svc) && (specOf(svc).healthCheckNodePort ?? 0) !== (specOf(old).healthCheckNodePort ?? 0)) {
    errs.push(forbidden('spec.healthCheckNodePort', 'field is immutable'));
  }
  return [...errs, ...validateService(svc)];
}

/** Upstream's ValidateLoadBalancerStatus, for status writes. */
function validateServiceStatus(svc: ApiObject): FieldError[] {
  const ingress: unknown[] = Array.isArray(svc.status?.loadBalancer?.ingress) ? svc.status.loadBalancer.ingress : [];
  const path = 'status.loadBalancer.ingress';
  if (specOf(svc).type !== 'LoadBalancer' && ingress.length > 0) return [forbidden(path, "may only be used when `spec.type` is 'LoadBalancer'")];
  const errs: FieldError[] = [];
  ingress.forEach((raw, i) => {
    const ing: ApiObject = raw && typeof raw === 'object' ? raw : {};
    const at = `${path}[${i}]`;
    if (ing.ip && !parseIp(ing.ip)) errs.push(invalidValue(`${at}.ip`, ing.ip, IP_MSG));
    if (!present(ing.ipMode)) {
      if (ing.ip) errs.push(requiredValue(`${at}.ipMode`, 'must be specified when `ip` is set'));
    } else if (!ing.ip) {
      errs.push(forbidden(`${at}.ipMode`, 'may not be specified when `ip` is not set'));
    } else if (!IP_MODES.includes(ing.ipMode)) {
      errs.push(notSupported(`${at}.ipMode`, ing.ipMode, IP_MODES));
    }
    if (ing.hostname) {
      errs.push(...validateDns1123Subdomain(`${at}.hostname`, String(ing.hostname)));
      if (parseIp(ing.hostname)) errs.push(invalidValue(`${at}.hostname`, ing.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Table cells (upstream's printService; the server always renders the wide form).

/** The PORT(S) cell: `80/TCP`, `80:30080/TCP`, comma-separated; `<none>` without ports. */
export function portsCell(svc: ApiObject): string {
  const ports: ApiObject[] = Array.isArray(specOf(svc).ports) ? specOf(svc).ports : [];
  const text = ports.map((p) => (p?.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p?.port}/${p?.protocol}`)).join(',');
  return text || '<none>';
}

/** The EXTERNAL-IP cell: external IPs, load balancer ingress (`<pending>` while none), or the external name. */
export function externalIPCell(svc: ApiObject): string {
  const s = specOf(svc);
  const external: string[] = Array.isArray(s.externalIPs) ? s.externalIPs : [];
  switch (s.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress: ApiObject[] = Array.isArray(svc.status?.loadBalancer?.ingress) ? svc.status.loadBalancer.ingress : [];
      const lb = [...new Set(ingress.map((i) => i?.ip || i?.hostname || '').filter(Boolean))].sort();
      if (external.length > 0) return [...lb, ...external].join(',');
      return lb.length > 0 ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return String(s.externalName ?? '');
    default:
      return '<unknown>';
  }
}

/**
 * ExternalName services carry no internalTrafficPolicy: upstream drops it whenever it reads one
 * (it used to default it); tskube never stores it.
 */
function dropExternalNameTrafficPolicy(svc: ApiObject): void {
  if (specOf(svc).type === 'ExternalName' && svc.spec) delete svc.spec.internalTrafficPolicy;
}

// ---------------------------------------------------------------------------------------------

/** core/v1 Service: a stable virtual address (cluster IP, node ports) in front of a set of pods. */
export const services: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  shortNames: ['svc'],
  categories: ['all'],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: true,
  returnDeletedObject: true,
  subresources: ['status'],
  table: {
    columns: [
      { name: 'Type', type: 'string', description: 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.' },
      { name: 'Cluster-IP', type: 'string', description: 'The virtual IP address of the service inside the cluster (spec.clusterIPs[0]).' },
      { name: 'External-IP', type: 'string', description: 'Addresses the service is reachable at from outside the cluster.' },
      { name: 'Port(s)', type: 'string', description: 'The ports the service exposes, with node ports and protocols.' },
      { name: 'Age', type: 'string', description: 'Time since the object was created (metadata.creationTimestamp).' },
      { name: 'Selector', type: 'string', priority: 1, description: 'The labels of the pods the service routes to.' },
    ],
    cells: (obj, now) => [
      String(specOf(obj).type ?? ''),
      clusterIPsOf(obj)[0] ?? '<none>',
      externalIPCell(obj),
      portsCell(obj),
      ageOf(obj.metadata.creationTimestamp, now),
      formatLabels(specOf(obj).selector),
    ],
  },
  strategy: {
    defaults: defaultService,
    prepareForCreate(obj) {
      obj.status = { loadBalancer: {} };
      normalizeClusterIPs(obj, null);
      dropExternalNameTrafficPolicy(obj);
    },
    prepareForUpdate(obj, old) {
      obj.status = structuredClone(old.status ?? { loadBalancer: {} });
      patchAllocatedValues(obj, old);
      normalizeClusterIPs(obj, old);
      // A policy the update leaves out stays as it was (the allocator infers the rest).
      if (needsClusterIP(obj) && !present(specOf(obj).ipFamilyPolicy) && present(specOf(old).ipFamilyPolicy)) {
        obj.spec.ipFamilyPolicy = old.spec.ipFamilyPolicy;
      }
      dropTypeDependentFields(obj, old);
      dropExternalNameTrafficPolicy(obj);
    },
    validate: validateService,
    validateUpdate: validateServiceUpdate,
    prepareForStatusUpdate(obj) {
      const status = obj.status && typeof obj.status === 'object' ? obj.status : {};
      obj.status = { ...status, loadBalancer: status.loadBalancer ?? {} };
    },
    validateStatusUpdate: (obj) => validateServiceStatus(obj),
    fieldSelectorFields: (obj) => ({ 'spec.clusterIP': String(specOf(obj).clusterIP ?? ''), 'spec.type': String(specOf(obj).type ?? '') }),
  },
};
