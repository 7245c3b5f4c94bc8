import { errorText, isInvalidError, isNotFoundError } from './errors.js';
import { adoptPatch, getControllerOf, newControllerRef, releasePatch, type ControllerKind } from './owner-refs.js';
import type { ApiObject } from './types.js';

/** How a controller claims objects (upstream's ControllerRefManager). */
export interface ClaimManager<T extends ApiObject> {
  /** The controller doing the claiming. */
  controller: ApiObject;
  /** The controller's kind, used in the owner reference it adds. */
  controllerKind: ControllerKind;
  /** Kind of the claimed objects, for error messages (`Pod`, `ReplicaSet`). */
  objectKind: string;
  /** Whether an object belongs to the controller by its selector. */
  match(obj: T): boolean;
  /** Sends a strategic-merge patch to one object. */
  patch(obj: T, body: unknown): Promise<void>;
  /**
   * Checks, with a fresh read, that the controller may adopt (it still exists with the same uid and
   * is not being deleted); throws otherwise. Called at most once per manager.
   */
  canAdopt(): Promise<void>;
}

/**
 * Builds the canAdopt check of {@link ClaimManager}: `getFresh` reads the controller uncached; the
 * result (or the error) is computed once and then reused, like upstream's `sync.Once`.
 */
export function recheckDeletion(controller: ApiObject, kind: string, getFresh: () => Promise<ApiObject>): () => Promise<void> {
  let once: Promise<void> | undefined;
  const check = async () => {
    const fresh = await getFresh();
    const m = controller.metadata;
    if (fresh.metadata.uid !== m.uid) {
      throw new Error(`original ${kind} ${m.namespace}/${m.name} is gone: got uid ${fresh.metadata.uid}, wanted ${m.uid}`);
    }
    if (fresh.metadata.deletionTimestamp) {
      throw new Error(`${m.namespace}/${m.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
    }
  };
  return () => (once ??= check());
}

async function adopt<T extends ApiObject>(m: ClaimManager<T>, obj: T): Promise<void> {
  const meta = obj.metadata;
  try {
    await m.canAdopt();
  } catch (e) {
    throw new Error(`can't adopt ${m.objectKind} ${meta.namespace}/${meta.name} (${meta.uid}): ${errorText(e)}`);
  }
  await m.patch(obj, adoptPatch(newControllerRef(m.controller, m.controllerKind), meta.uid ?? ''));
}

async function release<T extends ApiObject>(m: ClaimManager<T>, obj: T): Promise<void> {
  try {
    await m.patch(obj, releasePatch(m.controller.metadata.uid ?? '', obj.metadata.uid ?? ''));
  } catch (e) {
    // Gone, already released, or recreated under the same name: nothing left to release.
    if (isNotFoundError(e) || isInvalidError(e)) return;
    throw e;
  }
}

/** Claims one object; resolves true when the controller owns it afterwards. */
async function claimOne<T extends ApiObject>(m: ClaimManager<T>, obj: T): Promise<boolean> {
  const ref = getControllerOf(obj);
  const controllerDeleting = !!m.controller.metadata.deletionTimestamp;
  if (ref) {
    if (ref.uid !== m.controller.metadata.uid) return false;
    if (m.match(obj)) return true;
    if (controllerDeleting) return false;
    await release(m, obj);
    return false;
  }
  if (controllerDeleting || !m.match(obj) || obj.metadata.deletionTimestamp) return false;
  const ns = m.controller.metadata.namespace;
  if (ns && ns !== obj.metadata.namespace) return false;
  try {
    await adopt(m, obj);
  } catch (e) {
    if (isNotFoundError(e)) return false;
    throw e;
  }
  return true;
}

/**
 * Reconciles controller references over `objects` (upstream's ClaimObject for each): keeps owned
 * matching objects, releases owned ones that stopped matching, adopts matching orphans. Returns the
 * claimed objects; if any adoption or release failed, throws after trying every object (an
 * AggregateError when several failed).
 */
export async function claimObjects<T extends ApiObject>(m: ClaimManager<T>, objects: T[]): Promise<T[]> {
  const claimed: T[] = [];
  const errors: unknown[] = [];
  for (const obj of objects) {
    try {
      if (await claimOne(m, obj)) claimed.push(obj);
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `[${errors.map(errorText).join(', ')}]`);
  return claimed;
}
