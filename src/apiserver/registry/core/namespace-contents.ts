import type { GenericRegistry } from '../generic-registry.js';
import type { ApiObject } from '../resource.js';
import { KUBERNETES_FINALIZER } from './namespaces.js';

/**
 * Empties a namespace that is being deleted: every object of every namespaced resource in it is
 * deleted, then the `kubernetes` finalizer is taken off. Answers true when the namespace may be
 * removed, and false when objects held by finalizers, or other spec finalizers, remain (the
 * namespace stays Terminating).
 */
export function namespaceContentRemover(registries: () => Iterable<GenericRegistry>): (ns: ApiObject) => Promise<boolean> {
  return async (ns) => {
    const name = ns.metadata.name as string;
    let remaining = 0;
    for (const reg of registries()) {
      if (!reg.def.namespaced) continue;
      const { items } = await reg.list(name, {});
      for (const item of items) {
        try {
          const r = await reg.delete(name, item.object.metadata.name);
          if (!r.deleted) remaining++;
        } catch (err) {
          if ((err as { code?: number }).code !== 404) throw err;
        }
      }
    }
    if (remaining > 0) return false;
    // Empty: the `kubernetes` finalizer is done; other spec finalizers still hold the namespace.
    const left = ((ns.spec?.finalizers ?? []) as string[]).filter((f) => f !== KUBERNETES_FINALIZER);
    ns.spec = { ...(ns.spec ?? {}), finalizers: left };
    return left.length === 0;
  };
}
