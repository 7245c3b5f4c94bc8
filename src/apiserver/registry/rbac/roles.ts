import { pathSegmentNameMessages } from '../apps/name-checks.js';
import { ALL_VERBS, type ResourceDefinition } from '../resource.js';
import { ROLE_TABLE, validateRules } from './rbac-rules.js';

/** rbac.authorization.k8s.io/v1 Role: namespaced permissions (policy rules). PUT creates a missing role. */
export const roles: ResourceDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'Role',
  plural: 'roles',
  singular: 'role',
  shortNames: [],
  categories: [],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: true,
  returnDeletedObject: false,
  validateName: pathSegmentNameMessages,
  table: ROLE_TABLE,
  strategy: {
    prepareForCreate() {},
    prepareForUpdate() {},
    validate: (obj) => validateRules(obj.rules, true),
    validateUpdate: (obj) => validateRules(obj.rules, true),
  },
};
