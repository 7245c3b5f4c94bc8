/**
 * The CronJob controller: watches CronJobs and Jobs, and for each CronJob key prunes finished
 * jobs, reconciles its status and starts the job of the latest due activation, then sleeps
 * until the next activation.
 */
import type { InformerFactory } from '../../client/cache/informer-factory.js';
import type { SharedInformer } from '../../client/cache/informer.js';
import { objectKey, splitKey } from '../../client/cache/store.js';
import { CRONJOBS, JOBS } from '../../client/kinds.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/object.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import { DelayedAdds } from '../job/delayed-adds.js';
import { msg, type Recorder } from './events.js';
import { controllerRef } from './jobs.js';
import { cleanupFinishedJobs, reconcileCronJob } from './reconcile.js';
import { formatSchedule, parseStandard } from './schedule.js';
import { nextScheduleDelay } from './schedule-times.js';

/** What the controller is built from. */
export interface CronJobControllerDeps {
  client: KubeClient;
  informers: InformerFactory;
  recorder: Recorder;
  /** Current time in ms (Date.now unless a test injects a clock). */
  clock: () => number;
}

/** The CronJob controller. Construct it (registers informer handlers), then {@link run}. */
export class CronJobController {
  readonly queue = new WorkQueue({ name: 'cronjob' });
  private readonly delayed = new DelayedAdds(this.queue);
  private readonly cronJobs: SharedInformer<KubeObject>;
  private readonly jobs: SharedInformer<KubeObject>;

  constructor(private readonly deps: CronJobControllerDeps) {
    this.cronJobs = deps.informers.informer(CRONJOBS);
    this.jobs = deps.informers.informer(JOBS);
    this.jobs.addEventHandler({
      onAdd: (job) => this.jobChanged(job),
      onUpdate: (old, cur) => this.jobUpdated(old, cur),
      onDelete: (job) => this.jobChanged(job),
    });
    this.cronJobs.addEventHandler({
      onAdd: (cj) => this.queue.add(objectKey(cj)),
      onUpdate: (old, cur) => this.cronJobUpdated(old, cur),
      onDelete: (cj) => this.queue.add(objectKey(cj)),
    });
  }

  /** Waits for the caches, then syncs with `workers` workers until `signal` aborts. */
  async run(signal: AbortSignal, workers = 5): Promise<void> {
    await Promise.all([this.cronJobs.waitForSync(signal), this.jobs.waitForSync(signal)]);
    if (signal.aborted) return;
    await runWorkers(this.queue, workers, (key) => this.sync(key), signal);
    this.delayed.stop();
  }

  /** The CronJob a controller reference names, if the cache has it with that uid. */
  private resolve(namespace: string | undefined, ref: { kind: string; name: string; uid: string }): KubeObject | undefined {
    if (ref.kind !== 'CronJob') return undefined;
    const cj = this.cronJobs.store.getByName(namespace ?? '', ref.name);
    return cj && cj.metadata.uid === ref.uid ? cj : undefined;
  }

  private jobChanged(job: KubeObject): void {
    const ref = controllerRef(job);
    const cj = ref && this.resolve(job.metadata.namespace, ref);
    if (cj) this.queue.add(objectKey(cj));
  }

  private jobUpdated(old: KubeObject, cur: KubeObject): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const oldRef = controllerRef(old);
    const curRef = controllerRef(cur);
    if (oldRef && JSON.stringify(oldRef) !== JSON.stringify(curRef)) this.jobChanged(old);
    if (curRef) this.jobChanged(cur);
  }

  /**
   * A changed schedule or zone requeues at the new next activation (an unparseable one is
   * reported instead); any other change syncs at once.
   */
  private cronJobUpdated(old: KubeObject, cur: KubeObject): void {
    const key = objectKey(cur);
    if (old.spec?.schedule === cur.spec?.schedule && (old.spec?.timeZone ?? null) === (cur.spec?.timeZone ?? null)) {
      this.queue.add(key);
      return;
    }
    let schedule;
    try {
      schedule = parseStandard(formatSchedule(cur.spec ?? {}).schedule);
    } catch {
      this.deps.recorder.event(cur, 'Warning', 'UnParseableCronJobSchedule', msg.unparseableOnUpdate(cur.spec?.schedule ?? ''));
      return;
    }
    const state = { creationTimestamp: cur.metadata.creationTimestamp, lastScheduleTime: cur.status?.lastScheduleTime, startingDeadlineSeconds: cur.spec?.startingDeadlineSeconds };
    this.delayed.addAfter(key, nextScheduleDelay(state, this.deps.clock(), schedule));
  }

  /** The jobs whose controller reference names this CronJob (by name, as upstream). */
  private jobsOf(cj: KubeObject): KubeObject[] {
    return this.jobs.store.byIndex('namespace', cj.metadata.namespace ?? '')
      .filter((j) => controllerRef(j)?.name === cj.metadata.name);
  }

  /** Reconciles one CronJob key; throws to be retried with backoff. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.cronJobs.store.getByName(namespace, name);
    if (!cached) return;
    const jobs = this.jobsOf(cached);
    const cj: KubeObject = structuredClone(cached);
    const deps = { client: this.deps.client, recorder: this.deps.recorder, now: this.deps.clock };
    const cleaned = await cleanupFinishedJobs(deps, cj, jobs);
    const result = await reconcileCronJob(deps, cj, jobs);
    if (cleaned || result.updateStatus) {
      // Go omits an empty active list.
      if (Array.isArray(cj.status?.active) && cj.status.active.length === 0) delete cj.status.active;
      await this.deps.client.cronJobs.updateStatus(cj);
    }
    if (result.requeueAfterMs !== undefined) {
      this.delayed.addAfter(key, result.requeueAfterMs);
      return;
    }
    if (result.error !== undefined) throw result.error;
  }
}
