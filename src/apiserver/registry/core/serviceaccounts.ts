import { ageOf } from '../../../machinery/duration.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { AGE_COLUMN } from '../printing.js';

/** Keeps only the name of each secret reference, as upstream does on create. */
function cleanSecretReferences(obj: ApiObject): void {
  if (!Array.isArray(obj.secrets)) return;
  obj.secrets = obj.secrets.map((s: unknown) => {
    const name = typeof s === 'object' && s !== null ? (s as ApiObject).name : undefined;
    return name === undefined ? {} : { name };
  });
}

/** core/v1 ServiceAccount: an identity for processes in pods. */
export const serviceAccounts: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  shortNames: ['sa'],
  categories: [],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: true,
  table: {
    columns: [
      { name: 'Secrets', type: 'string', description: 'How many secrets the service account references.' },
      AGE_COLUMN,
    ],
    cells: (obj, now) => [Array.isArray(obj.secrets) ? obj.secrets.length : 0, ageOf(obj.metadata?.creationTimestamp, now)],
  },
  strategy: {
    prepareForCreate: cleanSecretReferences,
    prepareForUpdate: (obj) => cleanSecretReferences(obj),
    validate: () => [],
    validateUpdate: () => [],
  },
};
