import { ApiError, notFound } from '../../machinery/status.js';
import type { AdmissionAttributes, AdmissionPlugin } from './chain.js';
import type { ApiObject } from '../registry/resource.js';

/** Namespaces that can never be deleted. */
const IMMORTAL = ['default', 'kube-system', 'kube-public'];

/**
 * NamespaceLifecycle admission: nothing namespaced may be created in a namespace that does not
 * exist (404 `namespaces "x" not found`) or is being deleted (403), and the system namespaces
 * cannot be deleted. It also counts the creates it has admitted that are still being written, so
 * the deletion of a namespace can wait for them before it empties the namespace.
 */
export class NamespaceLifecycle implements AdmissionPlugin {
  readonly name = 'NamespaceLifecycle';
  private readonly inflight = new Map<string, number>();
  private readonly idleWaiters = new Map<string, Array<() => void>>();

  /** `getNamespace` reads a namespace (null when it does not exist). */
  constructor(private readonly getNamespace: (name: string) => Promise<ApiObject | null>) {}

  /** The admission check; for an admitted create it returns the callback that marks it written. */
  async validate({ op, def, obj, subresource }: AdmissionAttributes): Promise<void | (() => void)> {
    if (def.kind === 'Namespace') {
      if (op === 'delete' && IMMORTAL.includes(obj.metadata.name)) {
        throw new ApiError(403, 'Forbidden', `namespaces "${obj.metadata.name}" is forbidden: this namespace may not be deleted`, { name: obj.metadata.name, kind: 'namespaces' });
      }
      return;
    }
    if (!def.namespaced || op !== 'create' || subresource) return;
    const ns = obj.metadata.namespace as string;
    this.enter(ns);
    let admitted = false;
    try {
      const nsObj = await this.getNamespace(ns);
      if (!nsObj) throw notFound({ group: '', resource: 'namespaces' }, ns);
      if (nsObj.metadata.deletionTimestamp || nsObj.status?.phase === 'Terminating') {
        throw new ApiError(403, 'Forbidden',
          `${def.plural} "${obj.metadata.name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
          { name: obj.metadata.name, kind: def.plural, causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }] });
      }
      admitted = true;
      return () => this.leave(ns);
    } finally {
      if (!admitted) this.leave(ns);
    }
  }

  /** Resolves once no create into `ns` is between admission and the end of its write. */
  whenIdle(ns: string): Promise<void> {
    if (!this.inflight.get(ns)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.set(ns, [...(this.idleWaiters.get(ns) ?? []), resolve]));
  }

  private enter(ns: string): void {
    this.inflight.set(ns, (this.inflight.get(ns) ?? 0) + 1);
  }

  private leave(ns: string): void {
    const n = (this.inflight.get(ns) ?? 1) - 1;
    if (n > 0) {
      this.inflight.set(ns, n);
      return;
    }
    this.inflight.delete(ns);
    const waiters = this.idleWaiters.get(ns) ?? [];
    this.idleWaiters.delete(ns);
    for (const w of waiters) w();
  }
}
