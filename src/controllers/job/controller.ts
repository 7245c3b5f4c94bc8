/**
 * The Job controller: watches Jobs and Pods, keeps each job's pods running until enough
 * succeeded or the job failed, and counts finished pods through the tracking finalizer. A second
 * queue strips the finalizer from pods no unfinished job owns any more.
 */
import type { InformerFactory } from '../../client/cache/informer-factory.js';
import type { SharedInformer } from '../../client/cache/informer.js';
import { objectKey, splitKey } from '../../client/cache/store.js';
import { JOBS, PODS } from '../../client/kinds.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/object.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import { claimObjects, recheckDeletion } from '../util/claim.js';
import { isNotFoundError } from '../util/errors.js';
import { Expectations } from '../util/expectations.js';
import { getControllerOf } from '../util/owner-refs.js';
import { selectorMatcher } from '../util/selector.js';
import { BackoffStore } from './backoff.js';
import { isJobFinished } from './conditions.js';
import { JOB_TRACKING_FINALIZER } from './constants.js';
import { DelayedAdds } from './delayed-adds.js';
import { DEFAULT_JOB_TUNABLES, FinalizerExpectations, type JobDeps, type JobTunables, type Recorder } from './deps.js';
import { REMOVE_FINALIZER_PATCH } from './pod-control.js';
import { hasTrackingFinalizer } from './pods.js';
import { managedByOther, syncJob } from './sync.js';

/** What the controller is built from. */
export interface JobControllerDeps {
  client: KubeClient;
  informers: InformerFactory;
  recorder: Recorder;
  /** Current time in ms (Date.now unless a test injects a clock). */
  clock: () => number;
  tunables?: Partial<JobTunables>;
}

const podKeyOf = (p: KubeObject) => `${p.metadata.namespace}/${p.metadata.name}`;

/** The Job controller. Construct it (registers informer handlers), then {@link run}. */
export class JobController {
  readonly queue: WorkQueue;
  readonly orphanQueue: WorkQueue;
  private readonly jobs: SharedInformer<KubeObject>;
  private readonly pods: SharedInformer<KubeObject>;
  private readonly deps: JobDeps;
  private readonly delayed: DelayedAdds;

  constructor(private readonly opts: JobControllerDeps) {
    const tunables = { ...DEFAULT_JOB_TUNABLES, ...(opts.tunables ?? {}) };
    const backoff = { baseDelayMs: tunables.apiBackoffMs, maxDelayMs: tunables.maxApiBackoffMs };
    this.queue = new WorkQueue({ name: 'job', ...backoff });
    this.orphanQueue = new WorkQueue({ name: 'job_orphan_pod', ...backoff });
    this.delayed = new DelayedAdds(this.queue);
    this.deps = {
      client: opts.client, recorder: opts.recorder, clock: opts.clock, tunables,
      expectations: new Expectations(opts.clock), finalizerExpectations: new FinalizerExpectations(), backoff: new BackoffStore(),
      enqueueAfter: (key, ms) => this.delayed.addAfter(key, ms),
    };
    this.jobs = opts.informers.informer(JOBS);
    this.pods = opts.informers.informer(PODS);
    this.jobs.addEventHandler({
      onAdd: (job) => this.queue.add(objectKey(job)),
      onUpdate: (old, cur) => this.jobUpdated(old, cur),
      onDelete: (job) => {
        this.queue.add(objectKey(job));
        this.cleanupPodFinalizers(job);
      },
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podAdded(pod),
      onUpdate: (old, cur) => this.podUpdated(old, cur),
      onDelete: (pod) => this.podDeleted(pod, true),
    });
  }

  /** Waits for the caches, then syncs jobs with `workers` workers (and orphans with one) until `signal` aborts. */
  async run(signal: AbortSignal, workers = 5): Promise<void> {
    await Promise.all([this.jobs.waitForSync(signal), this.pods.waitForSync(signal)]);
    if (signal.aborted) return;
    await Promise.all([
      runWorkers(this.queue, workers, (key) => this.sync(key), signal),
      runWorkers(this.orphanQueue, 1, (key) => this.syncOrphanPod(key), signal),
    ]);
    this.delayed.stop();
  }

  private enqueueBatched(job: KubeObject): void {
    this.delayed.addAfter(objectKey(job), this.deps.tunables.syncBatchPeriodMs);
  }

  /** The job a controller reference names, if the cache has it with that uid. */
  private resolve(namespace: string | undefined, ref: { kind: string; name: string; uid: string } | undefined): KubeObject | undefined {
    if (!ref || ref.kind !== 'Job') return undefined;
    const job = this.jobs.store.getByName(namespace ?? '', ref.name);
    return job && job.metadata.uid === ref.uid ? job : undefined;
  }

  /** Jobs in the pod's namespace whose selector matches it (candidates to adopt an orphan). */
  private jobsSelecting(pod: KubeObject): KubeObject[] {
    return this.jobs.store.byIndex('namespace', pod.metadata.namespace ?? '').filter((j) => {
      try {
        return selectorMatcher(j.spec?.selector).matches(pod.metadata.labels);
      } catch {
        return false;
      }
    });
  }

  private jobUpdated(old: KubeObject, cur: KubeObject): void {
    const key = objectKey(cur);
    if (cur.metadata.generation === old.metadata.generation) this.enqueueBatched(cur);
    else this.queue.add(key);
    if (isJobFinished(cur)) this.cleanupPodFinalizers(cur);
    const start = cur.status?.startTime ? Date.parse(cur.status.startTime) : undefined;
    const deadline = cur.spec?.activeDeadlineSeconds;
    if (start !== undefined && typeof deadline === 'number' && old.spec?.activeDeadlineSeconds !== deadline) {
      this.delayed.addAfter(key, deadline * 1000 - (this.opts.clock() - start));
    }
  }

  private podAdded(pod: KubeObject): void {
    if (pod.metadata.deletionTimestamp) {
      this.podDeleted(pod, false);
      return;
    }
    const ref = getControllerOf(pod);
    if (ref) {
      const job = this.resolve(pod.metadata.namespace, ref);
      if (!job) return;
      this.deps.expectations.creationObserved(objectKey(job));
      this.enqueueBatched(job);
      return;
    }
    if (hasTrackingFinalizer(pod)) this.orphanQueue.add(podKeyOf(pod));
    for (const job of this.jobsSelecting(pod)) this.enqueueBatched(job);
  }

  private podUpdated(old: KubeObject, cur: KubeObject): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    if (cur.metadata.deletionTimestamp) {
      this.podDeleted(cur, false);
      return;
    }
    const finalizerRemoved = !hasTrackingFinalizer(cur);
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    const wake = (job: KubeObject | undefined) => {
      if (!job) return;
      if (finalizerRemoved) this.deps.finalizerExpectations.observed(objectKey(job), cur.metadata.uid ?? '');
      this.enqueueBatched(job);
    };
    if (refChanged && oldRef) wake(this.resolve(old.metadata.namespace, oldRef));
    if (curRef) {
      wake(this.resolve(cur.metadata.namespace, curRef));
      return;
    }
    if (hasTrackingFinalizer(cur)) this.orphanQueue.add(podKeyOf(cur));
    if (refChanged || JSON.stringify(cur.metadata.labels ?? {}) !== JSON.stringify(old.metadata.labels ?? {})) {
      for (const job of this.jobsSelecting(cur)) this.enqueueBatched(job);
    }
  }

  /** A pod is gone (`final`) or being deleted. */
  private podDeleted(pod: KubeObject, final: boolean): void {
    const ref = getControllerOf(pod);
    const hasFinalizer = hasTrackingFinalizer(pod);
    const job = ref && this.resolve(pod.metadata.namespace, ref);
    if (!job || isJobFinished(job)) {
      if (hasFinalizer) this.orphanQueue.add(podKeyOf(pod));
      return;
    }
    const key = objectKey(job);
    this.deps.expectations.deletionObserved(key, podKeyOf(pod));
    if (final || !hasFinalizer) this.deps.finalizerExpectations.observed(key, pod.metadata.uid ?? '');
    this.enqueueBatched(job);
  }

  /** Queues the job's pods that still carry the finalizer for removal (the job finished or went). */
  private cleanupPodFinalizers(job: KubeObject): void {
    let matcher;
    try {
      matcher = selectorMatcher(job.spec?.selector);
    } catch {
      return;
    }
    for (const pod of this.pods.store.byIndex('namespace', job.metadata.namespace ?? '')) {
      if (!matcher.matches(pod.metadata.labels) || getControllerOf(pod)?.uid !== job.metadata.uid) continue;
      if (hasTrackingFinalizer(pod)) this.orphanQueue.add(podKeyOf(pod));
    }
  }

  /** The pods a job owns after releasing strays and adopting matching orphans (adopted ones get the finalizer). */
  private async claimPods(job: KubeObject): Promise<KubeObject[]> {
    const matcher = selectorMatcher(job.spec?.selector);
    const all = this.pods.store.byIndex('namespace', job.metadata.namespace ?? '');
    const claimed = await claimObjects<KubeObject>({
      controller: job,
      controllerKind: { apiVersion: 'batch/v1', kind: 'Job' },
      objectKind: 'Pod',
      match: (p) => matcher.matches(p.metadata.labels),
      patch: async (p, body: any) => {
        const adopting = Array.isArray(body?.metadata?.ownerReferences) && !body.metadata.ownerReferences.some((r: any) => r?.$patch);
        const patch = adopting ? { ...body, metadata: { ...body.metadata, finalizers: [JOB_TRACKING_FINALIZER] } } : body;
        await this.opts.client.pods.patch(p.metadata.name!, patch, { namespace: p.metadata.namespace, type: 'strategic' });
      },
      canAdopt: recheckDeletion(job, 'Job', () => this.opts.client.jobs.get(job.metadata.name!, job.metadata.namespace)),
    }, all);
    return claimed.map((p) => {
      const adopted = !(p.metadata.ownerReferences ?? []).some((r) => r.uid === job.metadata.uid);
      if (!adopted || hasTrackingFinalizer(p)) return p;
      return { ...p, metadata: { ...p.metadata, finalizers: [...(p.metadata.finalizers ?? []), JOB_TRACKING_FINALIZER] } };
    });
  }

  /** Syncs one job key; throws to be retried with backoff. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const job = this.jobs.store.getByName(namespace, name);
    if (!job) {
      this.deps.expectations.delete(key);
      this.deps.finalizerExpectations.delete(key);
      this.deps.backoff.remove(key);
      return;
    }
    await syncJob(this.deps, key, job, (j) => this.claimPods(j));
  }

  /** Removes the tracking finalizer from a pod that no unfinished batch/v1 Job controls. */
  async syncOrphanPod(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.pods.store.getByName(namespace, name);
    if (!pod) return;
    const ref = getControllerOf(pod);
    if (ref) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = this.resolve(namespace, ref);
      if (job && managedByOther(job) !== undefined) return;
      if (job && !isJobFinished(job)) return;
    }
    if (!hasTrackingFinalizer(pod)) return;
    try {
      await this.opts.client.pods.patch(name, REMOVE_FINALIZER_PATCH, { namespace, type: 'strategic' });
    } catch (err) {
      if (!isNotFoundError(err)) throw err;
    }
  }
}
