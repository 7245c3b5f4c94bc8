/**
 * The node lifecycle controller (upstream pkg/controller/nodelifecycle): watches node health by
 * status heartbeats and Leases; marks a silent node's conditions Unknown and its pods not ready;
 * taints nodes NoSchedule by their conditions, and NoExecute (unreachable / not-ready, at a rate
 * limited per zone) when they stay unhealthy, so that the taint eviction controller evicts
 * their pods; lifts the NoExecute taints when the node is healthy again or when a whole cluster
 * is disrupted; keeps the beta OS/arch labels in step.
 */
import type { SharedInformer } from '../../client/cache/informer.js';
import type { EventRecorder } from '../../client/events.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/object.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import { CONDITION_TAINT_KEYS, CONDITION_TAINTS, LABEL_EXCLUDE_DISRUPTION, NODE_EVICTION_PERIOD_MS, NODE_HEALTH_UPDATE_RETRY, NODE_UPDATE_WORKERS, TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE, type NodeLifecycleSettings } from './constants.js';
import { checkNodeHealth, nodeCondition, type NodeCondition, type NodeHealth } from './health.js';
import { markPodsNotReady } from './pod-conditions.js';
import { POD_NODE_INDEX, indexPodsByNode } from './taint-eviction.js';
import { swapNodeTaints, taintExists, taintsOf, updateNodeTaints, type Taint } from './taints.js';
import { computeZoneState, RateLimitedTimedQueue, zoneKey, type ZoneState } from './zones.js';

const UNREACHABLE_NO_EXECUTE: Taint = { key: TAINT_UNREACHABLE, effect: 'NoExecute' };
const NOT_READY_NO_EXECUTE: Taint = { key: TAINT_NOT_READY, effect: 'NoExecute' };
/** Stable and beta label keys kept in step (the stable one wins). */
const LABEL_PAIRS = [['kubernetes.io/os', 'beta.kubernetes.io/os'], ['kubernetes.io/arch', 'beta.kubernetes.io/arch']];

/** Waits `ms` or until `signal` aborts, leaving no listener behind. */
const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  const done = () => {
    clearTimeout(t);
    signal.removeEventListener('abort', done);
    resolve();
  };
  const t = setTimeout(done, ms);
  signal.addEventListener('abort', done, { once: true });
});

/** What the controller works with. */
export interface NodeLifecycleDeps {
  client: KubeClient;
  recorder: EventRecorder;
  nodes: SharedInformer;
  pods: SharedInformer;
  leases: SharedInformer;
  settings: NodeLifecycleSettings;
  clock: () => number;
  log: (m: string) => void;
}

/** The node lifecycle controller. */
export class NodeLifecycleController {
  private readonly known = new Map<string, KubeObject>();
  private readonly healths = new Map<string, NodeHealth>();
  private readonly zoneStates = new Map<string, ZoneState>();
  private readonly tainters = new Map<string, RateLimitedTimedQueue>();
  private readonly nodesToRetry = new Set<string>();
  private readonly nodeQueue = new WorkQueue({ name: 'node_lifecycle_controller' });
  private readonly podQueue = new WorkQueue({ name: 'node_lifecycle_controller_pods' });
  private taintingBusy = false;

  constructor(private readonly d: NodeLifecycleDeps) {
    indexPodsByNode(d.pods);
    d.pods.addEventHandler({
      onAdd: (p) => this.podUpdated(undefined, p),
      onUpdate: (o, p) => this.podUpdated(o, p),
    });
    d.nodes.addEventHandler({
      onAdd: (n) => this.nodeQueue.add(n.metadata.name as string),
      onUpdate: (_o, n) => this.nodeQueue.add(n.metadata.name as string),
      onDelete: (n) => this.nodesToRetry.delete(n.metadata.name as string),
    });
  }

  /** Runs until `signal` aborts (after the informers synced). */
  async run(signal: AbortSignal): Promise<void> {
    let tainting: NodeJS.Timeout | undefined;
    signal.addEventListener('abort', () => {
      this.nodeQueue.shutDown();
      this.podQueue.shutDown();
      clearInterval(tainting);
    }, { once: true });
    await Promise.all([this.d.nodes.waitForSync(signal), this.d.pods.waitForSync(signal), this.d.leases.waitForSync(signal)]);
    if (signal.aborted) return;
    const workers = [
      runWorkers(this.nodeQueue, NODE_UPDATE_WORKERS, (name) => this.processNode(name), signal),
      runWorkers(this.podQueue, 4, (key) => this.processPod(key), signal),
    ];
    tainting = setInterval(() => void this.noExecuteTaintingPass(), NODE_EVICTION_PERIOD_MS);
    while (!signal.aborted) {
      try {
        await this.monitorNodeHealth();
      } catch (err) {
        this.d.log(`node lifecycle: error monitoring node health: ${(err as Error)?.message ?? err}`);
      }
      await sleep(this.d.settings.monitorPeriodMs, signal);
    }
    await Promise.all(workers);
  }

  /** One health pass over every node (upstream's monitorNodeHealth). */
  async monitorNodeHealth(): Promise<void> {
    const nodes = this.d.nodes.store.list();
    const { added, deleted, newZones } = this.classify(nodes);
    for (const n of newZones) this.addZone(n);
    for (const n of added) {
      this.nodeEvent(n, 'RegisteredNode', `Registered Node ${n.metadata.name} in Controller`);
      this.known.set(n.metadata.name as string, n);
      this.addZone(n);
      await this.markReachable(n);
    }
    for (const n of deleted) {
      this.nodeEvent(n, 'RemovingNode', `Removing Node ${n.metadata.name} from Controller`);
      this.known.delete(n.metadata.name as string);
    }
    const zoneConditions = new Map<string, (NodeCondition | undefined)[]>();
    let next = 0;
    const worker = async () => {
      while (next < nodes.length) await this.updateNode(nodes[next++], zoneConditions);
    };
    await Promise.all(Array.from({ length: Math.min(NODE_UPDATE_WORKERS, nodes.length) }, worker));
    await this.handleDisruption(zoneConditions, nodes);
  }

  private classify(all: KubeObject[]): { added: KubeObject[]; deleted: KubeObject[]; newZones: KubeObject[] } {
    const added: KubeObject[] = [];
    const newZones: KubeObject[] = [];
    const names = new Set<string>();
    for (const n of all) {
      names.add(n.metadata.name as string);
      if (!this.known.has(n.metadata.name as string)) added.push(n);
      else if (!this.zoneStates.has(zoneKey(n))) newZones.push(n);
    }
    const deleted = [...this.known.values()].filter((n) => !names.has(n.metadata.name as string));
    return { added, deleted, newZones };
  }

  private addZone(node: KubeObject): void {
    const zone = zoneKey(node);
    if (this.zoneStates.has(zone)) return;
    this.zoneStates.set(zone, 'Initial');
    if (!this.tainters.has(zone)) this.tainters.set(zone, new RateLimitedTimedQueue(this.d.settings.evictionRate, this.d.clock));
  }

  private tainter(node: KubeObject): RateLimitedTimedQueue {
    const zone = zoneKey(node);
    let t = this.tainters.get(zone);
    if (!t) this.tainters.set(zone, (t = new RateLimitedTimedQueue(this.d.settings.evictionRate, this.d.clock)));
    return t;
  }

  /** Checks one node's health, writes Unknown conditions when due, taints or untaints it, marks its pods. */
  private async updateNode(cached: KubeObject, zoneConditions: Map<string, (NodeCondition | undefined)[]>): Promise<void> {
    const name = cached.metadata.name as string;
    let node = cached;
    let check: ReturnType<typeof checkNodeHealth> | undefined;
    for (let attempt = 0; attempt < NODE_HEALTH_UPDATE_RETRY && !check; attempt++) {
      const c = checkNodeHealth(node, this.healths.get(name), this.d.leases.store.get(`kube-node-lease/${name}`), this.d.clock(), this.d.settings.gracePeriodMs, this.d.settings.startupGracePeriodMs);
      this.healths.set(name, c.health);
      if (!c.toWrite) { check = c; break; }
      try {
        node = await this.d.client.nodes.updateStatus(c.toWrite);
        this.healths.set(name, c.afterWrite!);
        check = c;
      } catch (err) {
        this.d.log(`node lifecycle: error updating node ${name}: ${(err as Error)?.message ?? err}`);
        try {
          node = await this.d.client.nodes.get(name);
        } catch {
          return;
        }
      }
    }
    if (!check) {
      this.d.log(`node lifecycle: could not update the health of node ${name}; no pods will be evicted`);
      return;
    }
    if (!(node.metadata.labels ?? {})[LABEL_EXCLUDE_DISRUPTION]) {
      const zone = zoneKey(node);
      zoneConditions.set(zone, [...(zoneConditions.get(zone) ?? []), check.currentReady]);
    }
    if (check.currentReady) {
      await this.taintBasedEviction(node, check.observedReady);
      const wasReady = check.observedReady.status === 'True';
      const retry = this.nodesToRetry.has(name);
      if ((check.currentReady.status !== 'True' && wasReady) || (retry && !wasReady)) {
        if (check.currentReady.status !== 'True' && wasReady) this.nodeEvent(node, 'NodeNotReady', `Node ${name} status is now: NodeNotReady`, true);
        try {
          await markPodsNotReady(this.d.client, this.d.recorder, this.d.pods.store.byIndex(POD_NODE_INDEX, name), name, this.d.clock());
        } catch (err) {
          this.d.log(`node lifecycle: ${(err as Error)?.message ?? err}; queuing for retry`);
          this.nodesToRetry.add(name);
          return;
        }
      }
    }
    this.nodesToRetry.delete(name);
  }

  /** Queues an unhealthy node for a NoExecute taint, swaps the two taints, or lifts them (processTaintBaseEviction). */
  private async taintBasedEviction(node: KubeObject, observed: NodeCondition): Promise<void> {
    const taints = taintsOf(node);
    const now = this.d.clock();
    if (observed.status === 'False') {
      if (taintExists(taints, UNREACHABLE_NO_EXECUTE)) await swapNodeTaints(this.d.client, node, [NOT_READY_NO_EXECUTE], [UNREACHABLE_NO_EXECUTE], now, this.d.log);
      else this.markForTainting(node, 'False');
    } else if (observed.status === 'Unknown') {
      if (taintExists(taints, NOT_READY_NO_EXECUTE)) await swapNodeTaints(this.d.client, node, [UNREACHABLE_NO_EXECUTE], [NOT_READY_NO_EXECUTE], now, this.d.log);
      else this.markForTainting(node, 'Unknown');
    } else if (observed.status === 'True') {
      await this.markReachable(node);
    }
  }

  private markForTainting(node: KubeObject, status: 'False' | 'Unknown'): boolean {
    const t = this.tainter(node);
    const taints = taintsOf(node);
    const name = node.metadata.name as string;
    if (status === 'False' && !taintExists(taints, NOT_READY_NO_EXECUTE)) t.remove(name);
    if (status === 'Unknown' && !taintExists(taints, UNREACHABLE_NO_EXECUTE)) t.remove(name);
    return t.add(name, node.metadata.uid as string);
  }

  /** Lifts the unreachable and not-ready NoExecute taints and drops the node from the tainting queue. */
  private async markReachable(node: KubeObject): Promise<boolean> {
    try {
      await updateNodeTaints(this.d.client, node.metadata.name as string, node, (ts) => ts.filter((t) => !taintExists([UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE], t)));
    } catch (err) {
      this.d.log(`node lifecycle: failed to remove taints from node ${node.metadata.name}: ${(err as Error)?.message ?? err}`);
      return false;
    }
    return this.tainter(node).remove(node.metadata.name as string);
  }

  /** Adds the NoExecute taint matching each queued node's Ready condition, as fast as its zone allows. */
  private async noExecuteTaintingPass(): Promise<void> {
    if (this.taintingBusy) return;
    this.taintingBusy = true;
    try {
      for (const t of [...this.tainters.values()]) {
        await t.try(async (name) => {
          const node = this.d.nodes.store.get(name);
          if (!node) return { done: true, retryAfterMs: 0 };
          const ready = nodeCondition(node.status, 'Ready');
          if (!ready) return { done: false, retryAfterMs: 50 };
          if (ready.status !== 'False' && ready.status !== 'Unknown') return { done: true, retryAfterMs: 0 };
          const [add, remove] = ready.status === 'False' ? [NOT_READY_NO_EXECUTE, UNREACHABLE_NO_EXECUTE] : [UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE];
          return { done: await swapNodeTaints(this.d.client, node, [add], [remove], this.d.clock(), this.d.log), retryAfterMs: 0 };
        });
      }
    } finally {
      this.taintingBusy = false;
    }
  }

  /** Zone states and eviction rates from this pass's Ready conditions (upstream's handleDisruption). */
  private async handleDisruption(zoneConditions: Map<string, (NodeCondition | undefined)[]>, nodes: KubeObject[]): Promise<void> {
    const s = this.d.settings;
    const newStates = new Map<string, ZoneState>();
    let allAreFully = true;
    for (const [zone, conds] of zoneConditions) {
      const { state } = computeZoneState(conds, s.unhealthyZoneThreshold);
      if (state !== 'FullDisruption') allAreFully = false;
      newStates.set(zone, state);
      if (!this.zoneStates.has(zone)) this.zoneStates.set(zone, 'Initial');
    }
    let allWereFully = true;
    for (const [zone, state] of [...this.zoneStates]) {
      if (!zoneConditions.has(zone)) {
        this.zoneStates.delete(zone);
        continue;
      }
      if (state !== 'FullDisruption') {
        allWereFully = false;
        break;
      }
    }
    if (allAreFully && allWereFully) return;
    if (allAreFully) {
      this.d.log('node lifecycle: all nodes are not ready; entering master disruption mode');
      for (const n of nodes) await this.markReachable(n);
      for (const zone of this.zoneStates.keys()) {
        this.tainters.get(zone)?.swapLimiter(0);
        this.zoneStates.set(zone, 'FullDisruption');
      }
      return;
    }
    if (allWereFully) {
      this.d.log('node lifecycle: some nodes are ready; exiting master disruption mode');
      const now = this.d.clock();
      for (const n of nodes) {
        const h = this.healths.get(n.metadata.name as string);
        if (h) this.healths.set(n.metadata.name as string, { ...h, probeTimestamp: now, readyTransitionTimestamp: now });
      }
    }
    for (const [zone, state] of [...this.zoneStates]) {
      const next = newStates.get(zone);
      if (next === undefined || (!allWereFully && state === next)) continue;
      this.setZoneLimiter(zone, zoneConditions.get(zone)?.length ?? 0, next);
      this.zoneStates.set(zone, next);
    }
  }

  private setZoneLimiter(zone: string, size: number, state: ZoneState): void {
    const s = this.d.settings;
    const t = this.tainters.get(zone);
    if (state === 'Normal' || state === 'FullDisruption') t?.swapLimiter(s.evictionRate);
    else if (state === 'PartialDisruption') t?.swapLimiter(size > s.largeClusterThreshold ? s.secondaryEvictionRate : 0);
  }

  /** NoSchedule taints from the node's conditions and spec.unschedulable, then the beta labels. */
  private async processNode(name: string): Promise<void> {
    const node = this.d.nodes.store.get(name);
    if (!node) return;
    const want: Taint[] = [];
    for (const c of node.status?.conditions ?? []) {
      const key = CONDITION_TAINTS[c?.type]?.[c?.status];
      if (key) want.push({ key, effect: 'NoSchedule' });
    }
    if (node.spec?.unschedulable) want.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
    const have = taintsOf(node).filter((t) => t.effect === 'NoSchedule' && (t.key === TAINT_UNSCHEDULABLE || CONDITION_TAINT_KEYS.has(t.key)));
    const add = want.filter((t) => !taintExists(have, t));
    const remove = have.filter((t) => !taintExists(want, t));
    if (add.length || remove.length) {
      if (!(await swapNodeTaints(this.d.client, node, add, remove, this.d.clock(), this.d.log))) throw new Error(`failed to swap taints of node ${name}`);
    }
    await this.reconcileLabels(node);
  }

  private async reconcileLabels(node: KubeObject): Promise<void> {
    const labels = node.metadata.labels;
    if (!labels) return;
    const patch: Record<string, string> = {};
    for (const [primary, secondary] of LABEL_PAIRS) {
      if (primary in labels && labels[secondary] !== labels[primary]) patch[secondary] = labels[primary];
    }
    if (Object.keys(patch).length) await this.d.client.nodes.patch(node.metadata.name as string, { metadata: { labels: patch } });
  }

  private podUpdated(old: KubeObject | undefined, pod: KubeObject): void {
    const nodeName = pod.spec?.nodeName;
    if (nodeName && (!old || old.spec?.nodeName !== nodeName)) this.podQueue.add(`${pod.metadata.namespace}/${pod.metadata.name}`);
  }

  /** A pod newly bound to a node that is not ready is marked not ready too. */
  private async processPod(key: string): Promise<void> {
    const pod = this.d.pods.store.get(key);
    if (!pod) return;
    const nodeName = pod.spec?.nodeName as string;
    const health = this.healths.get(nodeName);
    if (!health) return;
    if (!this.d.nodes.store.get(nodeName)) throw new Error(`node ${nodeName} of pod ${key} is not known yet`);
    const ready = nodeCondition(health.status, 'Ready');
    if (!ready || ready.status === 'True') return;
    await markPodsNotReady(this.d.client, this.d.recorder, [pod], nodeName, this.d.clock());
  }

  /** Records an event about a node (`Node <name> event: <text>`, or the status text as given). */
  private nodeEvent(node: KubeObject, reason: string, text: string, statusChange = false): void {
    const ref: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: node.metadata.name, uid: node.metadata.uid } };
    this.d.recorder.event(ref, 'Normal', reason, statusChange ? text : `Node ${node.metadata.name} event: ${text}`);
  }
}
