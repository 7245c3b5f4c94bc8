import type { FieldError } from '../../../machinery/status.js';
import { invalidValue, validateQualifiedName } from '../../../machinery/validation.js';
import { ageOf } from '../../../machinery/duration.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { AGE_COLUMN, formatQuantity } from '../printing.js';
import { NON_NEGATIVE_MSG, notSupported, parseQuantity, QUANTITY_MSG } from './pod-spec.js';
import { isApiObject as isObj } from '../resource.js';


const STANDARD_QUOTA = new Set([
  'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims',
  'services.nodeports', 'services.loadbalancers', 'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory',
  'requests.storage', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
]);
const INTEGER_QUOTA = new Set([
  'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims',
  'services.nodeports', 'services.loadbalancers',
]);
const SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];

function isStandardQuotaName(name: string): boolean {
  return STANDARD_QUOTA.has(name) || /^(requests\.|limits\.)?hugepages-/.test(name);
}

function validateResourceMap(map: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, q] of Object.entries(isObj(map) ? map : {})) {
    const at = `${path}[${name}]`;
    errs.push(...validateQualifiedName(at, name));
    if (!name.includes('/') && !isStandardQuotaName(name)) errs.push(invalidValue(at, name, 'must be a standard resource for quota'));
    const v = parseQuantity(q);
    if (v === undefined) { errs.push(invalidValue(at, String(q), QUANTITY_MSG)); continue; }
    if (v < 0) errs.push(invalidValue(at, formatQuantity(q), NON_NEGATIVE_MSG));
    if ((INTEGER_QUOTA.has(name) || name.startsWith('count/')) && !Number.isInteger(v)) errs.push(invalidValue(at, formatQuantity(q), 'must be an integer'));
  }
  return errs;
}

function validateQuota(obj: ApiObject): FieldError[] {
  const errs = validateResourceMap(obj.spec?.hard, 'spec.hard');
  (Array.isArray(obj.spec?.scopes) ? obj.spec.scopes : []).forEach((s: unknown) => {
    if (!SCOPES.includes(String(s))) errs.push(notSupported('spec.scopes', s, SCOPES));
  });
  errs.push(...validateResourceMap(obj.status?.hard, 'status.hard'), ...validateResourceMap(obj.status?.used, 'status.used'));
  return errs;
}

/** The Request and Limit cells: `name: used/hard` of each hard resource, sorted, `limits.*` in the second. */
export function quotaCells(obj: ApiObject): [string, string] {
  const hard: ApiObject = isObj(obj.status?.hard) ? obj.status.hard : {};
  const used: ApiObject = isObj(obj.status?.used) ? obj.status.used : {};
  const requests: string[] = [];
  const limits: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const text = `${name}: ${formatQuantity(used[name])}/${formatQuantity(hard[name])}`;
    const parts = name.split('.');
    (parts.length > 1 && parts[0] === 'limits' ? limits : requests).push(text);
  }
  return [requests.join(', '), limits.join(', ')];
}

/** core/v1 ResourceQuota: per-namespace caps on resource use; status is maintained by the quota controller. */
export const resourceQuotas: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  singular: 'resourcequota',
  shortNames: ['quota'],
  categories: [],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  subresources: ['status'],
  table: {
    columns: [
      { name: 'Request', type: 'string', description: 'Use and limit of each quota resource other than limits.*, as used/hard.' },
      { name: 'Limit', type: 'string', description: 'Use and limit of each limits.* quota resource, as used/hard.' },
      AGE_COLUMN,
    ],
    cells(obj, now) {
      const [req, lim] = quotaCells(obj);
      return [req, lim, ageOf(obj.metadata?.creationTimestamp, now)];
    },
  },
  strategy: {
    prepareForCreate(obj) {
      obj.status = {};
    },
    prepareForUpdate(obj, old) {
      obj.status = old.status;
      if (obj.status === undefined) delete obj.status;
    },
    validate: validateQuota,
    validateUpdate: (obj) => validateQuota(obj),
  },
};
