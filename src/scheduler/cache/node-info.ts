import { parseTaints, type Taint } from '../framework/taints.js';
import type { PodInfo } from '../framework/pod-info.js';
import { nodeAllocatable, Resource } from '../resources.js';
import { HostPortInfo } from './host-ports.js';

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
 * every change.
 */
export class NodeInfo {
  node: Node | null = null;
  name: string;
  labels: Record<string, string> = NO_LABELS;
  taints: Taint[] = [];
  unschedulable = false;
  allocatable = new Resource();
  readonly requested = new Resource();
  nonZeroMilliCPU = 0;
  nonZeroMemory = 0;
  readonly pods = new Map<string, PodInfo>();
  readonly usedPorts = new HostPortInfo();
  /** Image name → state, for the images this node reports. */
  imageStates = new Map<string, ImageState>();
  generation = nextGeneration();

  constructor(name: string) {
    this.name = name;
  }

  /** Sets (or replaces) the Node object. */
  setNode(node: Node): void {
    this.node = node;
    this.name = node.metadata.name ?? this.name;
    this.labels = node.metadata.labels ?? NO_LABELS;
    this.taints = parseTaints(node.spec?.taints);
    this.unschedulable = node.spec?.unschedulable === true;
    this.allocatable = nodeAllocatable(node);
    this.generation = nextGeneration();
  }

  /** Number of pods on the node. */
  get podCount(): number {
    return this.pods.size;
  }

  /** Adds a pod's requests, ports and non-zero requests. */
  addPod(pi: PodInfo): void {
    this.pods.set(pi.key, pi);
    const r = pi.requests;
    this.requested.add(r.requests);
    this.nonZeroMilliCPU += r.nonZeroMilliCPU;
    this.nonZeroMemory += r.nonZeroMemory;
    for (const p of pi.hostPorts) this.usedPorts.add(p.hostIP, p.protocol, p.hostPort);
    this.generation = nextGeneration();
  }

  /** Removes the pod filed under `key`; false when it was not here. */
  removePod(key: string): boolean {
    const pi = this.pods.get(key);
    if (!pi) return false;
    this.pods.delete(key);
    const r = pi.requests;
    this.requested.add(r.requests, -1);
    this.nonZeroMilliCPU -= r.nonZeroMilliCPU;
    this.nonZeroMemory -= r.nonZeroMemory;
    for (const p of pi.hostPorts) this.usedPorts.remove(p.hostIP, p.protocol, p.hostPort);
    this.generation = nextGeneration();
    return true;
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
    c.unschedulable = this.unschedulable;
    c.allocatable = this.allocatable;
    c.imageStates = this.imageStates;
    for (const pi of this.pods.values()) c.addPod(pi);
    return c;
  }
}
