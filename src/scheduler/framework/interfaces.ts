import type { NodeInfo } from '../cache/node-info.js';
import type { CycleState } from './cycle-state.js';
import type { NodeToStatus } from './node-to-status.js';
import type { PodInfo } from './pod-info.js';
import type { Status } from './status.js';

/** Highest score a Score plugin may give (after normalization). */
export const MAX_NODE_SCORE = 100;
/** Lowest score. */
export const MIN_NODE_SCORE = 0;

/** Every plugin has a name; the extension points it serves are the interfaces it implements. */
export interface Plugin {
  readonly name: string;
}

/** What a pod's PreFilter can narrow the nodes to; undefined `nodeNames` means all nodes. */
export interface PreFilterResult {
  nodeNames?: Set<string>;
}

/** A queued pod as QueueSort and the queue see it. */
export interface QueuedPodView {
  podInfo: PodInfo;
  /** When the pod was (re)added to the queue, ms since the epoch. */
  timestamp: number;
}

/** Orders the active queue. */
export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodView, b: QueuedPodView): boolean;
}

/** Decides whether a pod may enter the active queue at all (e.g. scheduling gates). */
export interface PreEnqueuePlugin extends Plugin {
  preEnqueue(pod: PodInfo): Status | null;
}

/** Runs once per scheduling attempt before the filters; may answer Skip or narrow the nodes. */
export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: PodInfo): { status: Status | null; result?: PreFilterResult } | null;
}

/** Rejects nodes that cannot run the pod. Null means the node passes. */
export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status | null;
  /**
   * Optional: a text naming everything of the pod this filter's answer depends on. Implementing
   * it promises that the answer is a function of that text and the NodeInfo alone (no other
   * state), which lets the framework reuse answers for nodes that did not change since.
   */
  filterSignature?(pod: PodInfo): string;
}

/** Runs when no node passed the filters (preemption). */
export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: PodInfo, statuses: NodeToStatus): { status: Status | null; nominatedNodeName?: string };
}

/** Runs once before scoring the feasible nodes; may answer Skip. */
export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status | null;
}

/**
 * Ranks feasible nodes. `score` returns a number (throwing is an Error status);
 * `normalizeScore`, when present, rewrites the first `n` scores in place into [0, 100].
 */
export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  normalizeScore?(state: CycleState, pod: PodInfo, scores: Float64Array, n: number): Status | null;
  /**
   * Optional: a text naming everything of the pod `score` depends on. Implementing it promises
   * that the (raw, unnormalized) score is a function of that text and the NodeInfo alone, which
   * lets the framework reuse scores of nodes that did not change since.
   */
  scoreSignature?(pod: PodInfo): string;
}

/** Reserves (and releases) resources for a pod assumed onto a node. */
export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: PodInfo, nodeName: string): Status | null;
  unreserve(state: CycleState, pod: PodInfo, nodeName: string): void;
}

/** Approves, rejects or delays (Wait with a timeout) the binding of a pod. */
export interface PermitPlugin extends Plugin {
  permit(state: CycleState, pod: PodInfo, nodeName: string): { status: Status | null; timeoutMs?: number };
}

/** Work before binding (volumes and the like). */
export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status | null>;
}

/** Binds the pod; Skip hands over to the next bind plugin. */
export interface BindPlugin extends Plugin {
  bind(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status | null>;
}

/** Informational, after a successful bind. */
export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: PodInfo, nodeName: string): void;
}

/** What plugins may use of the scheduler around them. */
export interface Handle {
  /** The nodes in scheduling order (live view; read only inside a scheduling cycle). */
  nodeList(): NodeInfo[];
  getNode(name: string): NodeInfo | undefined;
  /** On how many nodes an image (by exact name) is present. */
  imageNodeCount(name: string): number;
  /** Runs every filter plugin for the pod on `node` (used for what-if evaluations). */
  runFilterPlugins(state: CycleState, pod: PodInfo, node: NodeInfo): Status | null;
}

/** A plugin with its score weight (ignored for plugins that do not score). */
export interface PluginEntry {
  plugin: Plugin;
  weight?: number;
}
