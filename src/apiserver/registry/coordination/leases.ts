import type { FieldError } from '../../../machinery/status.js';
import { ageOf } from '../../../machinery/duration.js';
import { invalidValue } from '../../../machinery/validation.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { AGE_COLUMN } from '../apps/workload.js';

function validateLease(obj: ApiObject): FieldError[] {
  const spec: ApiObject = obj.spec ?? {};
  const errs: FieldError[] = [];
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) {
    errs.push(invalidValue('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0) {
    errs.push(invalidValue('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  return errs;
}

/**
 * The fields of the (alpha, disabled) coordinated leader election feature are dropped, as upstream
 * drops them while the feature gate is off — unless the stored lease already has them.
 */
function dropDisabledFields(obj: ApiObject, old?: ApiObject): void {
  if (!obj.spec) return;
  for (const f of ['strategy', 'preferredHolder']) if (old?.spec?.[f] === undefined) delete obj.spec[f];
}

/** coordination.k8s.io/v1 Lease: a lease (leader election, node heartbeats). PUT creates a missing lease. */
export const leases: ResourceDefinition = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  singular: 'lease',
  shortNames: [],
  categories: [],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: true,
  returnDeletedObject: false,
  table: {
    columns: [{ name: 'Holder', type: 'string', description: 'The identity holding the lease.' }, AGE_COLUMN],
    cells: (obj, now) => [obj.spec?.holderIdentity ?? '', ageOf(obj.metadata.creationTimestamp, now)],
  },
  strategy: {
    prepareForCreate: (obj) => dropDisabledFields(obj),
    prepareForUpdate: (obj, old) => dropDisabledFields(obj, old),
    validate: validateLease,
    validateUpdate: validateLease,
  },
};
