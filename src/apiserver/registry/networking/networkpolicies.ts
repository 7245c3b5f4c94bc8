import { isIPv4, isIPv6 } from 'node:net';
import type { FieldError } from '../../../machinery/status.js';
import { ageOf } from '../../../machinery/duration.js';
import { invalidValue, requiredValue } from '../../../machinery/validation.js';
import { forbidden, inclusiveRange, notSupported, portNameErrors } from '../core/pod-spec.js';
import { formatLabelSelector } from '../printing.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { invalidRendered } from '../go-format.js';
import { validateLabelSelector } from '../apps/label-selector.js';
import { AGE_COLUMN } from '../apps/workload.js';
import { isApiObject as isObj } from '../resource.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];

const has = (v: unknown): boolean => v !== undefined && v !== null;

/** networking/v1 defaults: TCP ports, and policy types from the rules present. */
function defaultNetworkPolicy(obj: ApiObject): void {
  const spec: ApiObject = (obj.spec ??= {});
  for (const dir of ['ingress', 'egress']) {
    for (const rule of Array.isArray(spec[dir]) ? spec[dir] : []) {
      for (const port of Array.isArray(rule?.ports) ? rule.ports : []) if (isObj(port)) port.protocol ??= 'TCP';
    }
  }
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
    spec.policyTypes = Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
}

function validatePort(port: ApiObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (has(port.protocol) && !PROTOCOLS.includes(port.protocol)) errs.push(notSupported(`${path}.protocol`, port.protocol, PROTOCOLS));
  if (typeof port.port === 'number') {
    if (port.port < 1 || port.port > 65535) errs.push(invalidValue(`${path}.port`, port.port, inclusiveRange(1, 65535)));
    if (typeof port.endPort === 'number') {
      if (port.endPort < port.port) errs.push(invalidValue(`${path}.endPort`, port.port, 'must be greater than or equal to `port`'));
      if (port.endPort < 1 || port.endPort > 65535) errs.push(invalidValue(`${path}.endPort`, port.endPort, inclusiveRange(1, 65535)));
    }
  } else if (typeof port.port === 'string') {
    if (has(port.endPort)) errs.push(invalidValue(`${path}.endPort`, port.endPort, 'may not be specified when `port` is non-numeric'));
    errs.push(...portNameErrors(port.port).map((m) => invalidValue(`${path}.port`, port.port, m)));
  } else if (has(port.endPort)) {
    errs.push(invalidValue(`${path}.endPort`, port.endPort, 'may not be specified when `port` is not specified'));
  }
  return errs;
}

function cidrErrors(field: string, cidr: string): FieldError[] {
  const m = /^(.*)\/(\d{1,3})$/.exec(cidr);
  const ok = m && ((isIPv4(m[1]) && Number(m[2]) <= 32) || (isIPv6(m[1]) && Number(m[2]) <= 128));
  return ok ? [] : [invalidValue(field, cidr, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

function validatePeer(peer: ApiObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let peers = 0;
  if (has(peer.podSelector)) { peers++; errs.push(...validateLabelSelector(peer.podSelector, `${path}.podSelector`)); }
  if (has(peer.namespaceSelector)) { peers++; errs.push(...validateLabelSelector(peer.namespaceSelector, `${path}.namespaceSelector`)); }
  if (isObj(peer.ipBlock)) {
    peers++;
    const cidr = String(peer.ipBlock.cidr ?? '');
    if (!cidr) errs.push(requiredValue(`${path}.ipBlock.cidr`));
    else {
      errs.push(...cidrErrors(`${path}.ipBlock.cidr`, cidr));
      (Array.isArray(peer.ipBlock.except) ? peer.ipBlock.except : []).forEach((e: unknown, i: number) => errs.push(...cidrErrors(`${path}.ipBlock.except[${i}]`, String(e))));
    }
  }
  if (peers === 0) errs.push(requiredValue(path, 'must specify a peer'));
  else if (peers > 1 && isObj(peer.ipBlock)) errs.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

/** Upstream's `ValidateNetworkPolicySpec`. */
function validateNetworkPolicy(obj: ApiObject): FieldError[] {
  const spec: ApiObject = obj.spec ?? {};
  const errs = validateLabelSelector(spec.podSelector ?? {}, 'spec.podSelector');
  for (const [dir, peersField] of [['ingress', 'from'], ['egress', 'to']]) {
    (Array.isArray(spec[dir]) ? spec[dir] : []).forEach((rule: ApiObject, i: number) => {
      const p = `spec.${dir}[${i}]`;
      (Array.isArray(rule?.ports) ? rule.ports : []).forEach((port: ApiObject, j: number) => errs.push(...validatePort(isObj(port) ? port : {}, `${p}.ports[${j}]`)));
      (Array.isArray(rule?.[peersField]) ? rule[peersField] : []).forEach((peer: ApiObject, j: number) => errs.push(...validatePeer(isObj(peer) ? peer : {}, `${p}.${peersField}[${j}]`)));
    });
  }
  const types: unknown[] = Array.isArray(spec.policyTypes) ? spec.policyTypes : [];
  if (types.length > 2) {
    errs.push(invalidRendered('spec.policyTypes', `&[]networking.PolicyType{${types.map((t) => JSON.stringify(t)).join(', ')}}`, 'may not specify more than two policyTypes'));
    return errs;
  }
  types.forEach((t, i) => { if (!POLICY_TYPES.includes(String(t))) errs.push(notSupported(`spec.policyTypes[${i}]`, t, POLICY_TYPES)); });
  return errs;
}

/** networking.k8s.io/v1 NetworkPolicy: which traffic selected pods may send and receive. */
export const networkPolicies: ResourceDefinition = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
  singular: 'networkpolicy',
  shortNames: ['netpol'],
  categories: [],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  tracksGeneration: true,
  table: {
    columns: [{ name: 'Pod-Selector', type: 'string', description: 'The pods the policy applies to.' }, AGE_COLUMN],
    cells: (obj, now) => [formatLabelSelector(obj.spec?.podSelector ?? {}), ageOf(obj.metadata.creationTimestamp, now)],
  },
  strategy: {
    defaults: defaultNetworkPolicy,
    prepareForCreate() {},
    prepareForUpdate() {},
    validate: validateNetworkPolicy,
    validateUpdate: validateNetworkPolicy,
  },
};
