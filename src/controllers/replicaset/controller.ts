import { PODS, REPLICASETS, WorkQueue, runWorkers, type EventRecorder, type SharedInformer } from '../../client/index.js';
import type { ControllerContext } from '../context.js';
import { claimObjects, recheckDeletion } from '../util/claim.js';
import { Expectations } from '../util/expectations.js';
import { getControllerOf } from '../util/owner-refs.js';
import { reportSyncError } from '../util/report.js';
import { isPodActive, isPodReady, podKey } from '../util/pod.js';
import { selectorMatcher } from '../util/selector.js';
import { keyOf, splitKey, type OwnerReference, type Pod, type ReplicaSet } from '../util/types.js';
import type { ReplicaSetDeps } from './deps.js';
import { manageReplicas } from './manage.js';
import { REPLICASET_KIND } from './pod-control.js';
import { calculateRSStatus } from './status.js';
import { writeRSStatus } from './write-status.js';

/** The component name on the controller's events. */
export const COMPONENT = 'replicaset-controller';

/** Tunables of {@link ReplicaSetController}. */
export interface ReplicaSetControllerOptions {
  /** Concurrent syncs (upstream: 5). */
  workers?: number;
  /** Most pods created or deleted per sync (upstream: 500). */
  burstReplicas?: number;
}

/**
 * The ReplicaSet controller: keeps the number of active pods of each ReplicaSet at spec.replicas
 * (adopting and releasing pods by selector and controller reference, creating in slow-start
 * batches, deleting the best victims) and reports counts and ReplicaFailure in the status.
 */
export class ReplicaSetController {
  readonly queue = new WorkQueue({ name: 'replicaset' });
  readonly expectations: Expectations;
  private readonly rsInformer: SharedInformer<ReplicaSet>;
  private readonly podInformer: SharedInformer<Pod>;
  private readonly recorder: EventRecorder;
  private readonly deps: ReplicaSetDeps;

  constructor(private readonly ctx: ControllerContext, private readonly opts: ReplicaSetControllerOptions = {}) {
    this.expectations = new Expectations(ctx.clock);
    this.rsInformer = ctx.informers.informer<ReplicaSet>(REPLICASETS);
    this.podInformer = ctx.informers.informer<Pod>(PODS);
    this.recorder = ctx.recorder(COMPONENT);
    const client = ctx.client;
    this.deps = {
      now: ctx.clock,
      event: (rs, type, reason, message) => this.recorder.event({ ...rs, apiVersion: 'apps/v1', kind: 'ReplicaSet' }, type, reason, message),
      createPod: (pod) => client.pods.create(pod, { namespace: pod.metadata.namespace }) as Promise<Pod>,
      deletePod: async (namespace, name) => { await client.pods.delete(name, { namespace }); },
      relatedPods: (rs) => this.relatedPods(rs),
      expectations: this.expectations,
      burstReplicas: opts.burstReplicas ?? 500,
    };
    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.enqueue(rs),
      onUpdate: (oldRS, curRS) => this.updateRS(oldRS, curRS),
      onDelete: (rs) => this.deleteRS(rs),
    });
    this.podInformer.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (oldPod, curPod) => this.updatePod(oldPod, curPod),
      onDelete: (pod) => this.deletePod(pod),
    });
  }

  /** Waits for the caches, then runs the workers until the context's signal aborts. */
  async run(): Promise<void> {
    const signal = this.ctx.signal;
    await Promise.all([this.rsInformer.waitForSync(signal), this.podInformer.waitForSync(signal)]);
    if (signal.aborted) return;
    await runWorkers(this.queue, this.opts.workers ?? 5, (key) => this.sync(key), signal, reportSyncError('replicaset'));
  }

  private enqueue(rs: ReplicaSet): void {
    this.queue.add(keyOf(rs));
  }

  private updateRS(oldRS: ReplicaSet, curRS: ReplicaSet): void {
    // A new object under the old name: the old one's expectations must go.
    if (oldRS.metadata.uid !== curRS.metadata.uid) this.deleteRS(oldRS);
    this.enqueue(curRS);
  }

  private deleteRS(rs: ReplicaSet): void {
    const key = keyOf(rs);
    this.expectations.delete(key);
    this.queue.add(key);
  }

  /** The ReplicaSet a controller reference names, if it is the one in the cache. */
  private resolveControllerRef(namespace: string, ref: OwnerReference): ReplicaSet | undefined {
    if (ref.kind !== 'ReplicaSet') return undefined;
    const rs = this.rsInformer.store.getByName(namespace, ref.name);
    return rs && rs.metadata.uid === ref.uid ? rs : undefined;
  }

  /** ReplicaSets whose selector matches an orphan pod (candidates to adopt it). */
  private replicaSetsSelecting(pod: Pod): ReplicaSet[] {
    if (!pod.metadata.labels || Object.keys(pod.metadata.labels).length === 0) return [];
    return this.rsInformer.store.byIndex('namespace', pod.metadata.namespace ?? '').filter((rs) => {
      try {
        const m = selectorMatcher(rs.spec.selector);
        return !m.empty && m.matches(pod.metadata.labels);
      } catch {
        return false;
      }
    });
  }

  private addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) return this.deletePod(pod);
    const ref = getControllerOf(pod);
    if (ref) {
      const rs = this.resolveControllerRef(pod.metadata.namespace ?? '', ref);
      if (!rs) return;
      this.expectations.creationObserved(keyOf(rs));
      this.enqueue(rs);
      return;
    }
    for (const rs of this.replicaSetsSelecting(pod)) this.enqueue(rs);
  }

  private updatePod(oldPod: Pod, curPod: Pod): void {
    if (oldPod.metadata.resourceVersion === curPod.metadata.resourceVersion) return;
    const labelsChanged = JSON.stringify(oldPod.metadata.labels ?? {}) !== JSON.stringify(curPod.metadata.labels ?? {});
    if (curPod.metadata.deletionTimestamp) {
      this.deletePod(curPod);
      if (labelsChanged) this.deletePod(oldPod);
      return;
    }
    const curRef = getControllerOf(curPod);
    const oldRef = getControllerOf(oldPod);
    const refChanged = JSON.stringify(curRef ?? null) !== JSON.stringify(oldRef ?? null);
    const ns = curPod.metadata.namespace ?? '';
    if (refChanged && oldRef) {
      const old = this.resolveControllerRef(ns, oldRef);
      if (old) this.enqueue(old);
    }
    if (curRef) {
      const rs = this.resolveControllerRef(ns, curRef);
      if (!rs) return;
      this.enqueue(rs);
      // A pod that just became ready turns available minReadySeconds later: look again then.
      const minReady = rs.spec.minReadySeconds ?? 0;
      if (!isPodReady(oldPod) && isPodReady(curPod) && minReady > 0) this.queue.addAfter(keyOf(rs), minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.replicaSetsSelecting(curPod)) this.enqueue(rs);
  }

  private deletePod(pod: Pod): void {
    const ref = getControllerOf(pod);
    if (!ref) return;
    const rs = this.resolveControllerRef(pod.metadata.namespace ?? '', ref);
    if (!rs) return;
    const key = keyOf(rs);
    this.expectations.deletionObserved(key, podKey(pod));
    this.queue.add(key);
  }

  /** Pods of the ReplicaSets that share this one's controller (each pod once). */
  private relatedPods(rs: ReplicaSet): Pod[] {
    const owner = getControllerOf(rs);
    if (!owner) return [];
    const seen = new Set<string>();
    const out: Pod[] = [];
    const ns = rs.metadata.namespace ?? '';
    const pods = this.podInformer.store.byIndex('namespace', ns);
    for (const sibling of this.rsInformer.store.byIndex('namespace', ns)) {
      if (getControllerOf(sibling)?.uid !== owner.uid) continue;
      const m = selectorMatcher(sibling.spec.selector);
      for (const pod of pods) {
        if (!m.matches(pod.metadata.labels) || seen.has(pod.metadata.uid ?? '')) continue;
        seen.add(pod.metadata.uid ?? '');
        out.push(pod);
      }
    }
    return out;
  }

  /** Claims the active pods of the namespace for `rs` (adopting orphans, releasing strays). */
  private claimPods(rs: ReplicaSet, pods: Pod[], matches: (p: Pod) => boolean): Promise<Pod[]> {
    const client = this.ctx.client;
    return claimObjects<Pod>({
      controller: rs, controllerKind: REPLICASET_KIND, objectKind: 'Pod', match: (p) => matches(p),
      patch: async (pod, body) => { await client.pods.patch(pod.metadata.name!, body, { namespace: pod.metadata.namespace, type: 'strategic' }); },
      canAdopt: recheckDeletion(rs, 'ReplicaSet', () => client.replicaSets.get(rs.metadata.name!, rs.metadata.namespace) as Promise<ReplicaSet>),
    }, pods);
  }

  /** Reconciles one ReplicaSet by key. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const rs = this.rsInformer.store.getByName(namespace, name);
    if (!rs) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    let selector;
    try {
      selector = selectorMatcher(rs.spec.selector);
    } catch {
      return; // An invalid selector cannot be acted on; a spec change will bring the key back.
    }
    const active = this.podInformer.store.byIndex('namespace', namespace).filter(isPodActive);
    const pods = await this.claimPods(rs, active, (p) => selector.matches(p.metadata.labels));
    let manageError: unknown;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      try {
        await manageReplicas(this.deps, rs, pods);
      } catch (e) {
        manageError = e;
      }
    }
    const status = calculateRSStatus(rs, pods, manageError, this.ctx.clock());
    const updated = await writeRSStatus(this.ctx.client, rs, status);
    const want = updated.spec.replicas ?? 0;
    const minReady = updated.spec.minReadySeconds ?? 0;
    if (!manageError && minReady > 0 && (updated.status?.readyReplicas ?? 0) === want && (updated.status?.availableReplicas ?? 0) !== want) {
      this.queue.addAfter(key, minReady * 1000);
    }
    if (manageError) throw manageError;
  }
}
