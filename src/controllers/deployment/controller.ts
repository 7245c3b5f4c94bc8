import {
  DEPLOYMENTS, PODS, REPLICASETS, WorkQueue, runWorkers, type EventRecorder, type SharedInformer,
} from '../../client/index.js';
import type { ControllerContext } from '../context.js';
import { claimObjects, recheckDeletion } from '../util/claim.js';
import { errorText, hasStatusCause, NAMESPACE_TERMINATING_CAUSE } from '../util/errors.js';
import { getControllerOf } from '../util/owner-refs.js';
import { reportSyncError } from '../util/report.js';
import { selectorMatcher, type SelectorMatcher } from '../util/selector.js';
import { keyOf, splitKey, type Deployment, type OwnerReference, type Pod, type ReplicaSet } from '../util/types.js';
import { COMPONENT, DEPLOYMENT_KIND, MAX_RETRIES } from './constants.js';
import type { DeploymentDeps, PodMap } from './deps.js';
import { refuseSelectingAll, selectsEverything, syncDeploymentObject } from './sync-deployment.js';

/** Tunables of {@link DeploymentController}. */
export interface DeploymentControllerOptions {
  /** Concurrent syncs (upstream: 5). */
  workers?: number;
}

/**
 * The Deployment controller: owns ReplicaSets by selector and controller reference, rolls pod
 * template changes out (RollingUpdate or Recreate), scales proportionally, keeps revision history,
 * and reports rollout status and conditions.
 */
export class DeploymentController {
  readonly queue = new WorkQueue({ name: 'deployment' });
  private readonly dInformer: SharedInformer<Deployment>;
  private readonly rsInformer: SharedInformer<ReplicaSet>;
  private readonly podInformer: SharedInformer<Pod>;
  private readonly recorder: EventRecorder;
  private readonly deps: DeploymentDeps;

  constructor(private readonly ctx: ControllerContext, private readonly opts: DeploymentControllerOptions = {}) {
    this.dInformer = ctx.informers.informer<Deployment>(DEPLOYMENTS);
    this.rsInformer = ctx.informers.informer<ReplicaSet>(REPLICASETS);
    this.podInformer = ctx.informers.informer<Pod>(PODS);
    this.recorder = ctx.recorder(COMPONENT);
    this.deps = this.makeDeps();
    this.dInformer.addEventHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (d) => this.enqueue(d),
    });
    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.addReplicaSet(rs),
      onUpdate: (oldRS, curRS) => this.updateReplicaSet(oldRS, curRS),
      onDelete: (rs) => this.deleteReplicaSet(rs),
    });
    this.podInformer.addEventHandler({ onDelete: (pod) => this.deletePod(pod) });
  }

  private makeDeps(): DeploymentDeps {
    const client = this.ctx.client;
    const asDeployment = (d: Deployment) => ({ ...d, apiVersion: 'apps/v1', kind: 'Deployment' });
    return {
      now: this.ctx.clock,
      event: (d, type, reason, message) => this.recorder.event(asDeployment(d), type, reason, message),
      createReplicaSet: (rs) => client.replicaSets.create(rs, { namespace: rs.metadata.namespace }) as Promise<ReplicaSet>,
      updateReplicaSet: (rs) => client.replicaSets.update(rs) as Promise<ReplicaSet>,
      deleteReplicaSet: async (namespace, name) => { await client.replicaSets.delete(name, { namespace }); },
      cachedReplicaSet: (namespace, name) => this.rsInformer.store.getByName(namespace, name),
      updateDeployment: (d) => client.deployments.update(asDeployment(d)) as Promise<Deployment>,
      updateDeploymentStatus: (d) => client.deployments.updateStatus(asDeployment(d)) as Promise<Deployment>,
      enqueueAfter: (d, ms) => this.queue.addAfter(keyOf(d), ms),
      enqueueRateLimited: (d) => this.queue.addRateLimited(keyOf(d)),
    };
  }

  /** Waits for the caches, then runs the workers until the context's signal aborts. */
  async run(): Promise<void> {
    const signal = this.ctx.signal;
    await Promise.all([this.dInformer, this.rsInformer, this.podInformer].map((i) => i.waitForSync(signal)));
    if (signal.aborted) return;
    await runWorkers(this.queue, this.opts.workers ?? 5, (key) => this.syncWithRetryLimit(key), signal, reportSyncError('deployment'));
  }

  private enqueue(d: Deployment): void {
    this.queue.add(keyOf(d));
  }

  /** The Deployment a controller reference names, if it is the one in the cache. */
  private resolveControllerRef(namespace: string, ref: OwnerReference): Deployment | undefined {
    if (ref.kind !== 'Deployment') return undefined;
    const d = this.dInformer.store.getByName(namespace, ref.name);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  /** Deployments whose selector matches an orphan ReplicaSet's labels. */
  private deploymentsSelecting(rs: ReplicaSet): Deployment[] {
    if (!rs.metadata.labels || Object.keys(rs.metadata.labels).length === 0) return [];
    return this.dInformer.store.byIndex('namespace', rs.metadata.namespace ?? '').filter((d) => {
      try {
        const m = selectorMatcher(d.spec.selector);
        return !m.empty && m.matches(rs.metadata.labels);
      } catch {
        return false;
      }
    });
  }

  private addReplicaSet(rs: ReplicaSet): void {
    if (rs.metadata.deletionTimestamp) return this.deleteReplicaSet(rs);
    const ref = getControllerOf(rs);
    if (ref) {
      const d = this.resolveControllerRef(rs.metadata.namespace ?? '', ref);
      if (d) this.enqueue(d);
      return;
    }
    for (const d of this.deploymentsSelecting(rs)) this.enqueue(d);
  }

  private updateReplicaSet(oldRS: ReplicaSet, curRS: ReplicaSet): void {
    if (oldRS.metadata.resourceVersion === curRS.metadata.resourceVersion) return;
    const curRef = getControllerOf(curRS);
    const oldRef = getControllerOf(oldRS);
    const refChanged = JSON.stringify(curRef ?? null) !== JSON.stringify(oldRef ?? null);
    const ns = curRS.metadata.namespace ?? '';
    if (refChanged && oldRef) {
      const d = this.resolveControllerRef(ns, oldRef);
      if (d) this.enqueue(d);
    }
    if (curRef) {
      const d = this.resolveControllerRef(ns, curRef);
      if (d) this.enqueue(d);
      return;
    }
    const labelsChanged = JSON.stringify(curRS.metadata.labels ?? {}) !== JSON.stringify(oldRS.metadata.labels ?? {});
    if (labelsChanged || refChanged) for (const d of this.deploymentsSelecting(curRS)) this.enqueue(d);
  }

  private deleteReplicaSet(rs: ReplicaSet): void {
    const ref = getControllerOf(rs);
    if (!ref) return;
    const d = this.resolveControllerRef(rs.metadata.namespace ?? '', ref);
    if (d) this.enqueue(d);
  }

  /** A Recreate Deployment waits for its old pods to go: sync it when the last one is deleted. */
  private deletePod(pod: Pod): void {
    const ns = pod.metadata.namespace ?? '';
    const rsRef = getControllerOf(pod);
    if (!rsRef || rsRef.kind !== 'ReplicaSet') return;
    const rs = this.rsInformer.store.getByName(ns, rsRef.name);
    if (!rs || rs.metadata.uid !== rsRef.uid) return;
    const dRef = getControllerOf(rs);
    const d = dRef && this.resolveControllerRef(ns, dRef);
    if (!d || d.spec.strategy?.type !== 'Recreate') return;
    const owned = this.rsInformer.store.byIndex('namespace', ns).filter((r) => getControllerOf(r)?.uid === d.metadata.uid);
    let podMap: PodMap;
    try {
      podMap = this.podMapFor(d, owned, selectorMatcher(d.spec.selector));
    } catch {
      return;
    }
    let count = 0;
    for (const pods of podMap.values()) count += pods.length;
    if (count === 0) this.enqueue(d);
  }

  /** Upstream's handleErr: retry a failing key up to 15 times, then drop it until the next change. */
  private async syncWithRetryLimit(key: string): Promise<void> {
    try {
      await this.sync(key);
    } catch (e) {
      if (hasStatusCause(e, NAMESPACE_TERMINATING_CAUSE)) return;
      if (this.queue.numRequeues(key) < MAX_RETRIES) throw e;
      process.emitWarning(`dropping deployment "${key}" out of the queue: ${(e as Error)?.message ?? e}`, 'ControllerWarning');
    }
  }

  /** Claims ReplicaSets of the namespace for `d`: adopts matching orphans, releases strays. */
  private claimReplicaSets(d: Deployment, selector: SelectorMatcher): Promise<ReplicaSet[]> {
    const client = this.ctx.client;
    const all = this.rsInformer.store.byIndex('namespace', d.metadata.namespace ?? '');
    return claimObjects<ReplicaSet>({
      controller: d, controllerKind: DEPLOYMENT_KIND, objectKind: 'ReplicaSet', match: (rs) => selector.matches(rs.metadata.labels),
      patch: async (rs, body) => { await client.replicaSets.patch(rs.metadata.name!, body, { namespace: rs.metadata.namespace, type: 'strategic' }); },
      canAdopt: recheckDeletion(d, 'Deployment', () => client.deployments.get(d.metadata.name!, d.metadata.namespace) as Promise<Deployment>),
    }, all);
  }

  /** The Deployment's pods (all phases) grouped by owning ReplicaSet uid. */
  private podMapFor(d: Deployment, rsList: ReplicaSet[], selector: SelectorMatcher): PodMap {
    const map: PodMap = new Map(rsList.map((rs) => [rs.metadata.uid ?? '', []]));
    for (const pod of this.podInformer.store.byIndex('namespace', d.metadata.namespace ?? '')) {
      if (!selector.matches(pod.metadata.labels)) continue;
      const ref = getControllerOf(pod);
      if (ref && map.has(ref.uid)) map.get(ref.uid)!.push(pod);
    }
    return map;
  }

  /** Reconciles one Deployment by key. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.dInformer.store.getByName(namespace, name);
    if (!cached) return;
    const d = structuredClone(cached);
    if (selectsEverything(d)) return refuseSelectingAll(this.deps, d);
    let selector: SelectorMatcher;
    try {
      selector = selectorMatcher(d.spec.selector);
    } catch (e) {
      throw new Error(`deployment ${namespace}/${name} has invalid label selector: ${errorText(e)}`);
    }
    const rsList = await this.claimReplicaSets(d, selector);
    await syncDeploymentObject(this.deps, d, rsList, this.podMapFor(d, rsList, selector));
  }
}
