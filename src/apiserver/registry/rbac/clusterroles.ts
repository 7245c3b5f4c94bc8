import type { FieldError } from '../../../machinery/status.js';
import { requiredValue } from '../../../machinery/validation.js';
import { pathSegmentNameMessages } from '../apps/name-checks.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { validateLabelSelector } from '../apps/label-selector.js';
import { ROLE_TABLE, validateRules } from './rbac-rules.js';
import { isApiObject as isObj } from '../resource.js';


/** Upstream's `ValidateClusterRole` (after metadata): rules (non-resource URLs allowed) and the aggregation rule. */
function validateClusterRole(obj: ApiObject): FieldError[] {
  const errs = validateRules(obj.rules, false);
  if (isObj(obj.aggregationRule)) {
    const selectors: unknown[] = Array.isArray(obj.aggregationRule.clusterRoleSelectors) ? obj.aggregationRule.clusterRoleSelectors : [];
    if (selectors.length === 0) errs.push(requiredValue('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    selectors.forEach((s, i) => errs.push(...validateLabelSelector(s ?? {}, `aggregationRule.clusterRoleSelectors[${i}]`)));
  }
  return errs;
}

/** rbac.authorization.k8s.io/v1 ClusterRole (cluster-scoped): permissions usable in every namespace. */
export const clusterRoles: ResourceDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRole',
  plural: 'clusterroles',
  singular: 'clusterrole',
  shortNames: [],
  categories: [],
  namespaced: false,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: true,
  returnDeletedObject: false,
  validateName: pathSegmentNameMessages,
  table: ROLE_TABLE,
  strategy: {
    prepareForCreate() {},
    prepareForUpdate() {},
    validate: validateClusterRole,
    validateUpdate: validateClusterRole,
  },
};
