import { PodInfo, podKey, type Pod } from '../framework/pod-info.js';
import { NodeInfo, type ImageState, type Node } from './node-info.js';
import { NodeTable } from './node-table.js';

const ZONE_LABELS = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];
const REGION_LABELS = ['topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'];

/** Upstream's zone key of a node: region and zone labels ('' when neither is set). */
export function zoneKey(labels: Record<string, string>): string {
  const zone = labels[ZONE_LABELS[0]] ?? labels[ZONE_LABELS[1]] ?? '';
  const region = labels[REGION_LABELS[0]] ?? labels[REGION_LABELS[1]] ?? '';
  return region === '' && zone === '' ? '' : `${region}:\x00:${zone}`;
}

interface PodState {
  info: PodInfo;
  nodeName: string;
  assumed: boolean;
  bindingFinished: boolean;
}

/**
 * The scheduler's view of the cluster, fed by informers and by the scheduler's own assumptions:
 * a NodeInfo per node with the pods bound or assumed there. Changes are applied in place (no
 * snapshot copies): the scheduling cycle runs synchronously, so it always sees a consistent
 * state. The node list handed to the cycle is zone-interleaved like upstream's node tree and
 * rebuilt only after nodes come or go.
 */
export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  /** Rows of the nodes' hot numbers. */
  readonly table = new NodeTable();
  private readonly podStates = new Map<string, PodState>();
  private readonly images = new Map<string, ImageState>();
  private readonly imageSignatures = new Map<string, string>();
  private list: NodeInfo[] = [];
  private listSlots = new Int32Array(0);
  private listDirty = false;
  /** Bumped whenever the set of nodes changes. */
  nodeSetGeneration = 0;

  /** The nodes in scheduling order (zone-interleaved). Do not modify. */
  nodeList(): NodeInfo[] {
    if (this.listDirty) this.rebuildList();
    return this.list;
  }

  /** The table slots of {@link nodeList}'s nodes, in the same order. Do not modify. */
  nodeListSlots(): Int32Array {
    if (this.listDirty) this.rebuildList();
    return this.listSlots;
  }

  /** On how many nodes an image (by exact name) is present. */
  imageNodeCount(name: string): number {
    return this.images.get(name)?.nodes.size ?? 0;
  }

  /** Number of nodes known (with a Node object). */
  get numNodes(): number {
    return this.nodeList().length;
  }

  getNode(name: string): NodeInfo | undefined {
    const ni = this.nodes.get(name);
    return ni?.node ? ni : undefined;
  }

  addNode(node: Node): NodeInfo {
    const name = node.metadata.name ?? '';
    let ni = this.nodes.get(name);
    if (!ni) this.nodes.set(name, (ni = new NodeInfo(name, this.table)));
    const hadNode = ni.node !== null;
    const oldZone = hadNode ? zoneKey(ni.labels) : '';
    ni.setNode(node);
    this.updateImages(ni, node);
    if (!hadNode || oldZone !== zoneKey(ni.labels)) this.markListDirty();
    return ni;
  }

  updateNode(node: Node): NodeInfo {
    return this.addNode(node);
  }

  removeNode(name: string): void {
    const ni = this.nodes.get(name);
    if (!ni) return;
    this.dropImages(ni);
    if (ni.pods.size === 0) {
      this.nodes.delete(name);
      ni.release();
    } else {
      ni.node = null;
    }
    this.markListDirty();
  }

  /** Adds or confirms a bound pod seen by the informer. */
  addPod(pod: Pod): void {
    const key = podKey(pod);
    const nodeName = pod.spec?.nodeName ?? '';
    const state = this.podStates.get(key);
    if (state) this.nodeFor(state.nodeName)?.removePod(key);
    const sameUid = state && pod.metadata.uid && state.info.pod.metadata.uid === pod.metadata.uid;
    const info = sameUid ? state.info.withNewerVersion(pod) : new PodInfo(pod);
    this.nodeFor(nodeName, true)!.addPod(info);
    this.podStates.set(key, { info, nodeName, assumed: false, bindingFinished: false });
    if (state && state.nodeName !== nodeName) this.dropIfEmpty(state.nodeName);
  }

  /** Replaces a bound pod (or adds it when unknown). */
  updatePod(pod: Pod): void {
    this.addPod(pod);
  }

  /** Removes a pod (bound or assumed) from its node. */
  removePod(pod: Pod): void {
    const key = podKey(pod);
    const state = this.podStates.get(key);
    if (!state) return;
    this.podStates.delete(key);
    this.nodeFor(state.nodeName)?.removePod(key);
    this.dropIfEmpty(state.nodeName);
  }

  /** Places `info` on `nodeName` before it is bound; returns the assumed PodInfo. */
  assumePod(info: PodInfo, nodeName: string): PodInfo {
    if (this.podStates.has(info.key)) throw new Error(`pod ${info.namespace}/${info.name}(${info.key}) is in the cache, so can't be assumed`);
    const assumed = info.assumedOn(nodeName);
    this.nodeFor(nodeName, true)!.addPod(assumed);
    this.podStates.set(info.key, { info: assumed, nodeName, assumed: true, bindingFinished: false });
    return assumed;
  }

  /** Marks the binding of an assumed pod as done (it stays until the informer confirms it). */
  finishBinding(key: string): void {
    const s = this.podStates.get(key);
    if (s?.assumed) s.bindingFinished = true;
  }

  /** Undoes an assumption (binding failed). */
  forgetPod(key: string): void {
    const s = this.podStates.get(key);
    if (!s || !s.assumed) return;
    this.podStates.delete(key);
    this.nodeFor(s.nodeName)?.removePod(key);
    this.dropIfEmpty(s.nodeName);
  }

  isAssumed(key: string): boolean {
    return this.podStates.get(key)?.assumed === true;
  }

  /** The node a pod is on (bound or assumed), or undefined. */
  nodeOfPod(key: string): string | undefined {
    return this.podStates.get(key)?.nodeName;
  }

  /** Number of pods known; assumed ones are counted separately. */
  podCounts(): { pods: number; assumed: number } {
    let assumed = 0;
    for (const s of this.podStates.values()) if (s.assumed) assumed++;
    return { pods: this.podStates.size, assumed };
  }

  private nodeFor(name: string, create = false): NodeInfo | undefined {
    let ni = this.nodes.get(name);
    if (!ni && create) this.nodes.set(name, (ni = new NodeInfo(name, this.table)));
    return ni;
  }

  private dropIfEmpty(name: string): void {
    const ni = this.nodes.get(name);
    if (ni && !ni.node && ni.pods.size === 0) {
      this.nodes.delete(name);
      ni.release();
    }
  }

  private markListDirty(): void {
    this.listDirty = true;
    this.nodeSetGeneration++;
  }

  private rebuildList(): void {
    const zones = new Map<string, NodeInfo[]>();
    for (const ni of this.nodes.values()) {
      if (!ni.node) continue;
      const z = zoneKey(ni.labels);
      let arr = zones.get(z);
      if (!arr) zones.set(z, (arr = []));
      arr.push(ni);
    }
    const out: NodeInfo[] = [];
    const groups = [...zones.values()];
    let longest = 0;
    for (const g of groups) longest = Math.max(longest, g.length);
    for (let i = 0; i < longest; i++) {
      for (const g of groups) if (i < g.length) out.push(g[i]);
    }
    this.list = out;
    this.listSlots = Int32Array.from(out, (ni) => ni.slot);
    this.listDirty = false;
  }

  private updateImages(ni: NodeInfo, node: Node): void {
    const images: any[] = Array.isArray(node.status?.images) ? node.status.images : [];
    let sig = '';
    for (const img of images) sig += `${img?.sizeBytes ?? 0}|${(img?.names ?? []).join(',')};`;
    if (this.imageSignatures.get(ni.name) === sig) return;
    this.dropImages(ni);
    this.imageSignatures.set(ni.name, sig);
    const mine = new Map<string, ImageState>();
    for (const img of images) {
      for (const name of img?.names ?? []) {
        let st = this.images.get(name);
        if (!st) this.images.set(name, (st = { size: 0, nodes: new Set() }));
        st.size = Number(img.sizeBytes ?? 0);
        st.nodes.add(ni.name);
        mine.set(name, st);
      }
    }
    ni.imageStates = mine;
    ni.hasImages = mine.size > 0;
  }

  private dropImages(ni: NodeInfo): void {
    for (const [name, st] of ni.imageStates) {
      st.nodes.delete(ni.name);
      if (st.nodes.size === 0) this.images.delete(name);
    }
    ni.imageStates = new Map();
    ni.hasImages = false;
    this.imageSignatures.delete(ni.name);
  }
}
