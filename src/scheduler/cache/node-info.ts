import { parseTaints, type Taint } from '../framework/taints.js';
import type { PodInfo } from '../framework/pod-info.js';
import { nodeAllocatable, Resource } from '../resources.js';
import { HostPortInfo } from './host-ports.js';
import * as T from './node-table.js';

/** A plain-JSON Node. */
export interface Node {
  metadata: { name?: string; labels?: Record<string, string>; [k: string]: any };
  spec?: any;
  status?: any;
  [k: string]: any;
}

/** How many nodes hold an image (shared by every node that has it) and its size. */
export interface ImageState {
  size: number;
  nodes: Set<string>;
}

let generationCounter = 0;

/** The next value of the cache-wide generation counter. */
export function nextGeneration(): number {
  return ++generationCounter;
}

const NO_LABELS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * What the scheduler knows about one node: the Node object with its labels, taints and
 * allocatable resources parsed once, and the pods placed on it (bound or assumed) with their
 * summed requests, host ports and image states. Updated incrementally; `generation` moves on
 * every change. The hot numbers are mirrored into a row of the cache's {@link T.NodeTable}
 * (`table.data[slot * STRIDE + column]`), and the hot flags come first in the object.
 */
export class NodeInfo {
  /** This node's row in `table`. */
  readonly slot: number;
  /** Pods on the node (bound and assumed). */
  numPods = 0;
  /** `allocatable.pods`. */
  allowedPods = 0;
  unschedulable = false;
  hasTaints = false;
  hasImages = false;
  hasUsedPorts = false;
  name: string;
  node: Node | null = null;
  labels: Record<string, string> = NO_LABELS;
  taints: Taint[] = [];
  allocatable = new Resource();
  readonly requested = new Resource();
  readonly pods = new Map<string, PodInfo>();
  readonly usedPorts = new HostPortInfo();
  /** Image name → state, for the images this node reports. */
  imageStates = new Map<string, ImageState>();
  /** Moves on every change (and is mirrored in `table.generations[slot]`). */
  generation = 0;

  constructor(name: string, readonly table: T.NodeTable = new T.NodeTable(1)) {
    this.name = name;
    this.slot = table.allocate();
    this.bump();
  }

  private bump(): void {
    this.generation = nextGeneration();
    this.table.generations[this.slot] = this.generation;
  }

  /** Sets (or replaces) the Node object. */
  setNode(node: Node): void {
    this.node = node;
    this.name = node.metadata.name ?? this.name;
    this.labels = node.metadata.labels ?? NO_LABELS;
    this.taints = parseTaints(node.spec?.taints);
    this.hasTaints = this.taints.length > 0;
    this.unschedulable = node.spec?.unschedulable === true;
    this.setAllocatable(nodeAllocatable(node));
  }

  /** Sets the allocatable resources (and their row in the table). */
  setAllocatable(a: Resource): void {
    this.allocatable = a;
    this.allowedPods = a.allowedPodNumber;
    const d = this.table.data;
    const row = this.slot * T.STRIDE;
    d[row + T.ALLOC_CPU] = a.milliCPU;
    d[row + T.ALLOC_MEMORY] = a.memory;
    d[row + T.ALLOC_EPHEMERAL] = a.ephemeralStorage;
    this.bump();
  }

  /** Requests of the pods with the 100m / 200Mi defaults for unset cpu / memory. */
  get nonZeroMilliCPU(): number {
    return this.table.data[this.slot * T.STRIDE + T.NON_ZERO_CPU];
  }

  get nonZeroMemory(): number {
    return this.table.data[this.slot * T.STRIDE + T.NON_ZERO_MEMORY];
  }

  /** Number of pods on the node. */
  get podCount(): number {
    return this.numPods;
  }

  /** Adds a pod's requests, ports and non-zero requests. */
  addPod(pi: PodInfo): void {
    this.pods.set(pi.key, pi);
    this.account(pi, 1);
  }

  /** Removes the pod filed under `key`; false when it was not here. */
  removePod(key: string): boolean {
    const pi = this.pods.get(key);
    if (!pi) return false;
    this.pods.delete(key);
    this.account(pi, -1);
    return true;
  }

  private account(pi: PodInfo, sign: 1 | -1): void {
    const r = pi.requests;
    this.requested.add(r.requests, sign);
    this.numPods = this.pods.size;
    const d = this.table.data;
    const row = this.slot * T.STRIDE;
    d[row + T.REQ_CPU] = this.requested.milliCPU;
    d[row + T.REQ_MEMORY] = this.requested.memory;
    d[row + T.REQ_EPHEMERAL] = this.requested.ephemeralStorage;
    d[row + T.NON_ZERO_CPU] += sign * r.nonZeroMilliCPU;
    d[row + T.NON_ZERO_MEMORY] += sign * r.nonZeroMemory;
    for (const p of pi.hostPorts) {
      if (sign > 0) this.usedPorts.add(p.hostIP, p.protocol, p.hostPort);
      else this.usedPorts.remove(p.hostIP, p.protocol, p.hostPort);
    }
    this.hasUsedPorts = this.usedPorts.size > 0;
    this.bump();
  }

  /** Gives the row back (the node is gone for good). */
  release(): void {
    this.table.release(this.slot);
  }

  /**
   * A detached copy for what-if evaluation (preemption dry runs): the pod map, requests and
   * ports are copied, the Node object and image states shared.
   */
  snapshot(): NodeInfo {
    const c = new NodeInfo(this.name);
    c.node = this.node;
    c.labels = this.labels;
    c.taints = this.taints;
    c.hasTaints = this.hasTaints;
    c.unschedulable = this.unschedulable;
    c.setAllocatable(this.allocatable);
    c.imageStates = this.imageStates;
    c.hasImages = this.hasImages;
    for (const pi of this.pods.values()) c.addPod(pi);
    return c;
  }
}
