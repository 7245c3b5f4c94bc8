import type { FieldError } from '../../../machinery/status.js';
import { invalidValue } from '../../../machinery/validation.js';
import { ageOf } from '../../../machinery/duration.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_CONFIGMAP_BYTES = 1024 * 1024;

function validateConfigMap(obj: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const field of ['data', 'binaryData'] as const) {
    const m = obj[field];
    if (m === undefined || m === null) continue;
    if (typeof m !== 'object' || Array.isArray(m)) { errs.push(invalidValue(field, JSON.stringify(m), 'must be a map')); continue; }
    for (const [k, v] of Object.entries(m)) {
      if (!CONFIG_KEY.test(k) || k === '.' || k === '..' || k.startsWith('..')) {
        errs.push(invalidValue(`${field}[${k}]`, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
      }
      if (typeof v !== 'string') errs.push(invalidValue(`${field}[${k}]`, String(v), 'must be a string'));
      else size += field === 'binaryData' ? Math.floor(v.length * 3 / 4) : Buffer.byteLength(v);
      if (field === 'binaryData' && obj.data && Object.prototype.hasOwnProperty.call(obj.data, k)) {
        errs.push(invalidValue(`binaryData[${k}]`, k, 'duplicate of key present in data'));
      }
    }
  }
  if (size > MAX_CONFIGMAP_BYTES) errs.push({ type: 'FieldValueTooLong', field: '', detail: `Too long: must have at most ${MAX_CONFIGMAP_BYTES} bytes` });
  return errs;
}

/** core/v1 ConfigMap: key-value configuration for pods. */
export const configMaps: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  shortNames: ['cm'],
  categories: [],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  table: {
    columns: [
      { name: 'Data', type: 'string', description: 'How many entries the data and binaryData maps hold.' },
      { name: 'Age', type: 'string', description: 'Time since the object was created (metadata.creationTimestamp).' },
    ],
    cells: (obj, now) => [
      Object.keys(obj.data ?? {}).length + Object.keys(obj.binaryData ?? {}).length,
      ageOf(obj.metadata.creationTimestamp, now),
    ],
  },
  strategy: {
    prepareForCreate() {},
    prepareForUpdate() {},
    validate: validateConfigMap,
    validateUpdate: (obj, old) => {
      const errs = validateConfigMap(obj);
      if (old.immutable === true && (JSON.stringify(obj.data ?? {}) !== JSON.stringify(old.data ?? {}) || JSON.stringify(obj.binaryData ?? {}) !== JSON.stringify(old.binaryData ?? {}))) {
        errs.push({ type: 'FieldValueForbidden', field: 'data', detail: 'Forbidden: field is immutable when `immutable` is set' });
      }
      if (old.immutable === true && obj.immutable !== true) {
        errs.push({ type: 'FieldValueForbidden', field: 'immutable', detail: 'Forbidden: field is immutable when `immutable` is set' });
      }
      return errs;
    },
  },
};
