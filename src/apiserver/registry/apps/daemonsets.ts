import type { FieldError } from '../../../machinery/status.js';
import { ageOf } from '../../../machinery/duration.js';
import { requiredValue } from '../../../machinery/validation.js';
import { defaultPodTemplateSpec, validateNonNegative, validatePodTemplateSpec } from '../core/pod-spec.js';
import { formatLabelSelector, formatLabels, templateContainerCells } from '../printing.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { goIntOrString, goQuote, invalidRendered, notSupportedRendered } from '../go-format.js';
import { intOrPercentValue, isNotMoreThan100Percent, validatePositiveIntOrPercent } from './int-or-percent.js';
import { selectorIsEmpty, selectorMatches, selectorParses, semanticEqual, validateLabelSelector } from './label-selector.js';
import { collisionCountDecrement } from './deployments.js';
import {
  AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, SELECTOR_COLUMN, alwaysRestart, immutableSelector, renderSelector, selectorMismatch,
} from './workload.js';
import { isApiObject as isObj } from '../resource.js';

/**
 * The annotation apps/v1 keeps the (internal) template generation of a daemon set in: 1 on
 * create, incremented by every update that changes the pod template.
 */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';


function templateGeneration(obj: ApiObject): number {
  const n = Number(obj.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION]);
  return Number.isInteger(n) ? n : 0;
}

function setTemplateGeneration(obj: ApiObject, gen: number): void {
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [TEMPLATE_GENERATION_ANNOTATION]: String(gen) };
}

/** apps/v1 `SetDefaults_DaemonSet` plus the pod template's defaults. */
function defaultDaemonSet(obj: ApiObject): void {
  const spec: ApiObject = (obj.spec ??= {});
  const us: ApiObject = (spec.updateStrategy ??= {});
  if (!us.type) us.type = 'RollingUpdate';
  if (us.type === 'RollingUpdate') {
    const ru: ApiObject = (us.rollingUpdate ??= {});
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  spec.template ??= {};
  defaultPodTemplateSpec(spec.template);
}

function validateUpdateStrategy(us: ApiObject): FieldError[] {
  const path = 'spec.updateStrategy';
  if (us.type === 'OnDelete') return [];
  if (us.type !== 'RollingUpdate') {
    const ru = isObj(us.rollingUpdate) ? '(*apps.RollingUpdateDaemonSet)(0xc000000000)' : '(*apps.RollingUpdateDaemonSet)(nil)';
    return [notSupportedRendered(path, `apps.DaemonSetUpdateStrategy{Type:${goQuote(us.type ?? '')}, RollingUpdate:${ru}}`, ['RollingUpdate', 'OnDelete'])];
  }
  if (!isObj(us.rollingUpdate)) return [requiredValue(`${path}.rollingUpdate`)];
  const ru = us.rollingUpdate;
  const p = `${path}.rollingUpdate`;
  const errs = [
    ...validatePositiveIntOrPercent(ru.maxUnavailable ?? 0, `${p}.maxUnavailable`),
    ...validatePositiveIntOrPercent(ru.maxSurge ?? 0, `${p}.maxSurge`),
    ...isNotMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`),
    ...isNotMoreThan100Percent(ru.maxSurge, `${p}.maxSurge`),
  ];
  const hasUnavailable = intOrPercentValue(ru.maxUnavailable ?? 0) !== 0;
  const hasSurge = intOrPercentValue(ru.maxSurge ?? 0) !== 0;
  if (hasUnavailable && hasSurge) errs.push(invalidRendered(`${p}.maxSurge`, goIntOrString(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
  else if (!hasUnavailable && !hasSurge) errs.push(requiredValue(`${p}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  return errs;
}

/** Upstream's `ValidateDaemonSetSpec`, in its order. An absent selector matches no template labels. */
function validateDaemonSetSpec(obj: ApiObject): FieldError[] {
  const spec: ApiObject = obj.spec ?? {};
  const tpl: ApiObject = isObj(spec.template) ? spec.template : {};
  const errs = validateLabelSelector(spec.selector, 'spec.selector');
  if (selectorParses(spec.selector) && !selectorMatches(spec.selector, tpl.metadata?.labels)) errs.push(selectorMismatch('spec.template', tpl.metadata?.labels));
  if (isObj(spec.selector) && selectorIsEmpty(spec.selector)) errs.push(invalidRendered('spec.selector', renderSelector(spec.selector), 'empty selector is invalid for daemonset'));
  errs.push(...validatePodTemplateSpec(tpl, 'spec.template'));
  errs.push(...alwaysRestart(tpl, 'spec.template', 'DaemonSet'));
  errs.push(...validateNonNegative('spec.minReadySeconds', spec.minReadySeconds));
  errs.push(...validateUpdateStrategy(isObj(spec.updateStrategy) ? spec.updateStrategy : {}));
  errs.push(...validateNonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit));
  return errs;
}

function validateDaemonSetStatus(obj: ApiObject, old: ApiObject): FieldError[] {
  const st: ApiObject = obj.status ?? {};
  const errs: FieldError[] = [];
  for (const f of ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'observedGeneration',
    'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable', 'collisionCount']) {
    errs.push(...validateNonNegative(`status.${f}`, st[f]));
  }
  return [...errs, ...collisionCountDecrement(obj, old)];
}

/** apps/v1 DaemonSet: one pod per (selected) node, with a status subresource. */
export const daemonSets: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  plural: 'daemonsets',
  singular: 'daemonset',
  shortNames: ['ds'],
  categories: ['all'],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  subresources: ['status'],
  tracksGeneration: true,
  table: {
    columns: [
      { name: 'Desired', type: 'integer', description: 'The number of nodes that should run the pod.' },
      { name: 'Current', type: 'integer', description: 'The number of nodes running at least one of its pods.' },
      { name: 'Ready', type: 'integer', description: 'The number of nodes whose pod is ready.' },
      { name: 'Up-to-date', type: 'integer', description: 'The number of nodes running the newest pod template.' },
      { name: 'Available', type: 'integer', description: 'The number of nodes whose pod has been ready for minReadySeconds.' },
      { name: 'Node Selector', type: 'string', description: 'The node selector of the pod template.' },
      AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, SELECTOR_COLUMN,
    ],
    cells: (obj, now) => {
      const st: ApiObject = obj.status ?? {};
      return [
        st.desiredNumberScheduled ?? 0, st.currentNumberScheduled ?? 0, st.numberReady ?? 0, st.updatedNumberScheduled ?? 0, st.numberAvailable ?? 0,
        formatLabels(obj.spec?.template?.spec?.nodeSelector),
        ageOf(obj.metadata.creationTimestamp, now),
        ...templateContainerCells(obj.spec?.template),
        formatLabelSelector(obj.spec?.selector),
      ];
    },
  },
  strategy: {
    defaults: defaultDaemonSet,
    prepareForCreate(obj) {
      obj.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
      setTemplateGeneration(obj, Math.max(templateGeneration(obj), 1));
    },
    prepareForUpdate(obj, old) {
      const was = templateGeneration(old);
      setTemplateGeneration(obj, semanticEqual(obj.spec?.template, old.spec?.template) ? was : was + 1);
    },
    prepareForStatusUpdate(obj, old) {
      setTemplateGeneration(obj, templateGeneration(old));
    },
    validate: validateDaemonSetSpec,
    validateUpdate: (obj, old) => [...validateDaemonSetSpec(obj), ...immutableSelector(obj.spec?.selector, old.spec?.selector)],
    validateStatusUpdate: validateDaemonSetStatus,
  },
};
