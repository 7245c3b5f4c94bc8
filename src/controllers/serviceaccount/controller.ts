/**
 * The ServiceAccounts controller: every active namespace has the service accounts it is told to
 * ensure (`default`); one deleted is created again.
 */
import type { InformerFactory } from '../../client/cache/informer-factory.js';
import type { SharedInformer } from '../../client/cache/informer.js';
import { isAlreadyExists, StatusError } from '../../client/errors.js';
import { NAMESPACES, SERVICEACCOUNTS } from '../../client/kinds.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/object.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';

/** The service accounts upstream ensures by default. */
export const DEFAULT_SERVICE_ACCOUNTS = ['default'];

/** Whether the API server refused a create because the namespace is being terminated. */
export function isNamespaceTerminating(err: unknown): boolean {
  const causes = err instanceof StatusError ? err.status.details?.causes ?? [] : [];
  return causes.some((c) => c.reason === 'NamespaceTerminating');
}

/** What the controller is built from. */
export interface ServiceAccountsControllerDeps {
  client: KubeClient;
  informers: InformerFactory;
  /** Names of the service accounts every active namespace gets. */
  serviceAccounts?: string[];
}

/** Construct it (registers its informer handlers), then {@link run}. Queue keys are namespace names. */
export class ServiceAccountsController {
  readonly queue = new WorkQueue({ name: 'serviceaccount' });
  private readonly namespaces: SharedInformer;
  private readonly accounts: SharedInformer;
  private readonly ensure: string[];

  constructor(private readonly deps: ServiceAccountsControllerDeps) {
    this.ensure = deps.serviceAccounts ?? DEFAULT_SERVICE_ACCOUNTS;
    this.accounts = deps.informers.informer(SERVICEACCOUNTS);
    this.namespaces = deps.informers.informer(NAMESPACES);
    this.accounts.addEventHandler({ onDelete: (sa) => this.queue.add(sa.metadata.namespace ?? '') });
    this.namespaces.addEventHandler({
      onAdd: (ns) => this.queue.add(ns.metadata.name as string),
      onUpdate: (_old, ns) => this.queue.add(ns.metadata.name as string),
    });
  }

  /** Waits for both caches, then syncs with `workers` workers until `signal` aborts. */
  async run(signal: AbortSignal, workers = 1): Promise<void> {
    await Promise.all([this.accounts.waitForSync(signal), this.namespaces.waitForSync(signal)]);
    if (signal.aborted) return;
    await runWorkers(this.queue, workers, (key) => this.sync(key), signal);
  }

  /**
   * Creates the missing service accounts of one namespace, when it exists and is Active. A
   * create that races with another or with the namespace's termination is not a failure.
   */
  async sync(namespace: string): Promise<void> {
    const ns = this.namespaces.store.getByName('', namespace);
    if (!ns || ns.status?.phase !== 'Active') return;
    const failures: string[] = [];
    for (const name of this.ensure) {
      if (this.accounts.store.getByName(namespace, name)) continue;
      const sa: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } };
      try {
        await this.deps.client.serviceAccounts.create(sa, { namespace });
      } catch (err) {
        if (isAlreadyExists(err) || isNamespaceTerminating(err)) continue;
        failures.push((err as Error).message);
      }
    }
    if (failures.length > 0) throw new Error(failures.length === 1 ? failures[0] : `[${failures.join(', ')}]`);
  }
}
