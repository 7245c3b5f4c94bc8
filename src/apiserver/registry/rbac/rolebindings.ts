import { pathSegmentNameMessages } from '../apps/name-checks.js';
import { ALL_VERBS, type ResourceDefinition } from '../resource.js';
import { bindingTable, defaultBinding, roleRefUnchanged, validateBinding } from './rbac-rules.js';

/** rbac.authorization.k8s.io/v1 RoleBinding: grants a role (or cluster role) within a namespace. Its roleRef never changes. */
export const roleBindings: ResourceDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  singular: 'rolebinding',
  shortNames: [],
  categories: [],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: true,
  returnDeletedObject: false,
  validateName: pathSegmentNameMessages,
  table: bindingTable('roleBinding'),
  strategy: {
    defaults: defaultBinding,
    prepareForCreate() {},
    prepareForUpdate() {},
    validate: (obj) => validateBinding(obj, true),
    validateUpdate: (obj, old) => [...validateBinding(obj, true), ...roleRefUnchanged(obj, old)],
  },
};
