import type { GenericRegistry } from '../generic-registry.js';
import type { ApiObject } from '../resource.js';

/**
 * Empties a namespace that is being deleted: every object of every namespaced resource in it is
 * deleted. Answers true when the namespace is empty (it may then be removed) and false when
 * objects held by finalizers remain (the namespace stays Terminating).
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
    return remaining === 0;
  };
}
