import type { FieldError } from '../../../machinery/status.js';
import { ageOf } from '../../../machinery/duration.js';
import { requiredValue } from '../../../machinery/validation.js';
import { validateNonNegative } from '../core/pod-spec.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { invalidRendered } from '../go-format.js';
import { AGE_COLUMN } from './workload.js';
import { semanticEqual } from './label-selector.js';

function validateRevision(obj: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  if (obj.data === undefined || obj.data === null) errs.push(requiredValue('data', 'data is mandatory'));
  errs.push(...validateNonNegative('revision', obj.revision));
  return errs;
}

/**
 * The Controller cell: the controlling owner as `kind.group/name` in lower case (`daemonset.apps/web`),
 * `<none>` without one.
 */
function controllerCell(obj: ApiObject): string {
  const owners: ApiObject[] = Array.isArray(obj.metadata?.ownerReferences) ? obj.metadata.ownerReferences : [];
  const ref = owners.find((o) => o?.controller === true);
  if (!ref) return '<none>';
  const apiVersion = String(ref.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kind = String(ref.kind ?? '');
  if (!kind) return String(ref.name ?? '');
  return `${(group ? `${kind}.${group}` : kind).toLowerCase()}/${ref.name ?? ''}`;
}

/** apps/v1 ControllerRevision: an immutable snapshot of a controller's template (history of daemon and stateful sets). */
export const controllerRevisions: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  singular: 'controllerrevision',
  shortNames: [],
  categories: [],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  table: {
    columns: [
      { name: 'Controller', type: 'string', description: 'The object controlling this revision.' },
      { name: 'Revision', type: 'string', description: 'The revision number of the snapshot.' },
      AGE_COLUMN,
    ],
    cells: (obj, now) => [controllerCell(obj), obj.revision ?? 0, ageOf(obj.metadata.creationTimestamp, now)],
  },
  strategy: {
    prepareForCreate() {},
    prepareForUpdate() {},
    validate: validateRevision,
    validateUpdate: (obj, old) => [
      ...validateRevision(obj),
      ...(semanticEqual(obj.data, old.data) ? [] : [invalidRendered('data', 'runtime.RawExtension{Raw:[]uint8{…}, Object:runtime.Object(nil)}', 'field is immutable')]),
    ],
  },
};
