import { isDeepStrictEqual } from 'node:util';
import type { FieldError } from '../../../machinery/status.js';
import { invalidValue, requiredValue, validateDns1123Subdomain } from '../../../machinery/validation.js';
import { ageOf } from '../../../machinery/duration.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { AGE_COLUMN, accessModesAsString, formatQuantity } from '../printing.js';
import { describeChanges, forbidden, notSupported, parseQuantity, QUANTITY_MSG } from './pod-spec.js';
import { storageClassOf, validateAccessModes, VOLUME_MODES } from './persistentvolumes.js';
import { isApiObject as isObj } from '../resource.js';


function validatePvc(obj: ApiObject): FieldError[] {
  const spec: ApiObject = isObj(obj.spec) ? obj.spec : {};
  const errs: FieldError[] = [];
  const modes: unknown[] = Array.isArray(spec.accessModes) ? spec.accessModes : [];
  if (modes.length === 0) errs.push(requiredValue('spec.accessModes', 'at least 1 access mode is required'));
  errs.push(...validateAccessModes(modes, 'spec.accessModes'));
  const requests: ApiObject = isObj(spec.resources?.requests) ? spec.resources.requests : {};
  if (!('storage' in requests)) errs.push(requiredValue('spec.resources[storage]'));
  else {
    const v = parseQuantity(requests.storage);
    if (v === undefined) errs.push(invalidValue('spec.resources[storage]', String(requests.storage), QUANTITY_MSG));
    else if (v <= 0) errs.push(invalidValue('spec.resources[storage]', formatQuantity(requests.storage), 'must be greater than zero'));
  }
  if (spec.storageClassName) errs.push(...validateDns1123Subdomain('spec.storageClassName', String(spec.storageClassName)));
  if (spec.volumeMode !== undefined && !VOLUME_MODES.includes(spec.volumeMode)) errs.push(notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  return errs;
}

function validatePvcUpdate(obj: ApiObject, old: ApiObject): FieldError[] {
  const errs = validatePvc(obj);
  const now: ApiObject = structuredClone(isObj(obj.spec) ? obj.spec : {});
  const before: ApiObject = structuredClone(isObj(old.spec) ? old.spec : {});
  // The volume name may be set once; a bound claim may change its storage request and attributes class.
  if (!before.volumeName) {
    if (now.volumeName === undefined) delete before.volumeName;
    else before.volumeName = now.volumeName;
  }
  if (obj.status?.phase === 'Bound') {
    if (isObj(now.resources?.requests) && 'storage' in now.resources.requests) now.resources.requests.storage = before.resources?.requests?.storage;
    if (now.volumeAttributesClassName !== undefined) now.volumeAttributesClassName = before.volumeAttributesClassName;
  }
  if (!isDeepStrictEqual(now, before)) {
    errs.push(forbidden('spec', `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${describeChanges(before, now)}`));
  }
  const newSize = parseQuantity(obj.spec?.resources?.requests?.storage);
  const oldSize = parseQuantity(old.spec?.resources?.requests?.storage);
  if (newSize !== undefined && oldSize !== undefined && newSize < oldSize) {
    errs.push(forbidden('spec.resources.requests.storage', 'field can not be less than previous value'));
  }
  return errs;
}

/** core/v1 PersistentVolumeClaim: a request for storage, bound to a PersistentVolume. */
export const persistentVolumeClaims: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  shortNames: ['pvc'],
  categories: [],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: true,
  subresources: ['status'],
  table: {
    columns: [
      { name: 'Status', type: 'string', description: 'The phase of the claim.' },
      { name: 'Volume', type: 'string', description: 'The volume the claim is bound to.' },
      { name: 'Capacity', type: 'string', description: 'The capacity of the bound volume.' },
      { name: 'Access Modes', type: 'string', description: 'How the bound volume can be mounted (RWO, ROX, RWX, RWOP).' },
      { name: 'StorageClass', type: 'string', description: 'The storage class of the claim.' },
      { name: 'VolumeAttributesClass', type: 'string', description: 'The volume attributes class of the claim.' },
      AGE_COLUMN,
      { name: 'VolumeMode', type: 'string', priority: 1, description: 'Whether the claim wants a filesystem or a raw block device.' },
    ],
    cells(obj, now) {
      const spec: ApiObject = isObj(obj.spec) ? obj.spec : {};
      const phase = obj.metadata?.deletionTimestamp ? 'Terminating' : String(obj.status?.phase ?? '');
      const bound = typeof spec.volumeName === 'string' && spec.volumeName !== '';
      return [
        phase, String(spec.volumeName ?? ''), bound ? formatQuantity(obj.status?.capacity?.storage) : '',
        bound ? accessModesAsString(obj.status?.accessModes) : '', storageClassOf(obj),
        typeof spec.volumeAttributesClassName === 'string' ? spec.volumeAttributesClassName : '<unset>',
        ageOf(obj.metadata?.creationTimestamp, now), typeof spec.volumeMode === 'string' ? spec.volumeMode : '<unset>',
      ];
    },
  },
  strategy: {
    defaults(obj) {
      if (!isObj(obj.spec)) obj.spec = {};
      obj.spec.volumeMode ??= 'Filesystem';
      if (isObj(obj.status) && !obj.status.phase) obj.status.phase = 'Pending';
    },
    prepareForCreate(obj) {
      obj.status = { phase: 'Pending' };
    },
    prepareForUpdate(obj, old) {
      obj.status = old.status;
      if (obj.status === undefined) delete obj.status;
    },
    validate: validatePvc,
    validateUpdate: validatePvcUpdate,
    validateStatusUpdate: () => [],
  },
};
