/**
 * The namespace controller: every namespace being deleted is emptied and finalized by
 * {@link NamespaceDeleter}, a while after each change seen (so that every API server has seen
 * the deletion and no create slips in behind the deleter), and again when content remains.
 */
import type { InformerFactory } from '../../client/cache/informer-factory.js';
import type { SharedInformer } from '../../client/cache/informer.js';
import { NAMESPACES } from '../../client/kinds.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/object.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import { NamespaceDeleter, ResourcesRemainingError } from './deleter.js';

/** Upstream's wait before processing a namespace event (namespaceDeletionGracePeriod). */
export const DELETION_GRACE_PERIOD_MS = 5000;
/** Upstream's `--concurrent-namespace-syncs` default. */
export const WORKERS = 10;

/** What the controller is built from. */
export interface NamespaceControllerDeps {
  client: KubeClient;
  informers: InformerFactory;
  clock: () => number;
  /** Wait before processing a namespace after an event (default 5 s). */
  deletionGracePeriodMs?: number;
  /** Longest wait before looking again at a namespace whose content remains (default: upstream's estimate/2+1 s). */
  maxRecheckMs?: number;
  /** Replaces the deleter (tests). */
  deleter?: NamespaceDeleter;
}

/** Construct it (registers its informer handler), then {@link run}. Queue keys are namespace names. */
export class NamespaceController {
  readonly queue = new WorkQueue({ name: 'namespace' });
  private readonly namespaces: SharedInformer;
  private readonly deleter: NamespaceDeleter;
  private readonly gracePeriodMs: number;

  constructor(private readonly deps: NamespaceControllerDeps) {
    this.deleter = deps.deleter ?? new NamespaceDeleter(deps.client, deps.clock);
    this.gracePeriodMs = deps.deletionGracePeriodMs ?? DELETION_GRACE_PERIOD_MS;
    this.namespaces = deps.informers.informer(NAMESPACES);
    this.namespaces.addEventHandler({
      onAdd: (ns) => this.enqueue(ns),
      onUpdate: (_old, ns) => this.enqueue(ns),
    });
  }

  /** Waits for the namespace cache, then syncs with `workers` workers until `signal` aborts. */
  async run(signal: AbortSignal, workers = WORKERS): Promise<void> {
    await this.namespaces.waitForSync(signal);
    if (signal.aborted) return;
    await runWorkers(this.queue, workers, (key) => this.sync(key), signal);
  }

  /** A namespace being deleted is processed after the grace period; others are not queued. */
  private enqueue(ns: KubeObject): void {
    if (!ns.metadata.deletionTimestamp) return;
    this.queue.addAfter(ns.metadata.name as string, this.gracePeriodMs);
  }

  /**
   * One pass over a namespace the cache knows. Content that remains brings it back after half
   * its estimate plus a second; other failures throw (and are retried with backoff).
   */
  async sync(name: string): Promise<void> {
    if (!this.namespaces.store.getByName('', name)) return;
    try {
      await this.deleter.delete(name);
    } catch (err) {
      if (!(err instanceof ResourcesRemainingError)) throw err;
      const wait = (Math.floor(err.estimate / 2) + 1) * 1000;
      this.queue.addAfter(name, Math.min(wait, this.deps.maxRecheckMs ?? wait));
    }
  }
}
