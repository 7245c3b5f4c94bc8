/**
 * Pieces the workload controllers (deployments, replica sets, stateful sets, daemon sets, jobs)
 * share: their common Table columns, selector checks against the pod template, and selector
 * immutability, with upstream's field paths and messages.
 */
import type { FieldError } from '../../../machinery/status.js';
import { requiredValue } from '../../../machinery/validation.js';
import { forbidden, notSupported, validatePodTemplateSpec } from '../core/pod-spec.js';
import type { ApiObject, TableColumn } from '../resource.js';
import { goLabelSelector, goStringMap, invalidRendered } from '../go-format.js';
import { selectorIsEmpty, selectorMatches, selectorParses, semanticEqual, validateLabelSelector } from './label-selector.js';
import { isApiObject as isObj } from '../resource.js';

/** The Age column every Table ends with (or nearly). */
export const AGE_COLUMN: TableColumn = { name: 'Age', type: 'string', description: 'Time since the object was created (metadata.creationTimestamp).' };
/** The wide Containers column of objects holding a pod template. */
export const CONTAINERS_COLUMN: TableColumn = { name: 'Containers', type: 'string', priority: 1, description: 'The names of the containers of the pod template, comma separated.' };
/** The wide Images column of objects holding a pod template. */
export const IMAGES_COLUMN: TableColumn = { name: 'Images', type: 'string', priority: 1, description: 'The images of the containers of the pod template, comma separated.' };
/** The wide Selector column of controllers. */
export const SELECTOR_COLUMN: TableColumn = { name: 'Selector', type: 'string', priority: 1, description: 'The label selector of the pods the controller manages.' };


/** A selector as a field error shows it: the struct, or `"null"` when absent. */
export function renderSelector(sel: unknown): string {
  return isObj(sel) ? goLabelSelector(sel) : '"null"';
}

/** `<path>.metadata.labels: Invalid value: map[…]: `selector` does not match template `labels``. */
export function selectorMismatch(templatePath: string, labels: unknown): FieldError {
  return invalidRendered(`${templatePath}.metadata.labels`, goStringMap(labels), '`selector` does not match template `labels`');
}

/**
 * A required, non-empty selector (deployments, replica sets): `Required value` when absent, its
 * own errors, and `empty selector is invalid for <what>` when it has no requirement.
 */
export function validateRequiredSelector(sel: unknown, path: string, what: string): FieldError[] {
  if (sel === undefined || sel === null) return [requiredValue(path)];
  const errs = validateLabelSelector(sel, path);
  if (selectorIsEmpty(sel)) errs.push(invalidRendered(path, renderSelector(sel), `empty selector is invalid for ${what}`));
  return errs;
}

/**
 * The pod template of a replica set or deployment (upstream's `ValidatePodTemplateSpecForReplicaSet`):
 * labels the selector matches, a valid template, restart policy Always and no active deadline. A
 * selector that does not parse is reported instead (`invalid label selector`).
 */
export function validateReplicaSetTemplate(tpl: unknown, sel: unknown, templatePath: string, selectorPath: string): FieldError[] {
  if (!selectorParses(sel)) return [invalidRendered(selectorPath, renderSelector(sel), 'invalid label selector')];
  if (!isObj(tpl)) return [requiredValue(templatePath)];
  const errs: FieldError[] = [];
  // An absent selector selects nothing, so no template matches it (upstream reports both errors).
  if (!selectorIsEmpty(sel) && !selectorMatches(sel, tpl.metadata?.labels)) errs.push(selectorMismatch(templatePath, tpl.metadata?.labels));
  errs.push(...validatePodTemplateSpec(tpl, templatePath));
  errs.push(...alwaysRestart(tpl, templatePath, 'ReplicaSet'));
  return errs;
}

/** Restart policy Always and no active deadline, for the controllers whose pods run forever. */
export function alwaysRestart(tpl: unknown, templatePath: string, kind: string): FieldError[] {
  const spec = isObj(tpl) && isObj(tpl.spec) ? tpl.spec : {};
  const errs: FieldError[] = [];
  if (spec.restartPolicy !== 'Always') errs.push(notSupported(`${templatePath}.spec.restartPolicy`, spec.restartPolicy ?? '', ['Always']));
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    errs.push(forbidden(`${templatePath}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${kind} is not Supported`));
  }
  return errs;
}

/** `spec.selector: Invalid value: v1.LabelSelector{…}: field is immutable` when the selector changed. */
export function immutableSelector(sel: unknown, oldSel: unknown, path = 'spec.selector'): FieldError[] {
  return semanticEqual(sel, oldSel) ? [] : [invalidRendered(path, renderSelector(sel), 'field is immutable')];
}

/** The Ready cell `ready/desired` of deployments and stateful sets. */
export function readyOfDesired(obj: ApiObject): string {
  return `${obj.status?.readyReplicas ?? 0}/${obj.spec?.replicas ?? 0}`;
}
