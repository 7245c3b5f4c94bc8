import { bool, bytes, field, listOf, mapOf, ref, str, time, type TypeDef } from '../schema/shapes.js';
import { META } from '../meta/v1.js';

/** The package prefix of core/v1 type names. */
export const CORE = 'io.k8s.api.core.v1';

const objectMeta = (what: string) => field('metadata', 1, ref(`${META}.ObjectMeta`), `Standard object metadata of the ${what}.`);

/** core/v1 types described so far. */
export const CORE_V1_TYPES: TypeDef[] = [
  {
    name: `${CORE}.ConfigMap`,
    description: 'Configuration data in key-value form, for pods to read as environment variables, files or arguments.',
    gvk: { group: '', version: 'v1', kind: 'ConfigMap' },
    fields: [
      objectMeta('config map'),
      field('immutable', 4, bool, 'When true, data and binaryData can no longer change; only deletion is possible.', { keepZero: true }),
      field('data', 2, mapOf(str), 'UTF-8 values by key. Keys are made of alphanumerics, -, _ and .; they may not also appear in binaryData.'),
      field('binaryData', 3, mapOf(bytes), 'Binary values by key (base64 in JSON). Keys may not also appear in data.'),
    ],
  },
  {
    name: `${CORE}.Namespace`,
    description: 'A scope for names: namespaced objects live in exactly one namespace.',
    gvk: { group: '', version: 'v1', kind: 'Namespace' },
    fields: [
      objectMeta('namespace'),
      field('spec', 2, ref(`${CORE}.NamespaceSpec`), 'What the namespace should be.'),
      field('status', 3, ref(`${CORE}.NamespaceStatus`), 'What the namespace is, as the server last saw it.'),
    ],
  },
  {
    name: `${CORE}.NamespaceSpec`,
    description: 'The desired state of a namespace.',
    fields: [
      field('finalizers', 1, listOf(str, { listType: 'atomic' }), 'Parties that must empty the namespace before it is removed.'),
    ],
  },
  {
    name: `${CORE}.NamespaceStatus`,
    description: 'The observed state of a namespace.',
    fields: [
      field('phase', 1, str, 'Active, or Terminating while the namespace is being deleted.'),
      field('conditions', 2, listOf(ref(`${CORE}.NamespaceCondition`), { listType: 'map', listMapKeys: ['type'], patchStrategy: 'merge', patchMergeKey: 'type' }), 'The latest observations of the namespace\'s state.'),
    ],
  },
  {
    name: `${CORE}.NamespaceCondition`,
    description: 'One observation of a namespace\'s state.',
    fields: [
      field('type', 1, str, 'The kind of observation.'),
      field('status', 2, str, 'True, False or Unknown.'),
      field('lastTransitionTime', 4, time, 'When the status last changed.'),
      field('reason', 5, str, 'A one-word reason for the last change.'),
      field('message', 6, str, 'A human-readable explanation.'),
    ],
  },
];
