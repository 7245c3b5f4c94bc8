import type { ApiObject, OwnerReference } from './types.js';

/** The group/version and kind of a controller, for building owner references. */
export interface ControllerKind {
  apiVersion: string;
  kind: string;
}

/** The owner reference with `controller: true`, if any (metav1.GetControllerOf). */
export function getControllerOf(obj: ApiObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** An owner reference naming `owner` as controller that blocks the owner's foreground deletion. */
export function newControllerRef(owner: ApiObject, kind: ControllerKind): OwnerReference {
  return {
    apiVersion: kind.apiVersion, kind: kind.kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '',
    controller: true, blockOwnerDeletion: true,
  };
}

/**
 * The strategic-merge patch that adds `ref` to an object's owner references; the object's uid
 * rides along so a recreated namesake is not adopted by mistake.
 */
export function adoptPatch(ref: OwnerReference, objUid: string): unknown {
  return { metadata: { ownerReferences: [ref], uid: objUid } };
}

/** The strategic-merge patch that drops the owner reference to `ownerUid` from an object. */
export function releasePatch(ownerUid: string, objUid: string): unknown {
  return { metadata: { ownerReferences: [{ $patch: 'delete', uid: ownerUid }], uid: objUid } };
}
