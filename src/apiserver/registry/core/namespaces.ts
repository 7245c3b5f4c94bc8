import { ageOf } from '../../../machinery/duration.js';
import { invalidValue } from '../../../machinery/validation.js';
import { type ApiObject, type ResourceDefinition } from '../resource.js';

/** The finalizer that holds a namespace until its contents are deleted. */
export const KUBERNETES_FINALIZER = 'kubernetes';

/** The namespaces every cluster has from its first start. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function keepStatus(obj: ApiObject, old: ApiObject): void {
  obj.status = old.status;
}

/** core/v1 Namespace: the scope of namespaced objects (cluster-scoped itself). */
export const namespaces: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  shortNames: ['ns'],
  categories: [],
  namespaced: false,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  allowCreateOnUpdate: false,
  returnDeletedObject: true,
  table: {
    columns: [
      { name: 'Status', type: 'string', description: 'The lifecycle phase of the namespace (Active or Terminating).' },
      { name: 'Age', type: 'string', description: 'Time since the object was created (metadata.creationTimestamp).' },
    ],
    cells: (obj, now) => [obj.status?.phase ?? '', ageOf(obj.metadata.creationTimestamp, now)],
  },
  strategy: {
    prepareForCreate(obj) {
      obj.status = { phase: 'Active' };
      obj.spec ??= {};
      // Every namespace starts with the `kubernetes` finalizer: it is removed once the namespace is empty.
      const finalizers: unknown[] = Array.isArray(obj.spec.finalizers) ? obj.spec.finalizers : [];
      if (!finalizers.includes(KUBERNETES_FINALIZER)) obj.spec.finalizers = [...finalizers, KUBERNETES_FINALIZER];
      // The name is mirrored into a label every namespace carries.
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name ?? obj.metadata.generateName };
    },
    prepareForUpdate(obj, old) {
      keepStatus(obj, old);
      // spec.finalizers changes only through finalization, not through updates.
      obj.spec = { ...(obj.spec ?? {}), finalizers: old.spec?.finalizers };
      if (obj.spec.finalizers === undefined) delete obj.spec.finalizers;
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': old.metadata.name };
    },
    validate(obj) {
      return obj.spec?.finalizers !== undefined && !Array.isArray(obj.spec.finalizers)
        ? [invalidValue('spec.finalizers', JSON.stringify(obj.spec.finalizers), 'must be a list')] : [];
    },
    validateUpdate() {
      return [];
    },
    prepareForDeletion(obj) {
      obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
    },
    fieldSelectorFields: (obj) => ({ 'status.phase': obj.status?.phase ?? '' }),
  },
};

