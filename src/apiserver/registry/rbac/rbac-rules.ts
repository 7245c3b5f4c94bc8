/**
 * What the four RBAC resources share: policy rule and subject validation, role references, the
 * defaulting of API groups, and their Table forms (roles have the default `Created At` columns).
 */
import type { FieldError } from '../../../machinery/status.js';
import { ageOf } from '../../../machinery/duration.js';
import { requiredValue, validateDns1123Subdomain } from '../../../machinery/validation.js';
import { notSupported } from '../core/pod-spec.js';
import type { ApiObject, TableColumn, TableDefinition } from '../resource.js';
import { goQuote, goStringSlice, invalidRendered } from '../go-format.js';
import { validatePathSegmentName } from '../apps/name-checks.js';
import { AGE_COLUMN } from '../apps/workload.js';
import { isApiObject as isObj } from '../resource.js';

/** The API group of RBAC, which role references and user or group subjects name. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Upstream's `ValidatePolicyRule` for each rule, at `rules[i]`. */
export function validateRules(rules: unknown, namespaced: boolean, path = 'rules'): FieldError[] {
  const errs: FieldError[] = [];
  list(rules).forEach((raw, i) => {
    const rule: ApiObject = isObj(raw) ? raw : {};
    const p = `${path}[${i}]`;
    if (list(rule.verbs).length === 0) errs.push(requiredValue(`${p}.verbs`, 'verbs must contain at least one value'));
    if (list(rule.nonResourceURLs).length > 0) {
      const urls = goStringSlice(rule.nonResourceURLs);
      if (namespaced) errs.push(invalidRendered(`${p}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
      if (list(rule.apiGroups).length > 0 || list(rule.resources).length > 0 || list(rule.resourceNames).length > 0) {
        errs.push(invalidRendered(`${p}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
      }
      return;
    }
    if (list(rule.apiGroups).length === 0) errs.push(requiredValue(`${p}.apiGroups`, 'resource rules must supply at least one api group'));
    if (list(rule.resources).length === 0) errs.push(requiredValue(`${p}.resources`, 'resource rules must supply at least one resource'));
  });
  return errs;
}

/** rbac/v1 defaulting of bindings: the role reference's group, and the groups of user and group subjects. */
export function defaultBinding(obj: ApiObject): void {
  obj.roleRef ??= {};
  if (isObj(obj.roleRef) && !obj.roleRef.apiGroup) obj.roleRef.apiGroup = RBAC_GROUP;
  for (const s of list(obj.subjects)) {
    if (!isObj(s) || s.apiGroup) continue;
    if (s.kind === 'ServiceAccount') s.apiGroup = '';
    else if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = RBAC_GROUP;
  }
}

/** Upstream's `ValidateRoleBinding`/`ValidateClusterRoleBinding` (after metadata): the role reference and the subjects. */
export function validateBinding(obj: ApiObject, namespaced: boolean): FieldError[] {
  const ref: ApiObject = isObj(obj.roleRef) ? obj.roleRef : {};
  const errs: FieldError[] = [];
  if ((ref.apiGroup ?? '') !== RBAC_GROUP) errs.push(notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind)) errs.push(notSupported('roleRef.kind', ref.kind ?? '', kinds));
  if (!ref.name) errs.push(requiredValue('roleRef.name'));
  else errs.push(...validatePathSegmentName('roleRef.name', String(ref.name)));
  list(obj.subjects).forEach((raw, i) => {
    const s: ApiObject = isObj(raw) ? raw : {};
    const p = `subjects[${i}]`;
    const name = String(s.name ?? '');
    if (!name) errs.push(requiredValue(`${p}.name`));
    switch (s.kind) {
      case 'ServiceAccount':
        if (name) errs.push(...validateDns1123Subdomain(`${p}.name`, name));
        if (s.apiGroup) errs.push(notSupported(`${p}.apiGroup`, s.apiGroup, ['']));
        if (!namespaced && !s.namespace) errs.push(requiredValue(`${p}.namespace`));
        break;
      case 'User':
      case 'Group':
        if ((s.apiGroup ?? '') !== RBAC_GROUP) errs.push(notSupported(`${p}.apiGroup`, s.apiGroup ?? '', [RBAC_GROUP]));
        break;
      default:
        errs.push(notSupported(`${p}.kind`, s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
    }
  });
  return errs;
}

/** `roleRef: Invalid value: rbac.RoleRef{…}: cannot change roleRef` when an update changes the role reference. */
export function roleRefUnchanged(obj: ApiObject, old: ApiObject): FieldError[] {
  const a: ApiObject = isObj(obj.roleRef) ? obj.roleRef : {};
  const b: ApiObject = isObj(old.roleRef) ? old.roleRef : {};
  const same = ['apiGroup', 'kind', 'name'].every((k) => (a[k] ?? '') === (b[k] ?? ''));
  if (same) return [];
  return [invalidRendered('roleRef', `rbac.RoleRef{APIGroup:${goQuote(a.apiGroup ?? '')}, Kind:${goQuote(a.kind ?? '')}, Name:${goQuote(a.name ?? '')}}`, 'cannot change roleRef')];
}

/** The Table of roles and cluster roles: upstream prints them with its default columns (Name, Created At). */
export const ROLE_TABLE: TableDefinition = {
  columns: [{ name: 'Created At', type: 'date', description: 'When the object was created (metadata.creationTimestamp).' }],
  cells: (obj) => [obj.metadata.creationTimestamp ?? ''],
};

const bindingColumns = (what: string): TableColumn[] => [
  { name: 'Role', type: 'string', description: 'The role the binding grants (kind/name).' },
  AGE_COLUMN,
  { name: 'Users', type: 'string', priority: 1, description: `The users of the ${what}.` },
  { name: 'Groups', type: 'string', priority: 1, description: `The groups of the ${what}.` },
  { name: 'ServiceAccounts', type: 'string', priority: 1, description: `The service accounts (namespace/name) of the ${what}.` },
];

/** The Table of role bindings or cluster role bindings. */
export function bindingTable(what: string): TableDefinition {
  return {
    columns: bindingColumns(what),
    cells: (obj, now) => {
      const users: string[] = [];
      const groups: string[] = [];
      const sas: string[] = [];
      for (const raw of list(obj.subjects)) {
        const s: ApiObject = isObj(raw) ? raw : {};
        if (s.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name ?? ''}`);
        else if (s.kind === 'User') users.push(String(s.name ?? ''));
        else if (s.kind === 'Group') groups.push(String(s.name ?? ''));
      }
      return [`${obj.roleRef?.kind ?? ''}/${obj.roleRef?.name ?? ''}`, ageOf(obj.metadata.creationTimestamp, now), users.join(', '), groups.join(', '), sas.join(', ')];
    },
  };
}
