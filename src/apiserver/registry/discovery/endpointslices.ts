import { isIPv4, isIPv6 } from 'node:net';
import type { FieldError } from '../../../machinery/status.js';
import { ageOf } from '../../../machinery/duration.js';
import { invalidValue, requiredValue, validateDns1123Label, validateDns1123Subdomain, validateLabels } from '../../../machinery/validation.js';
import { validateQualifiedName } from '../../../machinery/validation.js';
import { duplicateValue, notSupported } from '../core/pod-spec.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { AGE_COLUMN } from '../apps/workload.js';
import { invalidRendered } from '../go-format.js';
import { semanticEqual } from '../apps/label-selector.js';
import { isApiObject as isObj } from '../resource.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;


function tooMany(field: string, n: number, max: number): FieldError {
  return { type: 'FieldValueTooMany' as FieldError['type'], field, detail: `Too many: ${n}: must have at most ${max} items` };
}

/** An IPv6 address that maps an IPv4 one (`::ffff:1.2.3.4`) counts as IPv4, as Go's `To4` has it. */
const mappedV4 = (a: string) => /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(a);

/** Upstream's `ValidateNonSpecialIP`: no unspecified, loopback or link-local addresses. */
function specialIpErrors(field: string, a: string): FieldError[] {
  const errs: FieldError[] = [];
  const v4 = isIPv4(a) ? a : mappedV4(a) ? a.slice(7) : undefined;
  const lower = a.toLowerCase();
  if (v4 === '0.0.0.0' || (!v4 && /^[0:]+$/.test(a))) errs.push(invalidValue(field, a, `may not be unspecified (${a})`));
  if ((v4 && v4.startsWith('127.')) || (!v4 && /^(0*:)*:?0*1$/.test(a) && a.includes('::'))) errs.push(invalidValue(field, a, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if ((v4 && v4.startsWith('169.254.')) || (!v4 && /^fe[89ab]/.test(lower))) errs.push(invalidValue(field, a, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if ((v4 && v4.startsWith('224.0.0.')) || (!v4 && lower.startsWith('ff02:'))) errs.push(invalidValue(field, a, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}

/** Upstream's `IsFullyQualifiedDomainName`. */
function fqdnErrors(field: string, value: string): FieldError[] {
  if (value.length === 0) return [requiredValue(field)];
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  const sub = validateDns1123Subdomain(field, name);
  if (sub.length > 0) return [invalidValue(field, name, sub.map((e) => e.detail.replace(/^Invalid value: "[^"]*": /, '')).join(','))];
  const labels = name.split('.');
  if (labels.length < 2) return [invalidValue(field, name, 'should be a domain with at least two segments separated by dots')];
  for (const l of labels) {
    const errs = validateDns1123Label(field, l);
    if (errs.length > 0) return [invalidValue(field, l, errs.map((e) => e.detail.replace(/^Invalid value: "[^"]*": /, '')).join(','))];
  }
  return [];
}

function validateEndpoints(obj: ApiObject): FieldError[] {
  const endpoints: ApiObject[] = Array.isArray(obj.endpoints) ? obj.endpoints : [];
  if (endpoints.length > MAX_ENDPOINTS) return [tooMany('endpoints', endpoints.length, MAX_ENDPOINTS)];
  const errs: FieldError[] = [];
  endpoints.forEach((ep, i) => {
    const p = `endpoints[${i}]`;
    const addresses: unknown[] = Array.isArray(ep?.addresses) ? ep.addresses : [];
    if (addresses.length === 0) errs.push(requiredValue(`${p}.addresses`, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) errs.push(tooMany(`${p}.addresses`, addresses.length, MAX_ADDRESSES));
    addresses.forEach((raw, j) => {
      const a = String(raw);
      const f = `${p}.addresses[${j}]`;
      if (obj.addressType === 'IPv4') {
        if (!isIPv4(a) && !mappedV4(a)) errs.push(invalidValue(f, a, 'must be a valid IPv4 address'));
        errs.push(...(isIPv4(a) || isIPv6(a) ? specialIpErrors(f, a) : [invalidValue(f, a, 'must be a valid IP address')]));
      } else if (obj.addressType === 'IPv6') {
        if (!isIPv6(a) || mappedV4(a)) errs.push(invalidValue(f, a, 'must be a valid IPv6 address'));
        errs.push(...(isIPv4(a) || isIPv6(a) ? specialIpErrors(f, a) : [invalidValue(f, a, 'must be a valid IP address')]));
      } else if (obj.addressType === 'FQDN') {
        errs.push(...fqdnErrors(f, a));
      }
    });
    if (typeof ep?.nodeName === 'string') errs.push(...validateDns1123Subdomain(`${p}.nodeName`, ep.nodeName));
    if (isObj(ep?.deprecatedTopology)) {
      if (Object.keys(ep.deprecatedTopology).length > 16) errs.push(tooMany(`${p}.deprecatedTopology`, Object.keys(ep.deprecatedTopology).length, 16));
      errs.push(...validateLabels(`${p}.deprecatedTopology`, ep.deprecatedTopology));
    }
    if (typeof ep?.hostname === 'string') errs.push(...validateDns1123Label(`${p}.hostname`, ep.hostname));
  });
  return errs;
}

function validatePorts(obj: ApiObject): FieldError[] {
  const ports: ApiObject[] = Array.isArray(obj.ports) ? obj.ports : [];
  if (ports.length > MAX_PORTS) return [tooMany('ports', ports.length, MAX_PORTS)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = `ports[${i}]`;
    const name = String(port?.name ?? '');
    if (name.length > 0) errs.push(...validateDns1123Label(`${p}.name`, name));
    if (names.has(name)) errs.push(duplicateValue(`${p}.name`, name));
    else names.add(name);
    if (port?.protocol === undefined || port?.protocol === null) errs.push(requiredValue(`${p}.protocol`));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(`${p}.protocol`, port.protocol, PROTOCOLS));
    if (typeof port?.appProtocol === 'string') errs.push(...validateQualifiedName(`${p}.appProtocol`, port.appProtocol));
  });
  return errs;
}

function validateSlice(obj: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!obj.addressType) errs.push(requiredValue('addressType'));
  else if (!ADDRESS_TYPES.includes(obj.addressType)) errs.push(notSupported('addressType', obj.addressType, ADDRESS_TYPES));
  return [...errs, ...validateEndpoints(obj), ...validatePorts(obj)];
}

/** Up to three items joined by commas, `+ N more...` beyond, `<unset>` for none (upstream's list cells). */
function listCell(items: string[]): string {
  if (items.length === 0) return '<unset>';
  const shown = items.slice(0, 3).join(',');
  return items.length > 3 ? `${shown} + ${items.length - 3} more...` : shown;
}

function portsCell(obj: ApiObject): string {
  const ports: ApiObject[] = Array.isArray(obj.ports) ? obj.ports : [];
  return listCell(ports.map((p) => (typeof p?.port === 'number' ? String(p.port) : typeof p?.name === 'string' ? p.name : '*')));
}

function endpointsCell(obj: ApiObject): string {
  const endpoints: ApiObject[] = Array.isArray(obj.endpoints) ? obj.endpoints : [];
  return listCell(endpoints.flatMap((e) => (Array.isArray(e?.addresses) ? e.addresses.map(String) : [])));
}

const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/**
 * The v1 API does not take writes of `deprecatedTopology`: it is dropped whenever the endpoints
 * change, keeping a node name recorded there before (under kubernetes.io/hostname) as `nodeName`.
 */
function dropDeprecatedTopology(obj: ApiObject, old?: ApiObject): void {
  const endpoints: ApiObject[] = Array.isArray(obj.endpoints) ? obj.endpoints : [];
  if (old && semanticEqual(obj.endpoints, old.endpoints)) return;
  const before = new Set<string>((Array.isArray(old?.endpoints) ? old.endpoints : [])
    .map((e: ApiObject) => e?.deprecatedTopology?.[HOSTNAME_LABEL]).filter((n: unknown) => typeof n === 'string' && n.length > 0));
  for (const ep of endpoints) {
    if (!isObj(ep)) continue;
    const node = ep.deprecatedTopology?.[HOSTNAME_LABEL];
    if ((ep.nodeName === undefined || ep.nodeName === null) && typeof node === 'string' && before.has(node)) ep.nodeName = node;
    delete ep.deprecatedTopology;
  }
}

/** discovery.k8s.io/v1 EndpointSlice: a slice of the network endpoints of a service. */
export const endpointSlices: ResourceDefinition = {
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  singular: 'endpointslice',
  shortNames: [],
  categories: [],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  tracksGeneration: true,
  table: {
    columns: [
      { name: 'AddressType', type: 'string', description: 'The kind of addresses the slice holds (IPv4, IPv6 or FQDN).' },
      { name: 'Ports', type: 'string', description: 'The ports the endpoints expose.' },
      { name: 'Endpoints', type: 'string', description: 'The addresses of the endpoints.' },
      AGE_COLUMN,
    ],
    cells: (obj, now) => [obj.addressType ?? '', portsCell(obj), endpointsCell(obj), ageOf(obj.metadata.creationTimestamp, now)],
  },
  strategy: {
    defaults(obj) {
      for (const port of Array.isArray(obj.ports) ? obj.ports : []) {
        if (!isObj(port)) continue;
        port.name ??= '';
        port.protocol ??= 'TCP';
      }
    },
    prepareForCreate: (obj) => dropDeprecatedTopology(obj),
    prepareForUpdate: (obj, old) => dropDeprecatedTopology(obj, old),
    validate: validateSlice,
    validateUpdate: (obj, old) => [
      ...validateSlice(obj),
      ...(obj.addressType === old.addressType ? [] : [invalidRendered('addressType', JSON.stringify(obj.addressType ?? ''), 'field is immutable')]),
    ],
  },
};
