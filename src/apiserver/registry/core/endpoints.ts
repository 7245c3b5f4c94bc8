import { isIP } from 'node:net';
import type { FieldError } from '../../../machinery/status.js';
import { invalidValue, requiredValue, validateDns1123Label, validateDns1123Subdomain } from '../../../machinery/validation.js';
import { ageOf } from '../../../machinery/duration.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { AGE_COLUMN } from '../printing.js';
import { notSupported, validatePortNumber } from './pod-spec.js';
import { isApiObject as isObj } from '../resource.js';

const listOf = (v: unknown): ApiObject[] => (Array.isArray(v) ? v.filter(isObj) : []);
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** Upstream's reasons an endpoint IP may not be used (unspecified, loopback, link-local). */
export function specialIpErrors(ip: string): string[] {
  if (ip === '0.0.0.0' || ip === '::') return ['may not be unspecified (0.0.0.0, ::)'];
  if (/^127\./.test(ip) || ip === '::1') return ['may not be in the loopback range (127.0.0.0/8, ::1/128)'];
  if (/^169\.254\./.test(ip) || /^fe[89ab][0-9a-f]:/i.test(ip)) return ['may not be in the link-local range (169.254.0.0/16, fe80::/10)'];
  if (/^224\.0\.0\./.test(ip) || /^ff02:/i.test(ip)) return ['may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'];
  return [];
}

function validateAddress(a: ApiObject, at: string): FieldError[] {
  const errs: FieldError[] = [];
  const ip = String(a.ip ?? '');
  if (isIP(ip) === 0) errs.push(invalidValue(`${at}.ip`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  if (a.hostname) errs.push(...validateDns1123Label(`${at}.hostname`, String(a.hostname)));
  if (typeof a.nodeName === 'string') errs.push(...validateDns1123Subdomain(`${at}.nodeName`, a.nodeName));
  if (isIP(ip) !== 0) for (const msg of specialIpErrors(ip)) errs.push(invalidValue(`${at}.ip`, ip, msg));
  return errs;
}

function validateEndpoints(obj: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  listOf(obj.subsets).forEach((ss, i) => {
    const at = `subsets[${i}]`;
    if (listOf(ss.addresses).length === 0 && listOf(ss.notReadyAddresses).length === 0) errs.push(requiredValue(at, 'must specify `addresses` or `notReadyAddresses`'));
    listOf(ss.addresses).forEach((a, j) => errs.push(...validateAddress(a, `${at}.addresses[${j}]`)));
    listOf(ss.notReadyAddresses).forEach((a, j) => errs.push(...validateAddress(a, `${at}.notReadyAddresses[${j}]`)));
    const ports = listOf(ss.ports);
    ports.forEach((p, j) => {
      const pat = `${at}.ports[${j}]`;
      if (ports.length > 1 && !p.name) errs.push(requiredValue(`${pat}.name`));
      else if (p.name) errs.push(...validateDns1123Label(`${pat}.name`, String(p.name)));
      errs.push(...validatePortNumber(`${pat}.port`, p.port ?? 0));
      if (!p.protocol) errs.push(requiredValue(`${pat}.protocol`));
      else if (!PROTOCOLS.includes(p.protocol)) errs.push(notSupported(`${pat}.protocol`, p.protocol, PROTOCOLS));
    });
  });
  return errs;
}

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The Endpoints cell: up to three `ip:port` (or bare IPs for port-less subsets), then `+ N more...`, `<none>` when empty. */
export function formatEndpoints(obj: ApiObject): string {
  const subsets = listOf(obj.subsets);
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = listOf(ss.addresses);
    const ports = listOf(ss.ports);
    if (ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) { more = true; break; }
        list.push(String(a.ip ?? ''));
      }
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) { more = true; break; }
        list.push(hostPort(String(a.ip ?? ''), Number(p.port ?? 0)));
      }
    }
  }
  const text = list.join(',');
  return more ? `${text} + ${count - max} more...` : text;
}

/** core/v1 Endpoints: the addresses and ports behind a service. */
export const endpoints: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  plural: 'endpoints',
  singular: 'endpoints',
  shortNames: ['ep'],
  categories: [],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: true,
  returnDeletedObject: false,
  table: {
    columns: [
      { name: 'Endpoints', type: 'string', description: 'The first addresses (ip:port) the endpoints hold.' },
      AGE_COLUMN,
    ],
    cells: (obj, now) => [formatEndpoints(obj), ageOf(obj.metadata?.creationTimestamp, now)],
  },
  strategy: {
    defaults(obj) {
      for (const ss of listOf(obj.subsets)) for (const p of listOf(ss.ports)) if (!p.protocol) p.protocol = 'TCP';
    },
    prepareForCreate() {},
    prepareForUpdate() {},
    validate: validateEndpoints,
    validateUpdate: (obj) => validateEndpoints(obj),
  },
};
