/**
 * The checks upstream's patch handler makes on the object an apply produced, before admission and
 * storage: no uid on an object being created, the namespace of the request, and the name of the URL.
 */
import type { ApiObject } from '../../apiserver/registry/resource.js';
import { badRequest, conflict, type ApiError, type QualifiedResource } from '../../machinery/status.js';

/** What the request addressed. */
export interface AppliedTarget {
  resource: QualifiedResource;
  /** The name in the URL. */
  name: string;
  /** The namespace in the URL; empty or absent for cluster-scoped resources. */
  namespace?: string;
  /** True when the apply creates the object (nothing was stored). */
  creating: boolean;
}

/**
 * Checks (and completes) the result of an apply as upstream does: 409 `uid mismatch` when a created
 * object names a uid; the object's namespace is set from the request when empty, cleared for
 * cluster-scoped resources, and a different one is a 400; then the object's name must be the URL's
 * (400 `the name of the object (a) does not match the name on the URL (b)`, or
 * `... was undeterminable: name must be provided` when it has none). Answers the error, or
 * undefined when the object may proceed.
 */
export function checkAppliedObject(obj: ApiObject, target: AppliedTarget): ApiError | undefined {
  const meta: ApiObject = obj.metadata ?? (obj.metadata = {});
  if (target.creating && typeof meta.uid === 'string' && meta.uid !== '') {
    return conflict(target.resource, target.name, `uid mismatch: the provided object specified uid ${meta.uid}, and no existing object was found`);
  }
  const requested = target.namespace ?? '';
  const own = typeof meta.namespace === 'string' ? meta.namespace : '';
  if (own !== requested) {
    if (own === '') meta.namespace = requested;
    else if (requested === '') delete meta.namespace;
    else return badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const name = typeof meta.name === 'string' ? meta.name : '';
  if (name === '') return badRequest(`the name of the object (${target.name} based on URL) was undeterminable: name must be provided`);
  if (name !== target.name) return badRequest(`the name of the object (${name}) does not match the name on the URL (${target.name})`);
  return undefined;
}
