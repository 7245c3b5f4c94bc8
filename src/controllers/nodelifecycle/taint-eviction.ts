/**
 * The taint eviction controller (upstream pkg/controller/tainteviction): pods on a node with
 * NoExecute taints they do not tolerate are deleted at once; pods that tolerate them for a
 * limited time (tolerationSeconds) are deleted when the shortest such time has passed since
 * the taint was seen; a pod that tolerates them forever stays. Before deleting it marks the pod
 * with a DisruptionTarget condition, and it records TaintManagerEviction events when it marks
 * a pod for deletion or cancels that.
 */
import type { SharedInformer } from '../../client/cache/informer.js';
import type { EventRecorder } from '../../client/events.js';
import { isNotFound } from '../../client/errors.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/object.js';
import { DISRUPTION_TARGET } from './constants.js';
import { patchPodCondition, updatePodCondition, type PodCondition } from './pod-conditions.js';
import { matchingTolerations, minTolerationMs, noExecuteTaints, type Taint, type Toleration } from './taints.js';

/** The index of pods by the node they are bound to. */
export const POD_NODE_INDEX = 'spec.nodeName';

/** Indexes a pod store by spec.nodeName (idempotent). */
export function indexPodsByNode(pods: SharedInformer): void {
  pods.store.addIndex(POD_NODE_INDEX, (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
}

/** A scheduled deletion; `timer` is undefined once it ran successfully (the key then blocks new work). */
interface Work {
  createdAt: number;
  fireAt: number;
  timer?: NodeJS.Timeout;
}

const RETRIES = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const podKey = (p: KubeObject) => `${p.metadata.namespace}/${p.metadata.name}`;

/** The taint eviction controller. */
export class TaintEvictionController {
  private readonly taintedNodes = new Map<string, Taint[]>();
  private readonly work = new Map<string, Work>();
  private readonly nodeQueue = new Set<string>();
  private readonly podQueue = new Map<string, string>();
  private running = false;
  private draining = false;

  constructor(
    private readonly client: KubeClient,
    private readonly recorder: EventRecorder,
    private readonly pods: SharedInformer,
    private readonly nodes: SharedInformer,
    private readonly clock: () => number,
    private readonly log: (m: string) => void,
  ) {
    indexPodsByNode(pods);
    pods.addEventHandler({
      onAdd: (p) => this.podUpdated(undefined, p),
      onUpdate: (o, p) => this.podUpdated(o, p),
      onDelete: (p) => this.podUpdated(p, undefined),
    });
    nodes.addEventHandler({
      onAdd: (n) => this.nodeUpdated(undefined, n),
      onUpdate: (o, n) => this.nodeUpdated(o, n),
      onDelete: (n) => this.nodeUpdated(n, undefined),
    });
  }

  /** Processes changes once both informers synced, until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([this.pods.waitForSync(signal), this.nodes.waitForSync(signal)]);
    if (signal.aborted) return;
    this.running = true;
    signal.addEventListener('abort', () => {
      this.running = false;
      for (const w of this.work.values()) clearTimeout(w.timer);
      this.work.clear();
    }, { once: true });
    this.drain();
  }

  /** The deletions scheduled now: pod key → when it fires (ms). */
  scheduled(): Map<string, number> {
    return new Map([...this.work].filter(([, w]) => w.timer).map(([k, w]) => [k, w.fireAt]));
  }

  private podUpdated(old: KubeObject | undefined, pod: KubeObject | undefined): void {
    const any = (pod ?? old)!;
    if (old && pod && JSON.stringify(old.spec?.tolerations ?? []) === JSON.stringify(pod.spec?.tolerations ?? []) && old.spec?.nodeName === pod.spec?.nodeName) return;
    this.podQueue.set(podKey(any), any.spec?.nodeName ?? '');
    this.drain();
  }

  private nodeUpdated(old: KubeObject | undefined, node: KubeObject | undefined): void {
    const any = (node ?? old)!;
    if (old && node && JSON.stringify(noExecuteTaints(old.spec?.taints)) === JSON.stringify(noExecuteTaints(node.spec?.taints))) return;
    this.nodeQueue.add(any.metadata.name as string);
    this.drain();
  }

  /** Handles queued node changes before queued pod changes, on a later turn of the event loop. */
  private drain(): void {
    if (!this.running || this.draining) return;
    this.draining = true;
    setImmediate(() => {
      this.draining = false;
      if (!this.running) return;
      for (const name of [...this.nodeQueue]) {
        this.nodeQueue.delete(name);
        this.handleNode(name);
      }
      for (const [key, nodeName] of [...this.podQueue]) {
        this.podQueue.delete(key);
        this.handlePod(key, nodeName);
      }
    });
  }

  private handleNode(name: string): void {
    const node = this.nodes.store.get(name);
    if (!node) {
      this.taintedNodes.delete(name);
      return;
    }
    const taints = noExecuteTaints(node.spec?.taints);
    if (taints.length === 0) this.taintedNodes.delete(name);
    else this.taintedNodes.set(name, taints);
    const pods = this.pods.store.byIndex(POD_NODE_INDEX, name);
    if (pods.length === 0) return;
    if (taints.length === 0) {
      for (const p of pods) this.cancel(p.metadata.namespace as string, p.metadata.name as string);
      return;
    }
    const now = this.clock();
    for (const p of pods) this.processPod(p, taints, now);
  }

  private handlePod(key: string, nodeName: string): void {
    const slash = key.indexOf('/');
    const [namespace, name] = [key.slice(0, slash), key.slice(slash + 1)];
    const pod = this.pods.store.get(key);
    if (!pod) {
      this.cancel(namespace, name);
      return;
    }
    if ((pod.spec?.nodeName ?? '') !== nodeName || !nodeName) return;
    const taints = this.taintedNodes.get(nodeName);
    if (!taints) return;
    this.processPod(pod, taints, this.clock());
  }

  /** Decides, for one pod on a tainted node, whether and when it is deleted. */
  private processPod(pod: KubeObject, taints: Taint[], now: number): void {
    const ns = pod.metadata.namespace as string;
    const name = pod.metadata.name as string;
    if (taints.length === 0) this.cancel(ns, name);
    const { all, used } = matchingTolerations(taints, (pod.spec?.tolerations ?? []) as Toleration[]);
    if (!all) {
      this.cancel(ns, name);
      this.add(ns, name, now, now);
      return;
    }
    const min = minTolerationMs(used);
    if (min < 0) {
      this.cancel(ns, name);
      return;
    }
    let start = now;
    const existing = this.work.get(`${ns}/${name}`);
    if (existing?.timer) {
      start = existing.createdAt;
      if (start + min < now + min) return;
      this.cancel(ns, name);
    }
    this.add(ns, name, start, now + min);
  }

  private add(namespace: string, name: string, createdAt: number, fireAt: number): void {
    const key = `${namespace}/${name}`;
    if (this.work.has(key)) return;
    const w: Work = { createdAt, fireAt };
    w.timer = setTimeout(() => void this.evict(namespace, name, w), Math.max(0, fireAt - this.clock()));
    this.work.set(key, w);
  }

  /** Cancels a scheduled deletion, recording that when one was pending. */
  private cancel(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const w = this.work.get(key);
    if (!w) return;
    this.work.delete(key);
    if (!w.timer) return;
    clearTimeout(w.timer);
    this.recorder.event(podRef(namespace, name), 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
  }

  private async evict(namespace: string, name: string, w: Work): Promise<void> {
    const key = `${namespace}/${name}`;
    if (this.work.get(key) !== w || !this.running) return;
    this.recorder.event(podRef(namespace, name), 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    let error: unknown;
    for (let i = 0; i < RETRIES; i++) {
      try {
        await this.markAndDelete(namespace, name);
        error = undefined;
        break;
      } catch (err) {
        error = err;
        await sleep(10);
      }
    }
    if (this.work.get(key) !== w) return;
    if (error === undefined) w.timer = undefined;
    else {
      this.work.delete(key);
      if (!isNotFound(error)) this.log(`taint eviction of pod ${key} failed: ${(error as Error)?.message ?? error}`);
    }
  }

  /** Adds the DisruptionTarget condition (when not there yet) and deletes the pod. */
  private async markAndDelete(namespace: string, name: string): Promise<void> {
    const pod = await this.client.pods.get(name, namespace);
    const conditions: PodCondition[] = structuredClone(pod.status?.conditions ?? []);
    if (updatePodCondition(conditions, DISRUPTION_TARGET, this.clock())) {
      await patchPodCondition(this.client, pod, conditions.find((c) => c.type === DISRUPTION_TARGET.type)!);
    }
    await this.client.pods.delete(name, { namespace });
  }
}

/** The reference upstream's taint eviction events carry: apiVersion, kind, namespace and name only. */
function podRef(namespace: string, name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace } };
}
