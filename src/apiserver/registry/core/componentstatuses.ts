import type { ApiObject, ResourceDefinition } from '../resource.js';

const none = () => [];

/**
 * core/v1 `componentstatuses` (deprecated upstream since v1.19, still served): the health of the
 * control plane's parts as the API server sees them. Nothing is stored; the answer is computed.
 */
export const componentStatuses: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ComponentStatus',
  plural: 'componentstatuses',
  singular: 'componentstatus',
  shortNames: ['cs'],
  categories: [],
  namespaced: false,
  verbs: ['get', 'list'],
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  stored: false,
  table: {
    columns: [
      { name: 'Status', type: 'string', description: 'Whether the component answered its health check.' },
      { name: 'Message', type: 'string', description: 'What the health check answered.' },
      { name: 'Error', type: 'string', description: 'Why the health check failed.' },
    ],
    cells: (obj: ApiObject) => {
      const c = (obj.conditions ?? [])[0] ?? {};
      return [c.status === 'True' ? 'Healthy' : 'Unhealthy', c.message ?? '', c.error ?? ''];
    },
  },
  strategy: { prepareForCreate() {}, prepareForUpdate() {}, validate: none, validateUpdate: none },
};

/** The warning upstream attaches to every componentstatuses answer. */
export const COMPONENT_STATUS_WARNING = '299 - "v1 ComponentStatus is deprecated in v1.19+"';
