import { ageOf } from '../../../machinery/duration.js';
import { invalid, type FieldError } from '../../../machinery/status.js';
import { invalidValue, qualifiedNameMessages } from '../../../machinery/validation.js';
import { isApiObject, type ApiObject, type ResourceDefinition } from '../resource.js';

/** The finalizer that holds a namespace until its contents are deleted (by the namespace controller). */
export const KUBERNETES_FINALIZER = 'kubernetes';

/** The namespaces every cluster has from its first start. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** The label every namespace carries, mirroring its name. */
const NAME_LABEL = 'kubernetes.io/metadata.name';

/** Finalizer names that need no domain prefix (upstream's standard finalizers). */
const STANDARD_FINALIZERS = new Set([KUBERNETES_FINALIZER, 'orphan', 'foregroundDeletion']);

/**
 * Field errors of one spec finalizer name, as upstream: a qualified name, and one without a
 * `/` only when it is a standard finalizer.
 */
export function finalizerNameErrors(field: string, name: unknown): FieldError[] {
  const value = String(name);
  const errs = qualifiedNameMessages(value).map((m) => invalidValue(field, value, m));
  if (!value.includes('/') && !STANDARD_FINALIZERS.has(value)) {
    errs.push(invalidValue(field, value, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errs;
}

/** Whether a namespace's spec finalizers are all done: only then may a deleted namespace be removed. */
export function namespaceFinalized(ns: ApiObject): boolean {
  const finalizers = ns.spec?.finalizers;
  return !Array.isArray(finalizers) || finalizers.length === 0;
}

function withNameLabel(obj: ApiObject, name: string): void {
  obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [NAME_LABEL]: name };
}

/**
 * The object a `PUT namespaces/<name>/finalize` writes over `current`: the request's metadata
 * and spec (its `spec.finalizers` is the point), the current status. A resourceVersion in the
 * body is a precondition. Throws 422 for finalizer names upstream refuses.
 */
export function finalizeNamespace(current: ApiObject, body: ApiObject): ApiObject {
  const next: ApiObject = { ...structuredClone(body), status: structuredClone(current.status) };
  if (!isApiObject(next.metadata)) next.metadata = {};
  const name = current.metadata.name as string;
  const finalizers = next.spec?.finalizers;
  const errs: FieldError[] = [];
  if (finalizers !== undefined && !Array.isArray(finalizers)) {
    errs.push(invalidValue('spec.finalizers', JSON.stringify(finalizers), 'must be a list'));
  } else {
    (finalizers ?? []).forEach((f: unknown, i: number) => errs.push(...finalizerNameErrors(`spec.finalizers[${i}]`, f)));
  }
  if (errs.length > 0) throw invalid('Namespace', '', name, errs);
  withNameLabel(next, name);
  return next;
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
  subresources: ['status', 'finalize'],
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
      // Every namespace starts with the `kubernetes` finalizer: the namespace controller removes
      // it (through `finalize`) once the namespace is empty.
      const finalizers: unknown[] = Array.isArray(obj.spec.finalizers) ? obj.spec.finalizers : [];
      if (!finalizers.includes(KUBERNETES_FINALIZER)) obj.spec.finalizers = [...finalizers, KUBERNETES_FINALIZER];
      withNameLabel(obj, obj.metadata.name ?? obj.metadata.generateName);
    },
    prepareForUpdate(obj, old) {
      // spec.finalizers changes only through finalize, not through updates.
      obj.spec = { ...(obj.spec ?? {}), finalizers: old.spec?.finalizers };
      if (obj.spec.finalizers === undefined) delete obj.spec.finalizers;
      withNameLabel(obj, old.metadata.name);
    },
    prepareForStatusUpdate(obj, old) {
      obj.spec = old.spec;
      if (obj.spec === undefined) delete obj.spec;
      withNameLabel(obj, old.metadata.name);
    },
    validate(obj) {
      const finalizers = obj.spec?.finalizers;
      if (finalizers === undefined) return [];
      if (!Array.isArray(finalizers)) return [invalidValue('spec.finalizers', JSON.stringify(finalizers), 'must be a list')];
      return finalizers.flatMap((f: unknown) => finalizerNameErrors('spec.finalizers', f));
    },
    validateUpdate() {
      return [];
    },
    validateStatusUpdate(obj) {
      const phase = obj.status?.phase ?? '';
      if (!obj.metadata.deletionTimestamp) {
        return phase === 'Active' ? [] : [invalidValue('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty")];
      }
      return phase === 'Terminating' ? [] : [invalidValue('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")];
    },
    prepareForDeletion(obj) {
      obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
    },
    fieldSelectorFields: (obj) => ({ 'status.phase': obj.status?.phase ?? '' }),
  },
};
