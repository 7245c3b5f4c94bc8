import { isDeepStrictEqual } from 'node:util';
import type { FieldError } from '../../../machinery/status.js';
import { invalidValue, requiredValue } from '../../../machinery/validation.js';
import { ageOf } from '../../../machinery/duration.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { AGE_COLUMN } from '../printing.js';
import { forbidden } from './pod-spec.js';
import { isApiObject as isObj } from '../resource.js';

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const CONFIG_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
/** The largest total size of a secret's data, in bytes. */
export const MAX_SECRET_SIZE = 1024 * 1024;

/** Upstream's messages for a data key that is not a valid config key (empty when it is one). */
export function configKeyErrors(key: string): string[] {
  const msgs: string[] = [];
  if (key.length > 253) msgs.push('must be no more than 253 characters');
  if (!CONFIG_KEY.test(key)) msgs.push(CONFIG_KEY_MSG);
  if (key === '.') msgs.push("must not be '.'");
  else if (key === '..') msgs.push("must not be '..'");
  else if (key.startsWith('..')) msgs.push("must not start with '..'");
  return msgs;
}

function decoded(value: unknown): Buffer | undefined {
  return typeof value === 'string' ? Buffer.from(value, 'base64') : undefined;
}

function jsonError(value: unknown): string | undefined {
  const bytes = decoded(value);
  try {
    const parsed: unknown = JSON.parse(bytes ? bytes.toString('utf8') : '');
    if (!isObj(parsed)) return 'json: cannot unmarshal into Go value of type map[string]interface {}';
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function validateSecret(obj: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  const data: ApiObject = isObj(obj.data) ? obj.data : {};
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const msg of configKeyErrors(k)) errs.push(invalidValue(`data[${k}]`, k, msg));
    size += decoded(v)?.length ?? 0;
  }
  if (size > MAX_SECRET_SIZE) errs.push({ type: 'FieldValueTooLong', field: 'data', detail: `Too long: may not be more than ${MAX_SECRET_SIZE} bytes` });
  const has = (k: string) => Object.prototype.hasOwnProperty.call(data, k);
  switch (obj.type) {
    case 'kubernetes.io/service-account-token':
      if (!obj.metadata?.annotations?.['kubernetes.io/service-account.name']) errs.push(requiredValue('metadata.annotations[kubernetes.io/service-account.name]'));
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = obj.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!has(key)) { errs.push(requiredValue(`data[${key}]`)); break; }
      const why = jsonError(data[key]);
      if (why) errs.push(invalidValue(`data[${key}]`, '<secret contents redacted>', why));
      break;
    }
    case 'kubernetes.io/basic-auth':
      // Upstream names these fields with a literal `%s` in the path.
      if (!has('username') && !has('password')) errs.push(requiredValue('data[%s][username]'), requiredValue('data[%s][password]'));
      break;
    case 'kubernetes.io/ssh-auth':
      if (!decoded(data['ssh-privatekey'])?.length) errs.push(requiredValue('data[%s][ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(requiredValue('data[tls.crt]'));
      if (!has('tls.key')) errs.push(requiredValue('data[tls.key]'));
      break;
    default:
      break;
  }
  return errs;
}

function validateSecretUpdate(obj: ApiObject, old: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  if ((obj.type ?? '') !== (old.type ?? '')) errs.push(invalidValue('type', obj.type ?? '', 'field is immutable'));
  if (old.immutable === true) {
    if (obj.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
    if (!isDeepStrictEqual(obj.data ?? {}, old.data ?? {})) errs.push(forbidden('data', 'field is immutable when `immutable` is set'));
  }
  return [...errs, ...validateSecret(obj)];
}

/** core/v1 Secret: sensitive key-value data (base64 in `data`; `stringData` is folded into it). */
export const secrets: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  singular: 'secret',
  shortNames: [],
  categories: [],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  table: {
    columns: [
      { name: 'Type', type: 'string', description: 'The type of the secret, which says what its data holds.' },
      { name: 'Data', type: 'string', description: 'How many entries the data map holds.' },
      AGE_COLUMN,
    ],
    cells: (obj, now) => [String(obj.type ?? ''), Object.keys(isObj(obj.data) ? obj.data : {}).length, ageOf(obj.metadata?.creationTimestamp, now)],
  },
  strategy: {
    defaults(obj) {
      if (!obj.type) obj.type = 'Opaque';
      if (isObj(obj.stringData)) {
        const data: ApiObject = isObj(obj.data) ? obj.data : {};
        for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
        obj.data = data;
      }
      delete obj.stringData;
    },
    prepareForCreate() {},
    prepareForUpdate() {},
    validate: validateSecret,
    validateUpdate: validateSecretUpdate,
    fieldSelectorFields: (obj) => ({ type: String(obj.type ?? '') }),
  },
};
