import { pathSegmentNameMessages } from '../apps/name-checks.js';
import { ALL_VERBS, type ResourceDefinition } from '../resource.js';
import { bindingTable, defaultBinding, roleRefUnchanged, validateBinding } from './rbac-rules.js';

/** rbac.authorization.k8s.io/v1 ClusterRoleBinding (cluster-scoped): grants a cluster role everywhere. Its roleRef never changes. */
export const clusterRoleBindings: ResourceDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRoleBinding',
  plural: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  shortNames: [],
  categories: [],
  namespaced: false,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: true,
  returnDeletedObject: false,
  validateName: pathSegmentNameMessages,
  table: bindingTable('clusterRoleBinding'),
  strategy: {
    defaults: defaultBinding,
    prepareForCreate() {},
    prepareForUpdate() {},
    validate: (obj) => validateBinding(obj, false),
    validateUpdate: (obj, old) => [...validateBinding(obj, false), ...roleRefUnchanged(obj, old)],
  },
};
