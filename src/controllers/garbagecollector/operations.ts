/**
 * The garbage collector's API calls on graph nodes: read, delete, and the two patches it makes
 * (owner references, finalizers), each against the object's newest state.
 */
import { isConflict, isNotFound, StatusError } from '../../client/errors.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject, OwnerReference } from '../../client/object.js';
import { identityText, type ObjectIdentity } from './graph.js';
import { ownerReferencesOf } from './references.js';
import type { RestMapper } from './rest-mapper.js';

/** How often a patch is tried again after a conflict (upstream's retry.DefaultBackoff steps). */
const CONFLICT_RETRIES = 4;

/** A NotFound answer for an object whose uid no longer matches (it was deleted and recreated). */
function gone(id: ObjectIdentity): StatusError {
  return new StatusError(404, { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: `${identityText(id)} not found` });
}

/** API calls addressed by {@link ObjectIdentity}. */
export class ObjectOperations {
  constructor(private readonly client: KubeClient, private readonly mapper: RestMapper) {}

  private target(id: ObjectIdentity): { rc: ReturnType<KubeClient['resource']>; namespace: string | undefined } {
    const type = this.mapper.map(id.apiVersion, id.kind);
    return { rc: this.client.resource(type), namespace: type.namespaced ? id.namespace : undefined };
  }

  /** Whether `kind` in `apiVersion` is namespaced (throws RestMappingError when unknown). */
  namespaced(apiVersion: string, kind: string): boolean {
    return this.mapper.map(apiVersion, kind).namespaced;
  }

  /** The object now (404 → StatusError). */
  get(id: ObjectIdentity): Promise<KubeObject> {
    const { rc, namespace } = this.target(id);
    return rc.get(id.name, namespace);
  }

  /** Reads an owner by reference, in `namespace` when its kind is namespaced. */
  getOwner(ref: OwnerReference, namespace: string): Promise<KubeObject> {
    return this.get({ apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace });
  }

  /** Deletes the object with `policy`, on condition its uid is still the node's. */
  async delete(id: ObjectIdentity, policy: 'Orphan' | 'Background' | 'Foreground'): Promise<void> {
    const { rc, namespace } = this.target(id);
    await rc.delete(id.name, { namespace, propagationPolicy: policy, preconditions: { uid: id.uid } });
  }

  /**
   * Rewrites the object's owner references with `change` (null: nothing to do), as a merge patch
   * conditional on the resourceVersion just read; conflicts are retried. Throws NotFound when
   * the object (with this uid) is gone.
   */
  async patchOwnerReferences(id: ObjectIdentity, change: (refs: OwnerReference[]) => OwnerReference[] | null): Promise<void> {
    const { rc, namespace } = this.target(id);
    for (let attempt = 0; ; attempt++) {
      const latest = await rc.get(id.name, namespace);
      if (latest.metadata.uid !== id.uid) throw gone(id);
      const refs = change(ownerReferencesOf(latest));
      if (!refs) return;
      const patch = { metadata: { ownerReferences: refs.length > 0 ? refs : null, resourceVersion: latest.metadata.resourceVersion } };
      try {
        await rc.patch(id.name, patch, { namespace, type: 'merge' });
        return;
      } catch (err) {
        if (!isConflict(err) || attempt >= CONFLICT_RETRIES) throw err;
      }
    }
  }

  /** Takes `finalizer` off the object (nothing when it is gone or does not carry it). */
  async removeFinalizer(id: ObjectIdentity, finalizer: string): Promise<void> {
    const { rc, namespace } = this.target(id);
    for (let attempt = 0; ; attempt++) {
      let latest: KubeObject;
      try {
        latest = await rc.get(id.name, namespace);
      } catch (err) {
        if (isNotFound(err)) return;
        throw new Error(`cannot finalize owner ${identityText(id)}, because cannot get it: ${(err as Error).message}. The garbage collector will retry later.`);
      }
      const finalizers = latest.metadata.finalizers ?? [];
      if (latest.metadata.uid !== id.uid || !finalizers.includes(finalizer)) return;
      const rest = finalizers.filter((f) => f !== finalizer);
      const patch = { metadata: { resourceVersion: latest.metadata.resourceVersion, finalizers: rest.length > 0 ? rest : null } };
      try {
        await rc.patch(id.name, patch, { namespace, type: 'merge' });
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err)) throw err;
        if (attempt >= CONFLICT_RETRIES) {
          throw new Error(`updateMaxRetries(${CONFLICT_RETRIES}) has reached. The garbage collector will retry later for owner ${identityText(id)}.`);
        }
      }
    }
  }
}
