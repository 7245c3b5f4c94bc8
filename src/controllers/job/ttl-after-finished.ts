/**
 * The `ttl-after-finished` controller: deletes a finished Job (and, in the foreground, its pods)
 * `spec.ttlSecondsAfterFinished` seconds after its Complete or Failed condition turned True.
 */
import type { InformerFactory } from '../../client/cache/informer-factory.js';
import type { SharedInformer } from '../../client/cache/informer.js';
import { objectKey, splitKey } from '../../client/cache/store.js';
import { JOBS } from '../../client/kinds.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/object.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import type { ControllerContext, ControllerDescriptor } from '../context.js';
import { isNotFoundError } from '../util/errors.js';
import { conditionsOf, isJobFinished } from './conditions.js';
import { DelayedAdds } from './delayed-adds.js';

/** Whether the job is finished and has a TTL. */
export const needsCleanup = (job: KubeObject): boolean => typeof job.spec?.ttlSecondsAfterFinished === 'number' && isJobFinished(job);

/** When the job's TTL runs out (ms), or an error text when its finish time is unknown. */
export function expiresAt(job: KubeObject): number | string {
  const finished = conditionsOf(job).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  const at = finished?.lastTransitionTime ? Date.parse(finished.lastTransitionTime) : NaN;
  if (Number.isNaN(at)) return `unable to find the time when the Job ${job.metadata.namespace}/${job.metadata.name} finished`;
  return at + job.spec.ttlSecondsAfterFinished * 1000;
}

/** The controller; construct it (registers its handlers), then {@link run}. */
export class TtlAfterFinishedController {
  readonly queue = new WorkQueue({ name: 'ttl_jobs_to_delete' });
  private readonly delayed = new DelayedAdds(this.queue);
  private readonly jobs: SharedInformer<KubeObject>;

  constructor(private readonly client: KubeClient, informers: InformerFactory, private readonly clock: () => number) {
    this.jobs = informers.informer(JOBS);
    const consider = (job: KubeObject) => {
      if (!job.metadata.deletionTimestamp && needsCleanup(job)) this.queue.add(objectKey(job));
    };
    this.jobs.addEventHandler({ onAdd: consider, onUpdate: (_old, cur) => consider(cur) });
  }

  async run(signal: AbortSignal, workers = 5): Promise<void> {
    await this.jobs.waitForSync(signal);
    if (signal.aborted) return;
    await runWorkers(this.queue, workers, (key) => this.sync(key), signal);
    this.delayed.stop();
  }

  /** Whether the job's TTL ran out; otherwise the key is requeued for when it will. Throws for an unknown finish time. */
  private expired(key: string, job: KubeObject): boolean {
    if (!needsCleanup(job)) return false;
    const at = expiresAt(job);
    if (typeof at === 'string') throw new Error(at);
    const left = at - this.clock();
    if (left <= 0) return true;
    this.delayed.addAfter(key, left);
    return false;
  }

  /** Deletes the job if its TTL ran out, checked again on a fresh read and guarded by its resourceVersion. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.jobs.store.getByName(namespace, name);
    if (!cached || !this.expired(key, cached)) return;
    let fresh: KubeObject;
    try {
      fresh = await this.client.jobs.get(name, namespace);
    } catch (err) {
      if (isNotFoundError(err)) return;
      throw err;
    }
    if (!this.expired(key, fresh)) return;
    try {
      await this.client.jobs.delete(name, { namespace, propagationPolicy: 'Foreground', preconditions: { resourceVersion: fresh.metadata.resourceVersion } });
    } catch (err) {
      if (!isNotFoundError(err)) throw err;
    }
  }
}

/** Upstream's `--concurrent-ttl-after-finished-syncs` default. */
const WORKERS = 5;

/** The `ttl-after-finished` controller descriptor. */
export const ttlAfterFinishedDescriptor: ControllerDescriptor = {
  name: 'ttl-after-finished',
  start(ctx: ControllerContext): Promise<void> {
    return new TtlAfterFinishedController(ctx.client, ctx.informers, ctx.clock).run(ctx.signal, WORKERS);
  },
};
