/**
 * The resource quota controller (pkg/controller/resourcequota): keeps every ResourceQuota's
 * status — `hard` mirroring the spec, `used` the namespace's current usage — recalculating when
 * watched objects change and all quotas at every resync period.
 */
import { RESOURCEQUOTAS, WorkQueue, isConflict, runWorkers, type KubeObject, type SharedInformer } from '../../client/index.js';
import type { ControllerContext } from '../context.js';
import { splitKey } from '../util/types.js';
import { waitForCaches } from '../endpointslice/util/sync.js';
import { QuotaRegistry } from './monitor.js';
import { listsEqual, parseResourceList } from './resource-list.js';
import { quotaStatus } from './usage.js';

/** Default full recalculation period (`--resource-quota-sync-period`). */
export const DEFAULT_SYNC_PERIOD_MS = 5 * 60 * 1000;
/** Workers per queue (`--concurrent-resource-quota-syncs`). */
const WORKERS = 5;

const keyOf = (q: KubeObject) => `${q.metadata.namespace}/${q.metadata.name}`;

/** The status write met a newer quota than the cache held; the sync is retried. */
export class StatusWriteConflict extends Error {}

/** One running resource quota controller. */
export class ResourceQuotaController {
  private readonly quotas: SharedInformer<KubeObject>;
  private readonly registry: QuotaRegistry;
  /** Quotas to recalculate, and (first) quotas whose status lacks something the spec asks for. */
  readonly queue = new WorkQueue({ name: 'resourcequota_primary' });
  readonly missingUsageQueue = new WorkQueue({ name: 'resourcequota_priority' });

  /** Registers the informers and handlers (synchronously). */
  constructor(private readonly ctx: ControllerContext) {
    this.quotas = ctx.informers.informer<KubeObject>(RESOURCEQUOTAS);
    this.registry = new QuotaRegistry(ctx, (gr, ns) => this.replenish(gr, ns));
    this.quotas.addEventHandler({
      onAdd: (q) => this.addQuota(q),
      // Status updates are this controller's own; only a changed spec.hard matters.
      onUpdate: (o, n) => { if (!listsEqual(parseResourceList(o.spec?.hard), parseResourceList(n.spec?.hard))) this.addQuota(n); },
      onDelete: (q) => this.queue.add(keyOf(q)),
    });
  }

  /** Queues a quota, first in line when its status lacks hard limits or usage it can compute. */
  private addQuota(q: KubeObject): void {
    const names = Object.keys(q.spec?.hard ?? {});
    this.registry.ensureCounters(names);
    const hard = parseResourceList(q.spec?.hard);
    if (!listsEqual(hard, parseResourceList(q.status?.hard))) {
      this.missingUsageQueue.add(keyOf(q));
      return;
    }
    const used = q.status?.used ?? {};
    for (const name of Object.keys(q.status?.hard ?? {})) {
      if (name in used) continue;
      if (this.registry.list().some((ev) => ev.matchingResources([name]).length > 0)) {
        this.missingUsageQueue.add(keyOf(q));
        return;
      }
    }
    this.queue.add(keyOf(q));
  }

  /** Queues the quotas of `namespace` that limit something `groupResource` uses. */
  private replenish(groupResource: string, namespace: string): void {
    const ev = this.registry.get(groupResource);
    if (!ev) return;
    for (const q of this.quotas.store.byIndex('namespace', namespace)) {
      if (ev.matchingResources(Object.keys(q.status?.hard ?? {})).length > 0) this.queue.add(keyOf(q));
    }
  }

  /** Waits for the caches, then works (and recalculates everything every period) until the signal aborts. */
  async run(): Promise<void> {
    const { signal } = this.ctx;
    if (!await waitForCaches(signal, [this.quotas, ...this.registry.syncables()])) return;
    const period = this.ctx.options.resourceQuotaSyncPeriodMs ?? DEFAULT_SYNC_PERIOD_MS;
    const timer = setInterval(() => { for (const q of this.quotas.store.list()) this.queue.add(keyOf(q)); }, period);
    timer.unref();
    signal.addEventListener('abort', () => clearInterval(timer), { once: true });
    const sync = (key: string) => this.syncQuota(key);
    const onError = (key: string, err: unknown) => {
      // A conflict only means the cache lagged behind this controller's own status write; it is retried.
      if (!(err instanceof StatusWriteConflict)) process.emitWarning(`resourcequota-controller: syncing "${key}" failed: ${(err as Error)?.message ?? err}`, 'ControllerWarning');
    };
    await Promise.all([runWorkers(this.queue, WORKERS, sync, signal, onError), runWorkers(this.missingUsageQueue, WORKERS, sync, signal, onError)]);
  }

  /** Recalculates the quota `key` and writes its status when it changed. */
  async syncQuota(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const quota = this.quotas.store.getByName(namespace, name);
    if (!quota) return;
    const names = Object.keys(quota.spec?.hard ?? {});
    this.registry.ensureCounters(names);
    // Counters added on the fly list once before they count (upstream starts them all up front).
    if (!await waitForCaches(this.ctx.signal, this.registry.syncablesFor(names))) return;
    const update = quotaStatus(quota, this.registry.list(), this.registry.lister, this.ctx.clock());
    const errors = [...update.errors];
    if (update.dirty) {
      const next = structuredClone(quota);
      next.status = update.status;
      try {
        await this.ctx.client.resourceQuotas.updateStatus(next, { namespace });
      } catch (err) {
        if (isConflict(err) && errors.length === 0) throw new StatusWriteConflict((err as Error).message);
        errors.push((err as Error)?.message ?? String(err));
      }
    }
    if (errors.length > 0) throw new Error(errors.length === 1 ? errors[0] : `[${[...new Set(errors)].join(', ')}]`);
  }
}
