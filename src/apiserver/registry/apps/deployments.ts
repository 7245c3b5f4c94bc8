import { isDeepStrictEqual } from 'node:util';
import { specChanged } from '../generic-registry.js';
import type { FieldError } from '../../../machinery/status.js';
import { ageOf } from '../../../machinery/duration.js';
import { defaultPodTemplateSpec, forbidden, validateNonNegative } from '../core/pod-spec.js';
import { formatLabelSelector, templateContainerCells } from '../printing.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { invalidRendered, notSupportedRendered, goQuote, goIntOrString } from '../go-format.js';
import { intOrPercentValue, isNotMoreThan100Percent, validatePositiveIntOrPercent } from './int-or-percent.js';
import { requiredValue } from '../../../machinery/validation.js';
import {
  AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, SELECTOR_COLUMN, immutableSelector, readyOfDesired, validateReplicaSetTemplate,
  validateRequiredSelector,
} from './workload.js';

/** apps/v1 `SetDefaults_Deployment` plus the pod template's defaults. */
function defaultDeployment(obj: ApiObject): void {
  const spec: ApiObject = (obj.spec ??= {});
  spec.replicas ??= 1;
  const strategy: ApiObject = (spec.strategy ??= {});
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru: ApiObject = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.template ??= {};
  defaultPodTemplateSpec(spec.template);
}

/** How `%#v` prints a deployment strategy the API does not know (its rolling update as a pointer). */
function renderStrategy(strategy: ApiObject): string {
  const ru = strategy.rollingUpdate ? '(*apps.RollingUpdateDeployment)(0xc000000000)' : '(*apps.RollingUpdateDeployment)(nil)';
  return `apps.DeploymentStrategy{Type:${goQuote(strategy.type ?? '')}, RollingUpdate:${ru}}`;
}

function validateStrategy(strategy: ApiObject | undefined): FieldError[] {
  const s = strategy ?? {};
  const path = 'spec.strategy';
  if (s.type === 'Recreate') {
    return s.rollingUpdate ? [forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")] : [];
  }
  if (s.type !== 'RollingUpdate') return [notSupportedRendered(path, renderStrategy(s), ['Recreate', 'RollingUpdate'])];
  const ru = s.rollingUpdate;
  if (!ru) return [requiredValue(`${path}.rollingUpdate`, 'this should be defaulted and never be nil')];
  const p = `${path}.rollingUpdate`;
  const errs = [
    ...validatePositiveIntOrPercent(ru.maxUnavailable ?? 0, `${p}.maxUnavailable`),
    ...validatePositiveIntOrPercent(ru.maxSurge ?? 0, `${p}.maxSurge`),
  ];
  if (intOrPercentValue(ru.maxUnavailable ?? 0) === 0 && intOrPercentValue(ru.maxSurge ?? 0) === 0) {
    errs.push(invalidRendered(`${p}.maxUnavailable`, goIntOrString(ru.maxUnavailable ?? 0), 'may not be 0 when `maxSurge` is 0'));
  }
  errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
  return errs;
}

/** Upstream's `ValidateDeploymentSpec`, in its order. */
function validateDeploymentSpec(obj: ApiObject): FieldError[] {
  const spec: ApiObject = obj.spec ?? {};
  const errs = [
    ...validateNonNegative('spec.replicas', spec.replicas),
    ...validateRequiredSelector(spec.selector, 'spec.selector', 'deployment'),
    ...validateReplicaSetTemplate(spec.template, spec.selector, 'spec.template', 'spec.selector'),
    ...validateStrategy(spec.strategy),
    ...validateNonNegative('spec.minReadySeconds', spec.minReadySeconds),
    ...validateNonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit),
  ];
  if (spec.rollbackTo) errs.push(...validateNonNegative('spec.rollback.version', spec.rollbackTo.revision));
  if (typeof spec.progressDeadlineSeconds === 'number') {
    errs.push(...validateNonNegative('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(invalidRendered('spec.progressDeadlineSeconds', String(spec.progressDeadlineSeconds), 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

function validateDeploymentStatus(obj: ApiObject): FieldError[] {
  const st: ApiObject = obj.status ?? {};
  const errs: FieldError[] = [];
  for (const f of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount']) {
    errs.push(...validateNonNegative(`status.${f}`, st[f]));
  }
  const replicas = st.replicas ?? 0;
  for (const f of ['updatedReplicas', 'readyReplicas', 'availableReplicas']) {
    if ((st[f] ?? 0) > replicas) errs.push(invalidRendered(`status.${f}`, String(st[f]), 'cannot be greater than status.replicas'));
  }
  if ((st.availableReplicas ?? 0) > (st.readyReplicas ?? 0)) {
    errs.push(invalidRendered('status.availableReplicas', String(st.availableReplicas), 'cannot be greater than readyReplicas'));
  }
  return errs;
}

/** `status.collisionCount: Invalid value: N: cannot be decremented`. */
export function collisionCountDecrement(obj: ApiObject, old: ApiObject): FieldError[] {
  const was = old.status?.collisionCount;
  const now = obj.status?.collisionCount;
  if (typeof was !== 'number') return [];
  if (typeof now === 'number' && now >= was) return [];
  return [invalidRendered('status.collisionCount', String(now ?? 0), 'cannot be decremented')];
}

/** The Selector cell of a deployment: the selector's string, empty when it selects everything. */
function deploymentSelectorCell(sel: unknown): string {
  const s = formatLabelSelector(sel);
  return s === '<none>' ? '' : s === '<error>' ? '<invalid>' : s;
}

/** apps/v1 Deployment: declarative updates of replica sets, with status and scale subresources. */
export const deployments: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  shortNames: ['deploy'],
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
      { name: 'Ready', type: 'string', description: 'Ready pods out of the desired ones.' },
      { name: 'Up-to-date', type: 'string', description: 'Pods running the newest pod template.' },
      { name: 'Available', type: 'string', description: 'Pods that have been ready for at least minReadySeconds.' },
      AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, SELECTOR_COLUMN,
    ],
    cells: (obj, now) => [
      readyOfDesired(obj),
      obj.status?.updatedReplicas ?? 0,
      obj.status?.availableReplicas ?? 0,
      ageOf(obj.metadata.creationTimestamp, now),
      ...templateContainerCells(obj.spec?.template),
      deploymentSelectorCell(obj.spec?.selector),
    ],
  },
  strategy: {
    defaults: defaultDeployment,
    generationChanged: (obj, old) => specChanged(obj, old) || !isDeepStrictEqual(obj.metadata.annotations ?? {}, old.metadata.annotations ?? {}),
    prepareForCreate(obj) {
      obj.status = {};
    },
    prepareForUpdate() {},
    prepareForStatusUpdate(obj, old) {
      // A status write may not relabel the deployment either.
      if (old.metadata.labels === undefined) delete obj.metadata.labels;
      else obj.metadata.labels = old.metadata.labels;
    },
    validate: validateDeploymentSpec,
    validateUpdate: (obj, old) => [...validateDeploymentSpec(obj), ...immutableSelector(obj.spec?.selector, old.spec?.selector)],
    validateStatusUpdate: (obj, old) => [...validateDeploymentStatus(obj), ...collisionCountDecrement(obj, old)],
  },
};
