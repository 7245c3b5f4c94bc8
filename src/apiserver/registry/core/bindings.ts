import type { ResourceDefinition } from '../resource.js';

const none = () => [];

/**
 * core/v1 `bindings`: the older way to bind a pod (`POST …/namespaces/<ns>/bindings` with a Binding
 * named after the pod), same effect as `pods/<name>/binding`. Nothing is stored under this name.
 */
export const bindings: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Binding',
  plural: 'bindings',
  singular: 'binding',
  shortNames: [],
  categories: [],
  namespaced: true,
  verbs: ['create'],
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  stored: false,
  table: { columns: [], cells: none },
  strategy: { prepareForCreate() {}, prepareForUpdate() {}, validate: none, validateUpdate: none },
};
