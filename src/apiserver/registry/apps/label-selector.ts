/**
 * `metav1.LabelSelector` as the workload, batch, policy and networking APIs use it: matching pod
 * template labels, upstream's validation messages, and the semantic equality immutability checks
 * compare with (an absent map or list equals an empty one; an absent selector does not equal `{}`).
 */
import { isDeepStrictEqual } from 'node:util';
import type { FieldError } from '../../../machinery/status.js';
import { invalidValue, requiredValue, validateLabels, validateQualifiedName } from '../../../machinery/validation.js';
import { forbidden } from '../core/pod-spec.js';
import type { ApiObject } from '../resource.js';
import { isApiObject as isObj } from '../resource.js';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];


/** Errors of one label value (the key `k` given alongside is always valid). */
function labelValueErrors(field: string, value: unknown): FieldError[] {
  return validateLabels(field, { k: value });
}

/**
 * Whether a selector converts to a label selector at all (upstream's `LabelSelectorAsSelector`):
 * known operators, qualified keys, valid values, values exactly when the operator needs them.
 */
export function selectorParses(sel: unknown): boolean {
  if (!isObj(sel)) return true;
  for (const [k, v] of Object.entries(isObj(sel.matchLabels) ? sel.matchLabels : {})) {
    if (validateQualifiedName('k', k).length > 0 || labelValueErrors('v', v).length > 0) return false;
  }
  for (const e of Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []) {
    if (!isObj(e) || !OPERATORS.includes(e.operator)) return false;
    const values: unknown[] = Array.isArray(e.values) ? e.values : [];
    if (validateQualifiedName('k', String(e.key ?? '')).length > 0) return false;
    if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0) return false;
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length > 0) return false;
    if (values.some((v) => labelValueErrors('v', v).length > 0)) return false;
  }
  return true;
}

/** Whether a selector has no requirement at all (it then selects everything). */
export function selectorIsEmpty(sel: unknown): boolean {
  return isObj(sel) && Object.keys(isObj(sel.matchLabels) ? sel.matchLabels : {}).length === 0
    && (Array.isArray(sel.matchExpressions) ? sel.matchExpressions.length : 0) === 0;
}

/** Whether `labels` satisfy a selector; an absent selector selects nothing, an empty one everything. */
export function selectorMatches(sel: unknown, labels: unknown): boolean {
  if (!isObj(sel)) return false;
  const have: Record<string, unknown> = isObj(labels) ? labels : {};
  const has = (k: string) => Object.prototype.hasOwnProperty.call(have, k);
  for (const [k, v] of Object.entries(isObj(sel.matchLabels) ? sel.matchLabels : {})) {
    if (!has(k) || have[k] !== v) return false;
  }
  for (const e of Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []) {
    const values: unknown[] = Array.isArray(e?.values) ? e.values : [];
    switch (e?.operator) {
      case 'In': if (!has(e.key) || !values.includes(have[e.key])) return false; break;
      case 'NotIn': if (has(e.key) && values.includes(have[e.key])) return false; break;
      case 'Exists': if (!has(e.key)) return false; break;
      case 'DoesNotExist': if (has(e.key)) return false; break;
      default: return false;
    }
  }
  return true;
}

/** Upstream's `ValidateLabelSelector`: the match labels, then each requirement's operator, key and values. */
export function validateLabelSelector(sel: unknown, path: string): FieldError[] {
  if (sel === undefined || sel === null) return [];
  if (!isObj(sel)) return [invalidValue(path, JSON.stringify(sel), 'must be a label selector')];
  const errs = validateLabels(`${path}.matchLabels`, sel.matchLabels);
  const exprs = Array.isArray(sel.matchExpressions) ? sel.matchExpressions : [];
  exprs.forEach((e: ApiObject, i: number) => {
    const p = `${path}.matchExpressions[${i}]`;
    const values: unknown[] = Array.isArray(e?.values) ? e.values : [];
    const op = e?.operator;
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) errs.push(requiredValue(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(invalidValue(`${p}.operator`, String(op ?? ''), 'not a valid selector operator'));
    }
    errs.push(...validateQualifiedName(`${p}.key`, String(e?.key ?? '')));
    values.forEach((v, j) => errs.push(...labelValueErrors(`${p}.values[${j}]`, v)));
  });
  return errs;
}

/** Drops empty maps and lists, so that absent and empty compare equal (upstream's semantic equality). */
function normalized(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(normalized);
  if (isObj(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const n = normalized(x);
      if (n !== undefined && n !== null) out[k] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return v;
}

/**
 * Upstream's semantic equality of two API values: absent, null, empty maps and empty lists inside
 * them are alike; an absent value differs from a present (even empty) object at the top level.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if ((a === undefined || a === null) !== (b === undefined || b === null)) return false;
  return isDeepStrictEqual(normalized(a) ?? {}, normalized(b) ?? {});
}
