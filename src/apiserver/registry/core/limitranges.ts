import type { FieldError } from '../../../machinery/status.js';
import { invalidValue, validateQualifiedName } from '../../../machinery/validation.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { formatQuantity } from '../printing.js';
import { duplicateValue, forbidden, NON_NEGATIVE_MSG, parseQuantity, QUANTITY_MSG } from './pod-spec.js';
import { isApiObject as isObj } from '../resource.js';

const listOf = (v: unknown): ApiObject[] => (Array.isArray(v) ? v.filter(isObj) : []);
const BOUNDS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;

/** Fills a Container limit's defaults in place: default ← max, defaultRequest ← default, then ← min. */
function defaultLimit(item: ApiObject): void {
  if (item.type !== 'Container') return;
  const def: ApiObject = { ...(isObj(item.default) ? item.default : {}) };
  const req: ApiObject = { ...(isObj(item.defaultRequest) ? item.defaultRequest : {}) };
  for (const [k, v] of Object.entries(isObj(item.max) ? item.max : {})) if (!(k in def)) def[k] = v;
  for (const [k, v] of Object.entries(def)) if (!(k in req)) req[k] = v;
  for (const [k, v] of Object.entries(isObj(item.min) ? item.min : {})) if (!(k in req)) req[k] = v;
  if (Object.keys(def).length > 0) item.default = def;
  if (Object.keys(req).length > 0) item.defaultRequest = req;
}

function validateLimitRange(obj: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  const types = new Set<string>();
  listOf(obj.spec?.limits).forEach((item, i) => {
    const at = `spec.limits[${i}]`;
    errs.push(...validateQualifiedName(`${at}.type`, String(item.type ?? '')));
    if (types.has(item.type)) errs.push(duplicateValue(`${at}.type`, item.type));
    types.add(item.type);
    const values: Record<string, Map<string, number>> = {};
    for (const b of BOUNDS) {
      values[b] = new Map();
      for (const [k, q] of Object.entries(isObj(item[b]) ? item[b] : {})) {
        const v = parseQuantity(q);
        if (v === undefined) errs.push(invalidValue(`${at}.${b}[${k}]`, String(q), QUANTITY_MSG));
        else if (v < 0) errs.push(invalidValue(`${at}.${b}[${k}]`, String(q), NON_NEGATIVE_MSG));
        else values[b].set(k, v);
      }
    }
    if (item.type === 'Pod') {
      if (isObj(item.default) && Object.keys(item.default).length > 0) errs.push(forbidden(`${at}.default`, "may not be specified when `type` is 'Pod'"));
      if (isObj(item.defaultRequest) && Object.keys(item.defaultRequest).length > 0) errs.push(forbidden(`${at}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
    }
    const show = (b: string, k: string) => formatQuantity(item[b][k]);
    const keys = new Set(BOUNDS.flatMap((b) => [...values[b].keys()]));
    for (const k of keys) {
      const [min, max, def, req, ratio] = [values.min.get(k), values.max.get(k), values.default.get(k), values.defaultRequest.get(k), values.maxLimitRequestRatio.get(k)];
      if (min !== undefined && max !== undefined && min > max) errs.push(invalidValue(`${at}.min[${k}]`, show('min', k), `min value ${show('min', k)} is greater than max value ${show('max', k)}`));
      if (req !== undefined && min !== undefined && min > req) errs.push(invalidValue(`${at}.defaultRequest[${k}]`, show('defaultRequest', k), `min value ${show('min', k)} is greater than default request value ${show('defaultRequest', k)}`));
      if (req !== undefined && max !== undefined && req > max) errs.push(invalidValue(`${at}.defaultRequest[${k}]`, show('defaultRequest', k), `default request value ${show('defaultRequest', k)} is greater than max value ${show('max', k)}`));
      if (req !== undefined && def !== undefined && req > def) errs.push(invalidValue(`${at}.defaultRequest[${k}]`, show('defaultRequest', k), `default request value ${show('defaultRequest', k)} is greater than default limit value ${show('default', k)}`));
      if (def !== undefined && min !== undefined && min > def) errs.push(invalidValue(`${at}.default[${k}]`, show('min', k), `min value ${show('min', k)} is greater than default value ${show('default', k)}`));
      if (def !== undefined && max !== undefined && def > max) errs.push(invalidValue(`${at}.default[${k}]`, show('max', k), `default value ${show('default', k)} is greater than max value ${show('max', k)}`));
      if (ratio !== undefined && ratio < 1) errs.push(invalidValue(`${at}.maxLimitRequestRatio[${k}]`, show('maxLimitRequestRatio', k), `ratio ${show('maxLimitRequestRatio', k)} is less than 1`));
    }
  });
  return errs;
}

/**
 * core/v1 LimitRange: per-namespace bounds and defaults of container, pod and claim resources.
 * Upstream has no printer for it: its Table is the generic one (Name, Created At).
 */
export const limitRanges: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  plural: 'limitranges',
  singular: 'limitrange',
  shortNames: ['limits'],
  categories: [],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: true,
  returnDeletedObject: false,
  table: {
    columns: [{ name: 'Created At', type: 'date', description: 'When the object was created (metadata.creationTimestamp).' }],
    cells: (obj) => [obj.metadata?.creationTimestamp ?? null],
  },
  strategy: {
    defaults(obj) {
      for (const item of listOf(obj.spec?.limits)) defaultLimit(item);
    },
    prepareForCreate() {},
    prepareForUpdate() {},
    validate: validateLimitRange,
    validateUpdate: (obj) => validateLimitRange(obj),
  },
};
