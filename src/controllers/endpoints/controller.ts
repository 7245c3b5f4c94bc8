/**
 * The endpoints controller (pkg/controller/endpoint): keeps one Endpoints object per Service that
 * has a selector, listing the selected pods' addresses and the ports they serve.
 */
import {
  ENDPOINTS, PODS, SERVICES, WorkQueue, isForbidden, isNotFound, runWorkers,
  type EventRecorder, type KubeClient, type KubeObject, type SharedInformer,
} from '../../client/index.js';
import type { ControllerContext } from '../context.js';
import { hasStatusCause, NAMESPACE_TERMINATING_CAUSE } from '../util/errors.js';
import { splitKey } from '../util/types.js';
import { podServiceMemberships, servicesToUpdateOnPodChange } from '../endpointslice/util/membership.js';
import { isServiceIpSet, sameLabels, selectorMatches, serviceSelector, type Obj } from '../endpointslice/util/pods.js';
import { withRetryLimit } from '../endpointslice/util/retries.js';
import { waitForCaches } from '../endpointslice/util/sync.js';
import { formatRfc3339Nano, LAST_CHANGE_TRIGGER_TIME, TriggerTimeTracker } from '../endpointslice/util/trigger-time.js';
import { capacityAnnotationSetCorrectly, OVER_CAPACITY_ANNOTATION, TRUNCATED, truncateSubsets } from './capacity.js';
import { subsetsEqualIgnoringResourceVersion, subsetsJson } from './compare.js';
import { desiredSubsets } from './desired.js';
import { StaleEndpointsTracker } from './stale-tracker.js';

/** The label marking Endpoints of headless services. */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
/** Annotation of leader-election records kept in Endpoints (never cleaned up). */
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';
/** Workers (`--concurrent-endpoint-syncs`) and retries before a key is dropped. */
const WORKERS = 5;
const MAX_RETRIES = 15;

/** One running endpoints controller. */
export class EndpointsController {
  private readonly client: KubeClient;
  private readonly recorder: EventRecorder;
  private readonly services: SharedInformer<Obj>;
  private readonly pods: SharedInformer<Obj>;
  private readonly endpoints: SharedInformer<Obj>;
  readonly queue = new WorkQueue({ name: 'endpoint' });
  private readonly triggerTimes = new TriggerTimeTracker();
  private readonly stale = new StaleEndpointsTracker();

  /** Registers the informers and handlers (synchronously). */
  constructor(private readonly ctx: ControllerContext) {
    this.client = ctx.client;
    this.recorder = ctx.recorder('endpoint-controller');
    this.services = ctx.informers.informer<Obj>(SERVICES);
    this.pods = ctx.informers.informer<Obj>(PODS);
    this.endpoints = ctx.informers.informer<Obj>(ENDPOINTS);
    const enqueue = (o: KubeObject) => this.queue.add(`${o.metadata.namespace}/${o.metadata.name}`);
    this.services.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    this.pods.addEventHandler({
      onAdd: (p) => this.enqueueAll(podServiceMemberships(this.services.store, p)),
      onUpdate: (o, n) => this.enqueueAll(servicesToUpdateOnPodChange(this.services.store, o, n)),
      onDelete: (p) => this.enqueueAll(podServiceMemberships(this.services.store, p)),
    });
    this.endpoints.addEventHandler({ onDelete: enqueue });
  }

  private enqueueAll(keys: Set<string>): void {
    for (const k of keys) this.queue.add(k);
  }

  /** Waits for the caches, queues every existing Endpoints once, then works until the signal aborts. */
  async run(): Promise<void> {
    const { signal } = this.ctx;
    if (!await waitForCaches(signal, [this.pods, this.services, this.endpoints])) return;
    this.checkLeftoverEndpoints();
    const log = (m: string) => process.emitWarning(`endpoint-controller: ${m}`, 'ControllerWarning');
    // Retried failures are logged at a verbosity upstream does not show by default; drops are reported.
    await runWorkers(this.queue, WORKERS, withRetryLimit(this.queue, MAX_RETRIES, (k) => this.syncService(k), log), signal, () => {});
  }

  /** Queues the service of every Endpoints object, so ones without a service get deleted. */
  private checkLeftoverEndpoints(): void {
    for (const ep of this.endpoints.store.list()) {
      if (ep.metadata.annotations && LEADER_ANNOTATION in ep.metadata.annotations) continue;
      this.queue.add(`${ep.metadata.namespace}/${ep.metadata.name}`);
    }
  }

  /** Brings the Endpoints of the service `key` in line with its pods. */
  async syncService(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.services.store.getByName(namespace, name);
    if (!svc) {
      try {
        await this.client.endpoints.delete(name, { namespace });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      this.triggerTimes.deleteService(namespace, name);
      this.stale.delete(namespace, name);
      return;
    }
    const selector = serviceSelector(svc);
    if (svc.spec?.type === 'ExternalName' || !selector) return;
    const pods = this.pods.store.byIndex('namespace', namespace).filter((p) => selectorMatches(selector, p.metadata.labels));
    const triggerTime = this.triggerTimes.compute(namespace, svc, pods);
    const { subsets } = desiredSubsets(svc, pods);
    const current = this.endpoints.store.getByName(namespace, name);
    if (current && this.stale.isStale(current)) {
      throw new Error(`endpoints informer cache is out of date, resource version ${current.metadata.resourceVersion} already processed for endpoints ${key}`);
    }
    if (current && this.upToDate(current, svc, subsets)) return;
    const next: Obj = current
      ? structuredClone(current)
      : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace } };
    const annotations: Record<string, string> = { ...(next.metadata.annotations ?? {}) };
    if (triggerTime !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = formatRfc3339Nano(triggerTime);
    else delete annotations[LAST_CHANGE_TRIGGER_TIME];
    if (truncateSubsets(subsets)) annotations[OVER_CAPACITY_ANNOTATION] = TRUNCATED;
    else delete annotations[OVER_CAPACITY_ANNOTATION];
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    if (isServiceIpSet(svc)) delete labels[HEADLESS_LABEL];
    else labels[HEADLESS_LABEL] = '';
    next.metadata.labels = labels;
    next.metadata.annotations = annotations;
    next.subsets = subsetsJson(subsets);
    await this.write(svc, current, next);
  }

  private upToDate(current: Obj, svc: Obj, subsets: ReturnType<typeof desiredSubsets>['subsets']): boolean {
    const labels = { ...(current.metadata.labels ?? {}) };
    delete labels[HEADLESS_LABEL];
    return subsetsEqualIgnoringResourceVersion(current.subsets, subsetsJson(subsets))
      && sameLabels(labels, svc.metadata.labels)
      && capacityAnnotationSetCorrectly(current.metadata.annotations, current.subsets ?? []);
  }

  private async write(svc: Obj, current: Obj | undefined, next: Obj): Promise<void> {
    const { namespace, name } = svc.metadata;
    try {
      if (!current) {
        await this.client.endpoints.create(next, { namespace });
        return;
      }
      const updated = await this.client.endpoints.update(next, { namespace });
      if (updated.metadata.resourceVersion !== current.metadata.resourceVersion) this.stale.markStale(current);
    } catch (err) {
      // Creating in a terminating namespace keeps failing; drop the item.
      if (!current && isForbidden(err) && hasStatusCause(err, NAMESPACE_TERMINATING_CAUSE)) return;
      const msg = (err as Error)?.message ?? String(err);
      if (!current) this.recorder.event(next, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${namespace}/${name}: ${msg}`);
      else this.recorder.event(next, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${namespace}/${name}: ${msg}`);
      throw err;
    }
  }
}
