/**
 * The bridge between kubectl's client-side apply and server-side apply, for the manager named
 * `kubectl` only (what `kubectl apply --server-side` uses):
 *
 * - conflicts on fields whose live value still equals the object's
 *   `kubectl.kubernetes.io/last-applied-configuration` are not conflicts (the user applied them
 *   before, client-side);
 * - when the live object carries that annotation, a server-side apply rewrites it with the newly
 *   applied configuration, so that a later client-side apply computes the right changes.
 */
import { FieldSet } from './field-set.js';
import { goJson, isObject, type Json } from './go-format.js';
import type { Path } from './path-element.js';
import type { Conflict } from './conflicts.js';
import type { TypeContext } from './updater.js';
import { compareValues } from './typed-compare.js';
import { toFieldSet } from './typed-fieldset.js';
import { validateValue } from './typed-validate.js';

/** The annotation kubectl's client-side apply keeps the applied configuration in. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** The manager whose conflicts the last-applied annotation can excuse. */
export const LAST_APPLIED_MANAGER = 'kubectl';

function annotationOf(obj: Json | null): string | undefined {
  if (!isObject(obj) || !isObject(obj.metadata) || !isObject(obj.metadata.annotations)) return undefined;
  const v = obj.metadata.annotations[LAST_APPLIED_ANNOTATION];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The fields whose conflicts are excused: those of the last-applied configuration (when it is of
 * `apiVersion` and valid) whose live value is unchanged. Undefined when there is no usable annotation.
 */
export function allowedConflicts(ctx: TypeContext, live: Json | null, apiVersion: string): FieldSet | undefined {
  const text = annotationOf(live);
  if (text === undefined || live === null) return undefined;
  let last: Json;
  try {
    last = JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
  if (!isObject(last) || last.apiVersion !== apiVersion) return undefined;
  if (validateValue(ctx.schema, ctx.root, last).length > 0) return undefined;
  const set = toFieldSet(ctx.schema, ctx.root, last);
  const cmp = compareValues(ctx.schema, ctx.root, last, live);
  return set.difference(cmp.modified).difference(cmp.added).difference(cmp.removed);
}

/** The conflicts not excused by `allowed`. */
export function unexcused(conflicts: Conflict[], allowed: FieldSet): Conflict[] {
  return conflicts.filter((c) => !allowed.has(c.path as Path));
}

/** Whether the object carries a non-empty last-applied annotation. */
export function hasLastApplied(obj: Json | null): boolean {
  return annotationOf(obj) !== undefined;
}

/**
 * The annotation value for an applied configuration: its JSON (keys sorted, as Go encodes a map)
 * without the annotation itself, followed by a newline.
 */
export function lastAppliedValue(config: { [key: string]: Json }): string {
  const copy = structuredClone(config);
  if (isObject(copy.metadata) && isObject(copy.metadata.annotations)) delete copy.metadata.annotations[LAST_APPLIED_ANNOTATION];
  return `${goJson(copy)}\n`;
}
