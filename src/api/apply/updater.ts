/**
 * The ownership bookkeeping of structured-merge-diff's `Updater`, on one object type:
 *
 * - an Update by manager M: every field that changed becomes M's and is taken from everyone else;
 *   removed fields leave every manager;
 * - an Apply by M: the configuration is merged into the live object, M's set becomes exactly the
 *   configuration's fields, fields M applied before but no longer does are removed unless another
 *   manager owns them too, and changing a value another manager owns is a conflict (unless forced,
 *   which moves the field to M).
 *
 * Reset fields (status on the main resource, spec on /status) are left out of every change.
 * Objects of all apiVersions are compared with the same schema (tskube converts nothing here).
 */
import { ConflictsError, conflictsFromManagers } from './conflicts.js';
import { FieldSet } from './field-set.js';
import type { Json } from './go-format.js';
import type { VersionedSet } from './managed-fields.js';
import { valuesEqual } from './path-element.js';
import type { Atom, TypeSchema } from './schema-atoms.js';
import { compareValues, excludeFields, type Comparison } from './typed-compare.js';
import { ensureNamedFieldsAreMembers, toFieldSet } from './typed-fieldset.js';
import { mergeValues } from './typed-merge.js';
import { removeItems } from './typed-remove.js';

/** The type being written and the fields its strategy resets. */
export interface TypeContext {
  schema: TypeSchema;
  root: Atom;
  /** Paths (and everything below them) that no operation changes or owns. */
  reset?: FieldSet;
}

/** Manager sets by identifier; modified in place by the functions below. */
export type ManagerSets = Map<string, VersionedSet>;

/**
 * Takes the changes from `oldObj` to `newObj` away from every manager but `workflow`: changed
 * fields (when `force`, else they are conflicts and ConflictsError is thrown) and removed fields.
 * Managers left with nothing are dropped. Answers the comparison.
 */
export function takeChanges(ctx: TypeContext, oldObj: Json, newObj: Json, managers: ManagerSets, workflow: string, force: boolean): Comparison {
  const cmp = excludeFields(compareValues(ctx.schema, ctx.root, oldObj, newObj), ctx.reset);
  const changed = cmp.modified.union(cmp.added);
  const conflicts: ManagerSets = new Map();
  for (const [id, vs] of managers) {
    if (id === workflow) continue;
    const c = vs.set.intersection(changed);
    if (!c.empty()) conflicts.set(id, { set: c, apiVersion: vs.apiVersion, applied: false });
  }
  if (!force && conflicts.size > 0) throw new ConflictsError(conflictsFromManagers(conflicts));
  const removed = !cmp.removed.empty();
  for (const [id, vs] of managers) {
    if (id === workflow) continue;
    let set = vs.set;
    const c = conflicts.get(id);
    if (c) set = set.difference(c.set);
    if (removed) set = set.difference(cmp.removed);
    if (set !== vs.set) managers.set(id, { ...vs, set });
  }
  for (const [id, vs] of managers) if (vs.set.empty()) managers.delete(id);
  return cmp;
}

/** Records an Update of `live` into `newObj` by `manager` (an identifier) at `apiVersion`. */
export function recordUpdate(ctx: TypeContext, live: Json, newObj: Json, apiVersion: string, managers: ManagerSets, manager: string): void {
  const cmp = takeChanges(ctx, live, newObj, managers, manager, true);
  const prev = managers.get(manager)?.set ?? new FieldSet();
  let set = prev.difference(cmp.removed).union(cmp.modified).union(cmp.added);
  if (ctx.reset) set = set.recursiveDifference(ctx.reset);
  if (set.empty()) managers.delete(manager);
  else managers.set(manager, { set, apiVersion, applied: false });
}

/**
 * Applies `config` to `live` for `manager` (an identifier); updates `managers`. Answers the new
 * object, or null when the object does not change. Throws ConflictsError unless `force`.
 */
export function recordApply(ctx: TypeContext, live: Json, config: Json, apiVersion: string, managers: ManagerSets, manager: string, force: boolean): Json | null {
  let merged: Json = mergeValues(ctx.schema, ctx.root, live, config) ?? {};
  const last = managers.get(manager);
  let set = toFieldSet(ctx.schema, ctx.root, config);
  if (ctx.reset) set = set.recursiveDifference(ctx.reset);
  managers.set(manager, { set, apiVersion, applied: true });
  merged = prune(ctx, merged, managers, last);
  takeChanges(ctx, live, merged, managers, manager, force);
  return valuesEqual(live, merged) ? null : merged;
}

/** Removes from `merged` the fields the applier owned before (`last`) that nobody owns now. */
function prune(ctx: TypeContext, merged: Json, managers: ManagerSets, last: VersionedSet | undefined): Json {
  if (!last || last.set.empty()) return merged;
  const { schema, root } = ctx;
  const enfam = (s: FieldSet) => ensureNamedFieldsAreMembers(schema, s, root);
  let pruned = removeItems(schema, root, merged, enfam(last.set));
  // Add back what some manager owns, one apiVersion at a time (the applier's last version first).
  const byVersion = new Map<string, FieldSet>();
  for (const vs of managers.values()) byVersion.set(vs.apiVersion, (byVersion.get(vs.apiVersion) ?? new FieldSet()).union(vs.set));
  const versions = [...byVersion.keys()].sort((a, b) => Number(b === last.apiVersion) - Number(a === last.apiVersion));
  const mergedSet = enfam(toFieldSet(schema, root, merged));
  for (const version of versions) {
    const owned = byVersion.get(version)!;
    const prunedSet = enfam(toFieldSet(schema, root, pruned));
    pruned = removeItems(schema, root, merged, mergedSet.difference(prunedSet.union(enfam(owned))));
  }
  // Remove only what was lost among the applier's former fields.
  const prunedSet = enfam(toFieldSet(schema, root, pruned));
  return removeItems(schema, root, merged, mergedSet.difference(prunedSet).intersection(enfam(last.set)));
}
