import type { FieldError } from '../../../machinery/status.js';
import { invalidValue, requiredValue } from '../../../machinery/validation.js';
import { ageOf } from '../../../machinery/duration.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { AGE_COLUMN, CONTAINER_COLUMNS, formatLabels, templateContainerCells } from '../printing.js';
import {
  defaultPodTemplateSpec, validateAlwaysRestartTemplate, validateNonNegative, validatePodTemplateSpec,
} from './pod-spec.js';
import { isApiObject as isObj } from '../resource.js';
import { goStringMap } from '../go-format.js';


function validateSpec(obj: ApiObject): FieldError[] {
  const spec: ApiObject = isObj(obj.spec) ? obj.spec : {};
  const errs: FieldError[] = [...validateNonNegative('spec.minReadySeconds', spec.minReadySeconds)];
  const selector: ApiObject = isObj(spec.selector) ? spec.selector : {};
  if (Object.keys(selector).length === 0) errs.push(requiredValue('spec.selector'));
  errs.push(...validateNonNegative('spec.replicas', spec.replicas));
  const tpl = spec.template;
  if (!isObj(tpl)) {
    errs.push(requiredValue('spec.template'));
    return errs;
  }
  const labels: ApiObject = isObj(tpl.metadata?.labels) ? tpl.metadata.labels : {};
  if (Object.keys(selector).length > 0 && !Object.entries(selector).every(([k, v]) => labels[k] === v)) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.template.metadata.labels', detail: `Invalid value: ${goStringMap(tpl.metadata?.labels)}: \`selector\` does not match template \`labels\`` });
  }
  errs.push(...validatePodTemplateSpec(tpl, 'spec.template'));
  errs.push(...validateAlwaysRestartTemplate(tpl, 'spec.template', 'ReplicationController'));
  return errs;
}

function validateStatus(obj: ApiObject): FieldError[] {
  const st: ApiObject = isObj(obj.status) ? obj.status : {};
  const errs: FieldError[] = [];
  for (const f of ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']) {
    errs.push(...validateNonNegative(`status.${f}`, st[f]));
  }
  const replicas = Number(st.replicas ?? 0);
  for (const f of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']) {
    if (Number(st[f] ?? 0) > replicas) errs.push(invalidValue(`status.${f}`, Number(st[f]), 'cannot be greater than status.replicas'));
  }
  if (Number(st.availableReplicas ?? 0) > Number(st.readyReplicas ?? 0)) {
    errs.push(invalidValue('status.availableReplicas', Number(st.availableReplicas), 'cannot be greater than readyReplicas'));
  }
  return errs;
}

/** core/v1 ReplicationController: keeps a number of pods matching its selector running. */
export const replicationControllers: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  plural: 'replicationcontrollers',
  singular: 'replicationcontroller',
  shortNames: ['rc'],
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
      { name: 'Desired', type: 'integer', description: 'How many pods the controller should keep (spec.replicas).' },
      { name: 'Current', type: 'integer', description: 'How many pods the controller last observed (status.replicas).' },
      { name: 'Ready', type: 'integer', description: 'How many of those pods are ready (status.readyReplicas).' },
      AGE_COLUMN,
      ...CONTAINER_COLUMNS,
      { name: 'Selector', type: 'string', priority: 1, description: 'The label selector of the controller\'s pods.' },
    ],
    cells(obj, now) {
      const [names, images] = templateContainerCells(obj.spec?.template);
      return [
        Number(obj.spec?.replicas ?? 0), Number(obj.status?.replicas ?? 0), Number(obj.status?.readyReplicas ?? 0),
        ageOf(obj.metadata?.creationTimestamp, now), names, images, formatLabels(obj.spec?.selector),
      ];
    },
  },
  strategy: {
    defaults(obj) {
      if (!isObj(obj.spec)) obj.spec = {};
      const spec = obj.spec;
      const labels = isObj(spec.template) && isObj(spec.template.metadata?.labels) ? spec.template.metadata.labels : undefined;
      if (labels) {
        if (!isObj(spec.selector) || Object.keys(spec.selector).length === 0) spec.selector = { ...labels };
        if (!isObj(obj.metadata?.labels) || Object.keys(obj.metadata.labels).length === 0) obj.metadata = { ...obj.metadata, labels: { ...labels } };
      }
      spec.replicas ??= 1;
      if (isObj(spec.template)) defaultPodTemplateSpec(spec.template);
    },
    prepareForCreate(obj) {
      obj.status = { replicas: 0 };
    },
    prepareForUpdate(obj, old) {
      obj.status = old.status;
      if (obj.status === undefined) delete obj.status;
    },
    validate: validateSpec,
    validateUpdate: (obj) => validateSpec(obj),
    validateStatusUpdate: (obj) => validateStatus(obj),
    fieldSelectorFields: (obj) => ({ 'status.replicas': String(Number(obj.status?.replicas ?? 0)) }),
  },
};
