/**
 * The disruption controller (pkg/controller/disruption): keeps every PodDisruptionBudget's status
 * — healthy, desired and expected pods, the disruptions allowed and the DisruptionAllowed
 * condition — and resets stale DisruptionTarget pod conditions.
 */
import {
  DEPLOYMENTS, PODDISRUPTIONBUDGETS, PODS, REPLICASETS, REPLICATIONCONTROLLERS, STATEFULSETS, WorkQueue, isConflict, runWorkers,
  type EventRecorder, type KubeObject, type SharedInformer,
} from '../../client/index.js';
import type { ControllerContext } from '../context.js';
import { selectorMatcher } from '../util/selector.js';
import { formatTime } from '../util/time.js';
import { splitKey } from '../util/types.js';
import { waitForCaches } from '../endpointslice/util/sync.js';
import { findControllerScale, type FinderSources } from './finders.js';
import { unmanagedPodsMessage } from './messages.js';
import { resetDisruptionCondition, staleDisruptionCondition } from './stale-condition.js';
import { buildDisruptedPodMap, countHealthyPods, expectedPodCount, failSafeStatus, nextPdbStatus, type Expectation } from './status.js';

const keyOf = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
const message = (err: unknown) => (err as Error)?.message ?? String(err);

/** One running disruption controller. */
export class DisruptionController {
  private readonly recorder: EventRecorder;
  private readonly pods: SharedInformer<KubeObject>;
  private readonly pdbs: SharedInformer<KubeObject>;
  private readonly sources: FinderSources;
  readonly queue = new WorkQueue({ name: 'disruption' });
  readonly staleQueue = new WorkQueue({ name: 'stale_pod_disruption' });

  /** Registers the informers and handlers (synchronously). */
  constructor(private readonly ctx: ControllerContext) {
    this.recorder = ctx.recorder('controllermanager');
    this.pods = ctx.informers.informer<KubeObject>(PODS);
    this.pdbs = ctx.informers.informer<KubeObject>(PODDISRUPTIONBUDGETS);
    this.sources = {
      client: ctx.client,
      rcs: ctx.informers.informer(REPLICATIONCONTROLLERS),
      rss: ctx.informers.informer(REPLICASETS),
      deployments: ctx.informers.informer(DEPLOYMENTS),
      statefulSets: ctx.informers.informer(STATEFULSETS),
    };
    const enqueue = (p: KubeObject) => this.queue.add(keyOf(p));
    this.pdbs.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    this.pods.addEventHandler({
      onAdd: (p) => this.onPod(p, true),
      onUpdate: (_o, n) => this.onPod(n, true),
      onDelete: (p) => this.onPod(p, false),
    });
  }

  private onPod(pod: KubeObject, checkStale: boolean): void {
    const pdb = this.pdbForPod(pod);
    if (pdb) this.queue.add(keyOf(pdb));
    if (!checkStale) return;
    const { stale, waitMs } = staleDisruptionCondition(pod, this.ctx.clock());
    if (stale) this.staleQueue.addAfter(keyOf(pod), waitMs);
  }

  /** The PDB selecting `pod` (the first of several, with a warning on the pod). */
  private pdbForPod(pod: KubeObject): KubeObject | undefined {
    if (Object.keys(pod.metadata.labels ?? {}).length === 0) return undefined;
    const matching = this.pdbs.store.byIndex('namespace', pod.metadata.namespace ?? '').filter((pdb) => {
      try {
        return selectorMatcher(pdb.spec?.selector).matches(pod.metadata.labels);
      } catch {
        return false;
      }
    });
    if (matching.length > 1) {
      this.recorder.event(pod, 'Warning', 'MultiplePodDisruptionBudgets',
        `Pod ${JSON.stringify(pod.metadata.namespace)}/${JSON.stringify(pod.metadata.name)} matches multiple PodDisruptionBudgets.  Chose ${JSON.stringify(matching[0].metadata.name)} arbitrarily.`);
    }
    return matching[0];
  }

  /** Waits for the caches, then works until the signal aborts. */
  async run(): Promise<void> {
    const { signal } = this.ctx;
    const { rcs, rss, deployments, statefulSets } = this.sources;
    if (!await waitForCaches(signal, [this.pods, this.pdbs, rcs, rss, deployments, statefulSets])) return;
    await Promise.all([
      runWorkers(this.queue, 1, (k) => this.sync(k), signal),
      runWorkers(this.staleQueue, 1, (k) => this.syncStalePod(k), signal),
    ]);
  }

  /** Brings the status of the PDB `key` up to date; a failure other than a conflict zeroes its disruptions. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pdb = this.pdbs.store.getByName(namespace, name);
    if (!pdb) return;
    try {
      await this.trySync(pdb);
    } catch (err) {
      if (isConflict(err)) throw err;
      const next = failSafeStatus(pdb, message(err), formatTime(this.ctx.clock()));
      await this.ctx.client.podDisruptionBudgets.updateStatus(next, { namespace });
    }
  }

  private selectedPods(pdb: KubeObject): KubeObject[] {
    let matcher;
    try {
      matcher = selectorMatcher(pdb.spec?.selector);
    } catch (err) {
      this.recorder.event(pdb, 'Warning', 'NoPods', `Failed to get pods: ${message(err)}`);
      throw err;
    }
    return this.pods.store.byIndex('namespace', pdb.metadata.namespace ?? '').filter((p) => matcher.matches(p.metadata.labels));
  }

  private async expectation(pdb: KubeObject, pods: KubeObject[]): Promise<Expectation> {
    try {
      return await expectedPodCount(pdb, pods, (ref, ns) => findControllerScale(this.sources, ref, ns));
    } catch (err) {
      this.recorder.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${message(err)}`);
      throw err;
    }
  }

  private async trySync(pdb: KubeObject): Promise<void> {
    const pods = this.selectedPods(pdb);
    if (pods.length === 0) this.recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
    const expectation = await this.expectation(pdb, pods);
    if (expectation.unmanagedPods.length > 0) this.recorder.event(pdb, 'Warning', 'UnmanagedPods', unmanagedPodsMessage(pdb.spec?.selector));
    const now = this.ctx.clock();
    const { disrupted, overdue, recheckAt } = buildDisruptedPodMap(pods, pdb, now);
    for (const pod of overdue) {
      // Upstream names the PDB by its namespace twice here.
      this.recorder.event(pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata.namespace}/${pdb.metadata.namespace} to be deleted but it wasn't`);
    }
    const healthy = countHealthyPods(pods, disrupted, now);
    const next = nextPdbStatus(pdb, healthy, expectation, disrupted, formatTime(now));
    if (next) await this.ctx.client.podDisruptionBudgets.updateStatus(next, { namespace: pdb.metadata.namespace });
    if (recheckAt !== undefined) this.queue.addAfter(keyOf(pdb), recheckAt - now);
  }

  /** Resets the stale DisruptionTarget condition of the pod `key`, or waits until it is stale. */
  async syncStalePod(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.pods.store.getByName(namespace, name);
    if (!pod) return;
    const now = this.ctx.clock();
    const { stale, waitMs } = staleDisruptionCondition(pod, now);
    if (!stale) return;
    if (waitMs > 0) {
      this.staleQueue.addAfter(key, waitMs);
      return;
    }
    await this.ctx.client.pods.updateStatus(resetDisruptionCondition(pod, formatTime(now)), { namespace });
  }
}
