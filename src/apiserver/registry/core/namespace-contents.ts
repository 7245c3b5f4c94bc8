import type { GenericRegistry } from '../generic-registry.js';
import type { ApiObject } from '../resource.js';
import { KUBERNETES_FINALIZER } from './namespaces.js';

/** What emptying a namespace needs besides the registries. */
export interface NamespaceContentsDeps {
  /** Every registry (the namespaced ones are emptied). */
  registries: () => Iterable<GenericRegistry>;
  /** Resolves once the namespace admission sees `revision` of the namespaces (its Terminating mark). */
  seen(revision: number): Promise<unknown>;
  /** Resolves once no create admitted into the namespace is still being written. */
  whenIdle(ns: string): Promise<void>;
}

/** How many passes over the namespace's contents before giving up for this request. */
const MAX_PASSES = 10;

/**
 * Empties a namespace that is being deleted (already marked Terminating): once admission sees the
 * mark and every create admitted before it has finished, every object of every namespaced resource
 * in it is deleted, pass after pass until a pass finds nothing, and then the `kubernetes`
 * finalizer is taken off. Answers true when the namespace may be removed, and false when objects
 * held by finalizers, or other spec finalizers, remain (the namespace stays Terminating).
 */
export function namespaceContentRemover(deps: NamespaceContentsDeps): (ns: ApiObject) => Promise<boolean> {
  return async (ns) => {
    const name = ns.metadata.name as string;
    await deps.seen(Number(ns.metadata.resourceVersion));
    await deps.whenIdle(name);
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      let found = 0;
      let held = 0;
      for (const reg of deps.registries()) {
        if (!reg.def.namespaced) continue;
        // Read from storage, not from the cache: it sees every committed create.
        const { items } = await reg.listCommitted(name);
        for (const item of items) {
          found++;
          try {
            if (!(await reg.delete(name, item.object.metadata.name)).deleted) held++;
          } catch (err) {
            if ((err as { code?: number }).code !== 404) throw err;
          }
        }
      }
      if (held > 0) return false;
      if (found === 0) {
        // Empty: the `kubernetes` finalizer is done; other spec finalizers still hold the namespace.
        const left = ((ns.spec?.finalizers ?? []) as string[]).filter((f) => f !== KUBERNETES_FINALIZER);
        ns.spec = { ...(ns.spec ?? {}), finalizers: left };
        return left.length === 0;
      }
    }
    return false;
  };
}
