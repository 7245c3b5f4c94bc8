/** Owner-reference and finalizer helpers of the garbage collector. */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, OwnerReference } from '../../client/object.js';

/** The finalizer that asks for dependents to be orphaned before the owner goes. */
export const ORPHAN_FINALIZER = 'orphan';
/** The finalizer that asks for blocking dependents to be deleted before the owner goes. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

/** How a reference changed between two versions of an object. */
export interface ReferenceChange {
  oldRef: OwnerReference;
  newRef: OwnerReference;
}

/** The references added, removed and changed (same uid, other fields) from `old` to `cur`. */
export function referencesDiff(old: OwnerReference[], cur: OwnerReference[]): { added: OwnerReference[]; removed: OwnerReference[]; changed: ReferenceChange[] } {
  const byUid = new Map(old.map((r) => [r.uid, r]));
  const added: OwnerReference[] = [];
  const changed: ReferenceChange[] = [];
  for (const r of cur) {
    const before = byUid.get(r.uid);
    if (!before) {
      added.push(r);
      continue;
    }
    if (!isDeepStrictEqual(before, r)) changed.push({ oldRef: before, newRef: r });
    byUid.delete(r.uid);
  }
  return { added, removed: [...byUid.values()], changed };
}

/** Whether the object has a deletionTimestamp. */
export function beingDeleted(obj: KubeObject | undefined): boolean {
  return !!obj?.metadata.deletionTimestamp;
}

/** Whether the object's metadata.finalizers holds `finalizer`. */
export function hasFinalizer(obj: KubeObject | undefined, finalizer: string): boolean {
  return (obj?.metadata.finalizers ?? []).includes(finalizer);
}

/** Whether `cur` is being deleted with `finalizer` while `old` (if any) was not. */
export function deletionStartsWithFinalizer(old: KubeObject | undefined, cur: KubeObject, finalizer: string): boolean {
  if (!beingDeleted(cur) || !hasFinalizer(cur, finalizer)) return false;
  return !old || !beingDeleted(old) || !hasFinalizer(old, finalizer);
}

/** The object's owner references (an empty list when it has none). */
export function ownerReferencesOf(obj: KubeObject): OwnerReference[] {
  return Array.isArray(obj.metadata.ownerReferences) ? obj.metadata.ownerReferences : [];
}
