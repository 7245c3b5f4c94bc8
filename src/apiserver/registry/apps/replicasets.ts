import type { FieldError } from '../../../machinery/status.js';
import { ageOf } from '../../../machinery/duration.js';
import { defaultPodTemplateSpec, validateNonNegative } from '../core/pod-spec.js';
import { formatLabelSelector, templateContainerCells } from '../printing.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { invalidRendered } from '../go-format.js';
import {
  AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, SELECTOR_COLUMN, immutableSelector, validateReplicaSetTemplate, validateRequiredSelector,
} from './workload.js';

/** Upstream's `ValidateReplicaSetSpec` (its empty-selector message names deployments, as upstream's does). */
function validateReplicaSetSpec(obj: ApiObject): FieldError[] {
  const spec: ApiObject = obj.spec ?? {};
  return [
    ...validateNonNegative('spec.replicas', spec.replicas),
    ...validateNonNegative('spec.minReadySeconds', spec.minReadySeconds),
    ...validateRequiredSelector(spec.selector, 'spec.selector', 'deployment'),
    ...validateReplicaSetTemplate(spec.template, spec.selector, 'spec.template', 'spec.selector'),
  ];
}

function validateReplicaSetStatus(obj: ApiObject): FieldError[] {
  const st: ApiObject = obj.status ?? {};
  const errs: FieldError[] = [];
  for (const f of ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']) {
    errs.push(...validateNonNegative(`status.${f}`, st[f]));
  }
  for (const f of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']) {
    if ((st[f] ?? 0) > (st.replicas ?? 0)) errs.push(invalidRendered(`status.${f}`, String(st[f]), 'cannot be greater than status.replicas'));
  }
  if ((st.availableReplicas ?? 0) > (st.readyReplicas ?? 0)) {
    errs.push(invalidRendered('status.availableReplicas', String(st.availableReplicas), 'cannot be greater than readyReplicas'));
  }
  return errs;
}

/** apps/v1 ReplicaSet: keeps a number of pods matching its selector running. */
export const replicaSets: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  singular: 'replicaset',
  shortNames: ['rs'],
  categories: ['all'],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  subresources: ['status', 'scale'],
  tracksGeneration: true,
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
  table: {
    columns: [
      { name: 'Desired', type: 'integer', description: 'The number of pods wanted (spec.replicas).' },
      { name: 'Current', type: 'integer', description: 'The number of pods that exist (status.replicas).' },
      { name: 'Ready', type: 'integer', description: 'The number of ready pods (status.readyReplicas).' },
      AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, SELECTOR_COLUMN,
    ],
    cells: (obj, now) => [
      obj.spec?.replicas ?? 0,
      obj.status?.replicas ?? 0,
      obj.status?.readyReplicas ?? 0,
      ageOf(obj.metadata.creationTimestamp, now),
      ...templateContainerCells(obj.spec?.template),
      formatLabelSelector(obj.spec?.selector),
    ],
  },
  strategy: {
    defaults(obj) {
      const spec: ApiObject = (obj.spec ??= {});
      spec.replicas ??= 1;
      spec.template ??= {};
      defaultPodTemplateSpec(spec.template);
    },
    prepareForCreate(obj) {
      obj.status = { replicas: 0 };
    },
    prepareForUpdate() {},
    validate: validateReplicaSetSpec,
    validateUpdate: (obj, old) => [...validateReplicaSetSpec(obj), ...immutableSelector(obj.spec?.selector, old.spec?.selector)],
    validateStatusUpdate: validateReplicaSetStatus,
  },
};
