import type { FieldError } from '../../../machinery/status.js';
import { ageOf } from '../../../machinery/duration.js';
import { DNS1123_LABEL_MSG, requiredValue, validateAnnotations, validateLabels } from '../../../machinery/validation.js';
import { defaultPodTemplateSpec, forbidden, notSupported, validateNonNegative } from '../core/pod-spec.js';
import { templateContainerCells } from '../printing.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { goIntOrString, goQuote, invalidRendered } from '../go-format.js';
import { intOrPercentValue, isNotMoreThan100Percent, validatePositiveIntOrPercent } from './int-or-percent.js';
import { selectorIsEmpty, selectorMatches, selectorParses, semanticEqual, validateLabelSelector } from './label-selector.js';
import { collisionCountDecrement } from './deployments.js';
import { AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, alwaysRestart, readyOfDesired, renderSelector, selectorMismatch } from './workload.js';
import { isApiObject as isObj } from '../resource.js';

const RETENTION = ['Retain', 'Delete'];


/** apps/v1 `SetDefaults_StatefulSet`, the claim templates' defaults and the pod template's. */
function defaultStatefulSet(obj: ApiObject): void {
  const spec: ApiObject = (obj.spec ??= {});
  if (!spec.podManagementPolicy) spec.podManagementPolicy = 'OrderedReady';
  const us: ApiObject = (spec.updateStrategy ??= {});
  if (!us.type) {
    us.type = 'RollingUpdate';
    us.rollingUpdate ??= {};
  }
  if (us.type === 'RollingUpdate' && isObj(us.rollingUpdate)) us.rollingUpdate.partition ??= 0;
  const retention: ApiObject = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  if (!retention.whenDeleted) retention.whenDeleted = 'Retain';
  if (!retention.whenScaled) retention.whenScaled = 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.template ??= {};
  defaultPodTemplateSpec(spec.template);
  for (const claim of Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : []) {
    if (!isObj(claim)) continue;
    claim.spec ??= {};
    claim.spec.volumeMode ??= 'Filesystem';
    claim.status ??= {};
    if (!claim.status.phase) claim.status.phase = 'Pending';
  }
}

function renderRollingUpdate(ru: ApiObject): string {
  const mu = ru.maxUnavailable === undefined || ru.maxUnavailable === null ? '(*intstr.IntOrString)(nil)' : '(*intstr.IntOrString)(0xc000000000)';
  return `apps.RollingUpdateStatefulSetStrategy{Partition:${ru.partition ?? 0}, MaxUnavailable:${mu}}`;
}

function validateUpdateStrategy(us: ApiObject): FieldError[] {
  const path = 'spec.updateStrategy';
  switch (us.type ?? '') {
    case '':
      return [requiredValue(path)];
    case 'OnDelete':
      return isObj(us.rollingUpdate)
        ? [invalidRendered(`${path}.rollingUpdate`, renderRollingUpdate(us.rollingUpdate), "only allowed for updateStrategy 'RollingUpdate'")] : [];
    case 'RollingUpdate': {
      if (!isObj(us.rollingUpdate)) return [];
      const ru = us.rollingUpdate;
      const errs = validateNonNegative(`${path}.rollingUpdate.partition`, ru.partition);
      if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
        const p = `${path}.rollingUpdate.maxUnavailable`;
        errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, p));
        if (intOrPercentValue(ru.maxUnavailable) === 0) errs.push(invalidRendered(p, goIntOrString(ru.maxUnavailable), 'cannot be 0'));
        errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, p));
      }
      return errs;
    }
    default: {
      const ru = isObj(us.rollingUpdate) ? '(*apps.RollingUpdateStatefulSetStrategy)(0xc000000000)' : '(*apps.RollingUpdateStatefulSetStrategy)(nil)';
      return [invalidRendered(path, `apps.StatefulSetUpdateStrategy{Type:${goQuote(us.type)}, RollingUpdate:${ru}}`, "must be 'RollingUpdate' or 'OnDelete'")];
    }
  }
}

/** Upstream's `ValidateStatefulSetSpec`, in its order (the pod spec itself is not validated, as upstream). */
function validateStatefulSetSpec(obj: ApiObject): FieldError[] {
  const spec: ApiObject = obj.spec ?? {};
  const errs: FieldError[] = [];
  const pmp = spec.podManagementPolicy ?? '';
  if (pmp === '') errs.push(requiredValue('spec.podManagementPolicy'));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(invalidRendered('spec.podManagementPolicy', goQuote(pmp), "must be 'OrderedReady' or 'Parallel'"));
  errs.push(...validateUpdateStrategy(isObj(spec.updateStrategy) ? spec.updateStrategy : {}));
  if (isObj(spec.persistentVolumeClaimRetentionPolicy)) {
    for (const f of ['whenDeleted', 'whenScaled']) {
      const v = spec.persistentVolumeClaimRetentionPolicy[f] ?? '';
      if (!RETENTION.includes(v)) errs.push(notSupported(`spec.persistentVolumeClaimRetentionPolicy.${f}`, v, RETENTION));
    }
  }
  errs.push(...validateNonNegative('spec.replicas', spec.replicas));
  errs.push(...validateNonNegative('spec.minReadySeconds', spec.minReadySeconds));
  if (isObj(spec.ordinals)) errs.push(...validateNonNegative('spec.ordinals.start', spec.ordinals.start ?? 0));
  if (spec.selector === undefined || spec.selector === null) errs.push(requiredValue('spec.selector'));
  else {
    errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    if (selectorIsEmpty(spec.selector)) errs.push(invalidRendered('spec.selector', renderSelector(spec.selector), 'empty selector is invalid for statefulset'));
  }
  const tpl: ApiObject = isObj(spec.template) ? spec.template : {};
  if (!selectorParses(spec.selector)) errs.push(invalidRendered('spec.selector', renderSelector(spec.selector), ''));
  else {
    const labels = tpl.metadata?.labels;
    if (!selectorIsEmpty(spec.selector) && !selectorMatches(spec.selector, labels)) errs.push(selectorMismatch('spec.template', labels));
    errs.push(...validateLabels('spec.template.labels', labels));
    errs.push(...validateAnnotations('spec.template.annotations', tpl.metadata?.annotations));
  }
  errs.push(...alwaysRestart(tpl, 'spec.template', 'StatefulSet'));
  return errs;
}

/** Stateful set names become pod host names: upstream holds them to DNS labels (not subdomains). */
function statefulSetNameMessages(name: string): string[] {
  const msgs: string[] = [];
  if (name.length > 63) msgs.push('must be no more than 63 characters');
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) msgs.push(DNS1123_LABEL_MSG);
  return msgs;
}

const UPDATABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

function validateStatefulSetUpdate(obj: ApiObject, old: ApiObject): FieldError[] {
  const errs = validateStatefulSetSpec(obj);
  const rest = (s: ApiObject | undefined) => Object.fromEntries(Object.entries(s ?? {}).filter(([k]) => !UPDATABLE.includes(k)));
  if (!semanticEqual(rest(obj.spec), rest(old.spec))) {
    errs.push(forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
  }
  return errs;
}

function validateStatefulSetStatus(obj: ApiObject, old: ApiObject): FieldError[] {
  const st: ApiObject = obj.status ?? {};
  const errs: FieldError[] = [];
  for (const f of ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'observedGeneration', 'collisionCount']) {
    errs.push(...validateNonNegative(`status.${f}`, st[f]));
  }
  for (const f of ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas']) {
    if ((st[f] ?? 0) > (st.replicas ?? 0)) errs.push(invalidRendered(`status.${f}`, String(st[f]), 'cannot be greater than status.replicas'));
  }
  if ((st.availableReplicas ?? 0) > (st.readyReplicas ?? 0)) {
    errs.push(invalidRendered('status.availableReplicas', String(st.availableReplicas), 'cannot be greater than status.readyReplicas'));
  }
  return [...errs, ...collisionCountDecrement(obj, old)];
}

/** apps/v1 StatefulSet: pods with stable identities and storage, with status and scale subresources. */
export const statefulSets: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  singular: 'statefulset',
  shortNames: ['sts'],
  categories: ['all'],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  subresources: ['status', 'scale'],
  tracksGeneration: true,
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
  validateName: statefulSetNameMessages,
  table: {
    columns: [
      { name: 'Ready', type: 'string', description: 'Ready pods out of the desired ones.' },
      AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN,
    ],
    cells: (obj, now) => [readyOfDesired(obj), ageOf(obj.metadata.creationTimestamp, now), ...templateContainerCells(obj.spec?.template)],
  },
  strategy: {
    defaults: defaultStatefulSet,
    prepareForCreate(obj) {
      obj.status = { replicas: 0, availableReplicas: 0 };
    },
    prepareForUpdate() {},
    validate: validateStatefulSetSpec,
    validateUpdate: validateStatefulSetUpdate,
    validateStatusUpdate: validateStatefulSetStatus,
  },
};
