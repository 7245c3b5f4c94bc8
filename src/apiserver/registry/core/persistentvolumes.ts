import type { FieldError } from '../../../machinery/status.js';
import { invalidValue, requiredValue, validateDns1123Subdomain } from '../../../machinery/validation.js';
import { ageOf } from '../../../machinery/duration.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { AGE_COLUMN, accessModesAsString, formatQuantity } from '../printing.js';
import { forbidden, notSupported, parseQuantity, QUANTITY_MSG } from './pod-spec.js';
import { nowTimestamp } from '../object-meta.js';
import { isApiObject as isObj } from '../resource.js';


/** The access modes a volume or claim may ask for, sorted as upstream lists them. */
export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
/** The volume modes, sorted as upstream lists them. */
export const VOLUME_MODES = ['Block', 'Filesystem'];
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const PV_SOURCES = [
  'gcePersistentDisk', 'awsElasticBlockStore', 'hostPath', 'glusterfs', 'nfs', 'rbd', 'iscsi', 'cinder', 'cephfs', 'fc', 'flocker',
  'flexVolume', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'local',
  'storageos', 'csi',
];

/** Errors of a list of access modes at `path` (unsupported values; ReadWriteOncePod alone). */
export function validateAccessModes(modes: unknown, path: string): FieldError[] {
  const list: unknown[] = Array.isArray(modes) ? modes : [];
  const errs: FieldError[] = [];
  for (const m of list) if (!ACCESS_MODES.includes(String(m))) errs.push(notSupported(path, m, ACCESS_MODES));
  if (list.includes('ReadWriteOncePod') && list.length > 1) errs.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

/** The storage class of a volume or claim: the beta annotation first, then `spec.storageClassName`. */
export function storageClassOf(obj: ApiObject): string {
  const ann = obj.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'];
  if (typeof ann === 'string') return ann;
  return typeof obj.spec?.storageClassName === 'string' ? obj.spec.storageClassName : '';
}

function validatePv(obj: ApiObject): FieldError[] {
  const spec: ApiObject = isObj(obj.spec) ? obj.spec : {};
  const errs: FieldError[] = [];
  const modes: unknown[] = Array.isArray(spec.accessModes) ? spec.accessModes : [];
  if (modes.length === 0) errs.push(requiredValue('spec.accessModes'));
  errs.push(...validateAccessModes(modes, 'spec.accessModes'));
  const capacity: ApiObject = isObj(spec.capacity) ? spec.capacity : {};
  if (Object.keys(capacity).length === 0) errs.push(requiredValue('spec.capacity'));
  if (!('storage' in capacity) || Object.keys(capacity).length > 1) errs.push(notSupported('spec.capacity', JSON.stringify(capacity), ['storage']));
  for (const [k, q] of Object.entries(capacity)) {
    const v = parseQuantity(q);
    if (v === undefined) errs.push(invalidValue(`spec.capacity[${k}]`, String(q), QUANTITY_MSG));
    else if (v <= 0) errs.push(invalidValue(`spec.capacity[${k}]`, formatQuantity(q), 'must be greater than zero'));
  }
  if (spec.storageClassName) errs.push(...validateDns1123Subdomain('spec.storageClassName', String(spec.storageClassName)));
  if (spec.persistentVolumeReclaimPolicy && !RECLAIM_POLICIES.includes(spec.persistentVolumeReclaimPolicy)) {
    errs.push(notSupported('spec.persistentVolumeReclaimPolicy', spec.persistentVolumeReclaimPolicy, RECLAIM_POLICIES));
  }
  if (spec.volumeMode !== undefined && !VOLUME_MODES.includes(spec.volumeMode)) errs.push(notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  const sources = PV_SOURCES.filter((s) => spec[s] !== undefined && spec[s] !== null);
  if (sources.length === 0) errs.push(requiredValue('spec', 'must specify a volume type'));
  for (const s of sources.slice(1)) errs.push(forbidden(`spec.${s}`, 'may not specify more than 1 volume type'));
  if (isObj(spec.hostPath) && !spec.hostPath.path) errs.push(requiredValue('spec.hostPath.path'));
  if (isObj(spec.local) && !spec.local.path) errs.push(requiredValue('spec.local.path'));
  if (isObj(spec.nfs)) {
    if (!spec.nfs.server) errs.push(requiredValue('spec.nfs.server'));
    if (!spec.nfs.path) errs.push(requiredValue('spec.nfs.path'));
  }
  if (isObj(spec.csi)) {
    if (!spec.csi.driver) errs.push(requiredValue('spec.csi.driver'));
    if (!spec.csi.volumeHandle) errs.push(requiredValue('spec.csi.volumeHandle'));
  }
  return errs;
}

function validatePvUpdate(obj: ApiObject, old: ApiObject): FieldError[] {
  const errs = validatePv(obj);
  const source = PV_SOURCES.find((s) => old.spec?.[s] !== undefined);
  if (source && JSON.stringify(old.spec[source]) !== JSON.stringify(obj.spec?.[source])) {
    errs.push(forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
  }
  if ((old.spec?.volumeMode ?? '') !== (obj.spec?.volumeMode ?? '')) errs.push(invalidValue('spec.volumeMode', obj.spec?.volumeMode ?? '', 'field is immutable'));
  return errs;
}

/** core/v1 PersistentVolume: a piece of storage in the cluster (cluster-scoped). */
export const persistentVolumes: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  singular: 'persistentvolume',
  shortNames: ['pv'],
  categories: [],
  namespaced: false,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: true,
  subresources: ['status'],
  table: {
    columns: [
      { name: 'Capacity', type: 'string', description: 'The storage capacity of the volume.' },
      { name: 'Access Modes', type: 'string', description: 'How the volume can be mounted (RWO, ROX, RWX, RWOP).' },
      { name: 'Reclaim Policy', type: 'string', description: 'What happens to the volume once its claim is released.' },
      { name: 'Status', type: 'string', description: 'The phase of the volume.' },
      { name: 'Claim', type: 'string', description: 'The claim bound to the volume (namespace/name).' },
      { name: 'StorageClass', type: 'string', description: 'The storage class of the volume.' },
      { name: 'VolumeAttributesClass', type: 'string', description: 'The volume attributes class of the volume.' },
      { name: 'Reason', type: 'string', description: 'Why the volume is in its phase.' },
      AGE_COLUMN,
      { name: 'VolumeMode', type: 'string', priority: 1, description: 'Whether the volume is a filesystem or a raw block device.' },
    ],
    cells(obj, now) {
      const spec: ApiObject = isObj(obj.spec) ? obj.spec : {};
      const claim = isObj(spec.claimRef) ? `${String(spec.claimRef.namespace ?? '')}/${String(spec.claimRef.name ?? '')}` : '';
      const phase = obj.metadata?.deletionTimestamp ? 'Terminating' : String(obj.status?.phase ?? '');
      return [
        formatQuantity(spec.capacity?.storage), accessModesAsString(spec.accessModes), String(spec.persistentVolumeReclaimPolicy ?? ''), phase,
        claim, storageClassOf(obj), typeof spec.volumeAttributesClassName === 'string' ? spec.volumeAttributesClassName : '<unset>',
        String(obj.status?.reason ?? ''), ageOf(obj.metadata?.creationTimestamp, now), typeof spec.volumeMode === 'string' ? spec.volumeMode : '<unset>',
      ];
    },
  },
  strategy: {
    defaults(obj) {
      if (!isObj(obj.spec)) obj.spec = {};
      if (!obj.spec.persistentVolumeReclaimPolicy) obj.spec.persistentVolumeReclaimPolicy = 'Retain';
      obj.spec.volumeMode ??= 'Filesystem';
      if (isObj(obj.spec.hostPath)) obj.spec.hostPath.type ??= '';
      if (isObj(obj.status) && !obj.status.phase) obj.status.phase = 'Pending';
    },
    prepareForCreate(obj) {
      obj.status = { phase: 'Pending', lastPhaseTransitionTime: nowTimestamp() };
    },
    prepareForUpdate(obj, old) {
      obj.status = old.status;
      if (obj.status === undefined) delete obj.status;
    },
    validate: validatePv,
    validateUpdate: validatePvUpdate,
    prepareForStatusUpdate(obj, old) {
      const phase = obj.status?.phase;
      if (!isObj(obj.status)) return;
      if (phase === old.status?.phase && !obj.status.lastPhaseTransitionTime) obj.status.lastPhaseTransitionTime = old.status?.lastPhaseTransitionTime;
      else if (phase !== old.status?.phase && (!obj.status.lastPhaseTransitionTime || obj.status.lastPhaseTransitionTime === old.status?.lastPhaseTransitionTime)) {
        obj.status.lastPhaseTransitionTime = nowTimestamp();
      }
      if (obj.status.lastPhaseTransitionTime === undefined) delete obj.status.lastPhaseTransitionTime;
    },
    validateStatusUpdate: () => [],
  },
};
