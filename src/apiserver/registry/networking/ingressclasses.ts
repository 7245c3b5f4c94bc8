import type { FieldError } from '../../../machinery/status.js';
import { ageOf } from '../../../machinery/duration.js';
import { forbidden, notSupported } from '../core/pod-spec.js';
import { requiredValue, validateDns1123Label } from '../../../machinery/validation.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { goQuote, invalidRendered } from '../go-format.js';
import { tooLong, validateDomainPrefixedPath } from '../apps/name-checks.js';
import { AGE_COLUMN } from '../apps/workload.js';
import { validateTypedReference } from './ingress-backend.js';
import { isApiObject as isObj } from '../resource.js';

const SCOPES = ['Cluster', 'Namespace'];


function validateParameters(params: unknown): FieldError[] {
  if (!isObj(params)) return [];
  const path = 'spec.parameters';
  const errs = validateTypedReference(params, path);
  if (params.scope === undefined || params.scope === null) return [...errs, requiredValue(`${path}.scope`)];
  if (!SCOPES.includes(params.scope)) return [...errs, notSupported(`${path}.scope`, params.scope, SCOPES)];
  if (params.scope === 'Namespace') {
    if (typeof params.namespace !== 'string') errs.push(requiredValue(`${path}.namespace`, "`parameters.scope` is set to 'Namespace'"));
    else errs.push(...validateDns1123Label(`${path}.namespace`, params.namespace));
  }
  if (params.scope === 'Cluster' && params.namespace !== undefined && params.namespace !== null) {
    errs.push(forbidden(`${path}.namespace`, "`parameters.scope` is set to 'Cluster'"));
  }
  return errs;
}

function validateIngressClass(obj: ApiObject): FieldError[] {
  const controller = String(obj.spec?.controller ?? '');
  const errs: FieldError[] = [];
  if (controller.length > 250) errs.push(tooLong('spec.controller', 250));
  errs.push(...validateDomainPrefixedPath('spec.controller', controller));
  errs.push(...validateParameters(obj.spec?.parameters));
  return errs;
}

/** The Parameters cell: `Kind.group/name` of the parameters object, `<none>` without one. */
function parametersCell(obj: ApiObject): string {
  const p = obj.spec?.parameters;
  if (!isObj(p)) return '<none>';
  return `${p.kind ?? ''}${typeof p.apiGroup === 'string' ? `.${p.apiGroup}` : ''}/${p.name ?? ''}`;
}

/** networking.k8s.io/v1 IngressClass (cluster-scoped): which controller implements a class of ingresses. */
export const ingressClasses: ResourceDefinition = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  plural: 'ingressclasses',
  singular: 'ingressclass',
  shortNames: [],
  categories: [],
  namespaced: false,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  tracksGeneration: true,
  table: {
    columns: [
      { name: 'Controller', type: 'string', description: 'The controller that implements the class.' },
      { name: 'Parameters', type: 'string', description: 'The object holding the parameters of the class.' },
      AGE_COLUMN,
    ],
    cells: (obj, now) => [obj.spec?.controller ?? '', parametersCell(obj), ageOf(obj.metadata.creationTimestamp, now)],
  },
  strategy: {
    defaults(obj) {
      if (isObj(obj.spec?.parameters) && (obj.spec.parameters.scope === undefined || obj.spec.parameters.scope === null)) obj.spec.parameters.scope = 'Cluster';
    },
    prepareForCreate() {},
    prepareForUpdate() {},
    validate: validateIngressClass,
    validateUpdate: (obj, old) => [
      ...((obj.spec?.controller ?? '') === (old.spec?.controller ?? '') ? [] : [invalidRendered('spec.controller', goQuote(obj.spec?.controller ?? ''), 'field is immutable')]),
      ...validateIngressClass(obj),
    ],
  },
};
