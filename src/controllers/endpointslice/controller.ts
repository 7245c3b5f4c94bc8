/**
 * The EndpointSlice controller (pkg/controller/endpointslice): keeps the EndpointSlices of every
 * Service with a selector in line with the selected pods, changing as few slices as it can.
 */
import {
  ENDPOINTSLICES, NODES, PODS, SERVICES, WorkQueue, runWorkers,
  type EventRecorder, type SharedInformer,
} from '../../client/index.js';
import type { ControllerContext } from '../context.js';
import { splitKey } from '../util/types.js';
import { podServiceMemberships, servicesToUpdateOnPodChange } from './util/membership.js';
import { selectorMatches, serviceSelector, type Obj } from './util/pods.js';
import { withRetryLimit } from './util/retries.js';
import { waitForCaches } from './util/sync.js';
import { TriggerTimeTracker } from './util/trigger-time.js';
import { aggregateMessage, finalizePlan } from './finalize.js';
import { planReconcile } from './reconciler.js';
import { CONTROLLER_NAME, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, managedByController, serviceKeyOfSlice } from './slice-meta.js';
import { EndpointSliceTracker } from './tracker.js';

/** Most endpoints in one slice (`--max-endpoints-per-slice`). */
export const MAX_ENDPOINTS_PER_SLICE = 100;
/** Workers (`--concurrent-service-endpoint-syncs`) and retries before a key is dropped. */
const WORKERS = 5;
const MAX_RETRIES = 15;
/** Least delay before a service is synced again after one of its slices changed. */
const SLICE_CHANGE_MIN_SYNC_DELAY_MS = 1000;

/** The informer has not caught up with this controller's own writes yet; the sync is retried. */
export class StaleInformerCacheError extends Error {}

/** One running EndpointSlice controller. */
export class EndpointSliceController {
  private readonly recorder: EventRecorder;
  private readonly services: SharedInformer<Obj>;
  private readonly pods: SharedInformer<Obj>;
  private readonly nodes: SharedInformer<Obj>;
  private readonly slices: SharedInformer<Obj>;
  /** Retries back off from 1 s (not 5 ms): a sync may rewrite many slices. */
  readonly queue = new WorkQueue({ name: 'endpoint_slice', baseDelayMs: 1000, maxDelayMs: 1_000_000 });
  private readonly tracker = new EndpointSliceTracker();
  private readonly triggerTimes = new TriggerTimeTracker();

  /** Registers the informers and handlers (synchronously). */
  constructor(private readonly ctx: ControllerContext) {
    this.recorder = ctx.recorder('endpoint-slice-controller');
    this.services = ctx.informers.informer<Obj>(SERVICES);
    this.pods = ctx.informers.informer<Obj>(PODS);
    this.nodes = ctx.informers.informer<Obj>(NODES);
    this.slices = ctx.informers.informer<Obj>(ENDPOINTSLICES);
    const enqueue = (o: Obj) => this.queue.add(`${o.metadata.namespace}/${o.metadata.name}`);
    this.services.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    const enqueueAll = (keys: Set<string>) => { for (const k of keys) this.queue.add(k); };
    this.pods.addEventHandler({
      onAdd: (p) => enqueueAll(podServiceMemberships(this.services.store, p)),
      onUpdate: (o, n) => enqueueAll(servicesToUpdateOnPodChange(this.services.store, o, n)),
      onDelete: (p) => enqueueAll(podServiceMemberships(this.services.store, p)),
    });
    this.slices.addEventHandler({
      onAdd: (s) => { if (managedByController(s) && this.tracker.shouldSync(s)) this.queueForSlice(s); },
      onUpdate: (o, n) => this.onSliceUpdate(o, n),
      onDelete: (s) => {
        if (managedByController(s) && this.tracker.has(s) && !this.tracker.handleDeletion(s)) this.queueForSlice(s);
      },
    });
  }

  private onSliceUpdate(prev: Obj, cur: Obj): void {
    if (prev.metadata.labels?.[LABEL_SERVICE_NAME] !== cur.metadata.labels?.[LABEL_SERVICE_NAME]) {
      this.queueForSlice(cur);
      this.queueForSlice(prev);
      return;
    }
    if (managedByController(prev) !== managedByController(cur) || (managedByController(cur) && this.tracker.shouldSync(cur))) this.queueForSlice(cur);
  }

  private queueForSlice(slice: Obj): void {
    const key = serviceKeyOfSlice(slice);
    if (key) this.queue.addAfter(key, SLICE_CHANGE_MIN_SYNC_DELAY_MS);
  }

  /** Waits for the caches, then works until the signal aborts. */
  async run(): Promise<void> {
    const { signal } = this.ctx;
    if (!await waitForCaches(signal, [this.pods, this.services, this.slices, this.nodes])) return;
    const log = (m: string) => process.emitWarning(`endpointslice-controller: ${m}`, 'ControllerWarning');
    const onError = (key: string, err: unknown) => {
      // A lagging cache is expected right after this controller's own writes.
      if (err instanceof StaleInformerCacheError) return;
      log(`error syncing endpoint slices for service "${key}", retrying: ${(err as Error)?.message ?? err}`);
    };
    await runWorkers(this.queue, WORKERS, withRetryLimit(this.queue, MAX_RETRIES, (k) => this.syncService(k), log), signal, onError);
  }

  /** Reconciles the slices of the service `key`. */
  async syncService(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.services.store.getByName(namespace, name);
    if (!svc) {
      // Its slices go with it through their owner reference.
      this.triggerTimes.deleteService(namespace, name);
      this.tracker.deleteService(namespace, name);
      return;
    }
    const selector = serviceSelector(svc);
    if (svc.spec?.type === 'ExternalName' || !selector) return;
    const pods = this.pods.store.byIndex('namespace', namespace).filter((p) => selectorMatches(selector, p.metadata.labels));
    const slices = this.slices.store.byIndex('namespace', namespace).filter((s) =>
      s.metadata.labels?.[LABEL_SERVICE_NAME] === name && s.metadata.labels?.[LABEL_MANAGED_BY] === CONTROLLER_NAME && !s.metadata.deletionTimestamp);
    if (this.tracker.staleSlices(svc, slices)) throw new StaleInformerCacheError('EndpointSlice informer cache is out of date');
    const triggerTime = this.triggerTimes.compute(namespace, svc, pods);
    const plan = planReconcile({
      service: svc, pods, slices, maxEndpointsPerSlice: MAX_ENDPOINTS_PER_SLICE,
      node: (n) => this.nodes.store.getByName('', n),
    });
    const errors = await finalizePlan(this.ctx.client, this.tracker, svc, plan, triggerTime);
    if (errors.length > 0) {
      const msg = aggregateMessage(errors);
      this.recorder.event(svc, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${namespace}/${name}: ${msg}`);
      throw new Error(msg);
    }
  }
}
