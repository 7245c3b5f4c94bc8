import type { FieldError } from '../../../machinery/status.js';
import { ageOf } from '../../../machinery/duration.js';
import { invalidValue, requiredValue, validateDns1123Subdomain } from '../../../machinery/validation.js';
import { notSupported } from '../core/pod-spec.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { invalidRendered } from '../go-format.js';
import { AGE_COLUMN } from '../apps/workload.js';
import { hostErrors, validateBackend } from './ingress-backend.js';
import { isApiObject as isObj } from '../resource.js';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const BAD_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const BAD_SUFFIXES = ['/..', '/.'];
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';


function validatePath(p: ApiObject, path: string): FieldError[] {
  if (p.pathType === undefined || p.pathType === null) return [requiredValue(`${path}.pathType`, 'pathType must be specified')];
  const errs: FieldError[] = [];
  const value = typeof p.path === 'string' ? p.path : '';
  if (p.pathType === 'Exact' || p.pathType === 'Prefix') {
    if (!value.startsWith('/')) errs.push(invalidValue(`${path}.path`, value, 'must be an absolute path'));
    if (value.length > 0) {
      for (const s of BAD_SEQUENCES) if (value.includes(s)) errs.push(invalidValue(`${path}.path`, value, `must not contain '${s}'`));
      for (const s of BAD_SUFFIXES) if (value.endsWith(s)) errs.push(invalidValue(`${path}.path`, value, `cannot end with '${s}'`));
    }
  } else if (p.pathType === 'ImplementationSpecific') {
    if (value.length > 0 && !value.startsWith('/')) errs.push(invalidValue(`${path}.path`, value, 'must be an absolute path'));
  } else {
    errs.push(notSupported(`${path}.pathType`, p.pathType, PATH_TYPES));
  }
  return [...errs, ...validateBackend(p.backend, `${path}.backend`)];
}

function validateRules(rules: ApiObject[]): FieldError[] {
  const errs: FieldError[] = [];
  rules.forEach((rule, i) => {
    const p = `spec.rules[${i}]`;
    if (typeof rule?.host === 'string' && rule.host.length > 0) errs.push(...hostErrors(`${p}.host`, rule.host));
    if (isObj(rule?.http)) {
      const paths: ApiObject[] = Array.isArray(rule.http.paths) ? rule.http.paths : [];
      if (paths.length === 0) errs.push(requiredValue(`${p}.http.paths`));
      paths.forEach((x, j) => errs.push(...validatePath(isObj(x) ? x : {}, `${p}.http.paths[${j}]`)));
    }
  });
  return errs;
}

/** Upstream's `ValidateIngressSpec`. */
function validateIngressSpec(obj: ApiObject): FieldError[] {
  const spec: ApiObject = obj.spec ?? {};
  const rules: ApiObject[] = Array.isArray(spec.rules) ? spec.rules : [];
  const errs: FieldError[] = [];
  if (rules.length === 0 && !isObj(spec.defaultBackend)) {
    errs.push(invalidRendered('spec', Array.isArray(spec.rules) ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)', 'either `defaultBackend` or `rules` must be specified'));
  }
  if (isObj(spec.defaultBackend)) errs.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  if (rules.length > 0) errs.push(...validateRules(rules));
  (Array.isArray(spec.tls) ? spec.tls : []).forEach((tls: ApiObject, i: number) => {
    (Array.isArray(tls?.hosts) ? tls.hosts : []).forEach((h: unknown, j: number) => errs.push(...hostErrors(`spec.tls[${i}].hosts[${j}]`, String(h), true)));
    if (typeof tls?.secretName === 'string' && tls.secretName.length > 0) errs.push(...validateDns1123Subdomain(`spec.tls[${i}].secretName`, tls.secretName));
  });
  if (typeof spec.ingressClassName === 'string') errs.push(...validateDns1123Subdomain('spec.ingressClassName', spec.ingressClassName));
  return errs;
}

/** On create the legacy class annotation must agree with `ingressClassName`. */
function validateIngressCreate(obj: ApiObject): FieldError[] {
  const errs = validateIngressSpec(obj);
  const annotation = obj.metadata?.annotations?.[CLASS_ANNOTATION];
  const className = obj.spec?.ingressClassName;
  if (typeof annotation === 'string' && typeof className === 'string' && annotation !== className) {
    errs.push(invalidValue(`annotations.${CLASS_ANNOTATION}`, annotation, 'must match `ingressClassName` when both are specified'));
  }
  return errs;
}

/** The Hosts cell: up to three hosts, `+ N more...` beyond, `*` when no rule names one. */
function hostsCell(obj: ApiObject): string {
  const rules: ApiObject[] = Array.isArray(obj.spec?.rules) ? obj.spec.rules : [];
  const list: string[] = [];
  let more = false;
  for (const r of rules) {
    if (list.length === 3) more = true;
    if (!more && typeof r?.host === 'string' && r.host.length > 0) list.push(r.host);
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${rules.length - 3} more...` : list.join(',');
}

/** The Address cell: the load balancer IPs (or host names), sorted and de-duplicated. */
function addressCell(obj: ApiObject): string {
  const entries: ApiObject[] = Array.isArray(obj.status?.loadBalancer?.ingress) ? obj.status.loadBalancer.ingress : [];
  const set = new Set<string>();
  for (const e of entries) {
    if (e?.ip) set.add(String(e.ip));
    else if (e?.hostname) set.add(String(e.hostname));
  }
  return [...set].sort().join(',');
}

/** networking.k8s.io/v1 Ingress: HTTP routing into services, with a status subresource. */
export const ingresses: ResourceDefinition = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  plural: 'ingresses',
  singular: 'ingress',
  shortNames: ['ing'],
  categories: [],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  subresources: ['status'],
  tracksGeneration: true,
  table: {
    columns: [
      { name: 'Class', type: 'string', description: 'The IngressClass that configures this ingress.' },
      { name: 'Hosts', type: 'string', description: 'The hosts requests are matched against.' },
      { name: 'Address', type: 'string', description: 'The addresses of the load balancer serving the ingress.' },
      { name: 'Ports', type: 'string', description: 'The ports the ingress is served on.' },
      AGE_COLUMN,
    ],
    cells: (obj, now) => [
      typeof obj.spec?.ingressClassName === 'string' ? obj.spec.ingressClassName : '<none>',
      hostsCell(obj),
      addressCell(obj),
      Array.isArray(obj.spec?.tls) && obj.spec.tls.length > 0 ? '80, 443' : '80',
      ageOf(obj.metadata.creationTimestamp, now),
    ],
  },
  strategy: {
    prepareForCreate(obj) {
      obj.status = { loadBalancer: {} };
    },
    prepareForUpdate() {},
    validate: validateIngressCreate,
    validateUpdate: validateIngressSpec,
    validateStatusUpdate: (obj) => {
      const entries: ApiObject[] = Array.isArray(obj.status?.loadBalancer?.ingress) ? obj.status.loadBalancer.ingress : [];
      return entries.flatMap((e, i) => (typeof e?.hostname === 'string' && e.hostname ? hostErrors(`status.loadBalancer.ingress[${i}].hostname`, e.hostname) : []));
    },
  },
};
