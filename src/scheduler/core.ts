import { SchedulerCache } from './cache/cache.js';
import type { NodeInfo } from './cache/node-info.js';
import { DecisionLog } from './decisions.js';
import type { CycleState } from './framework/cycle-state.js';
import { Framework } from './framework/framework.js';
import type { Handle, PluginEntry } from './framework/interfaces.js';
import type { Pod, PodInfo } from './framework/pod-info.js';
import type { Status } from './framework/status.js';
import type { BindFunc } from './plugins/default-binder.js';
import { defaultPlugins } from './plugins/registry.js';
import { SchedulingQueue } from './queue/scheduling-queue.js';

/** What the scheduler needs from the API server (a thin layer over the client). */
export interface SchedulerApi {
  /** POST pods/<name>/binding. */
  bind: BindFunc;
  /** PATCH pods/<name>/status with a strategic merge patch. */
  patchPodStatus(namespace: string, name: string, patch: unknown): Promise<unknown>;
  /** Records an event about the pod (fire and forget). */
  event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** The informer's latest copy of a pod (never a request). */
  getPod(namespace: string, name: string): Pod | undefined;
}

/** Tunables of the core. */
export interface CoreOptions {
  /** 0 (default) is upstream's adaptive percentage. */
  percentageOfNodesToScore?: number;
  /** Binding cycles in flight before the scheduling loop waits (default 64). */
  maxBindsInFlight?: number;
  backoff?: { initialMs?: number; maxMs?: number };
  /** How long pods stay unschedulable before a retry without an event (default 5 min). */
  unschedulableTimeoutMs?: number;
  /** Tie-breaking among equally scored nodes (default Math.random). */
  rand?: () => number;
  clock?: () => number;
  /** Replaces the default plugin set (tests). */
  plugins?: (handle: Handle, bind: BindFunc) => PluginEntry[];
  /** Decisions kept (default 10 000). */
  decisionCapacity?: number;
  /** Where errors are reported (default: process warnings). */
  log?: (message: string) => void;
  /** Reuse filter answers across pods of the same shape for unchanged nodes (default true). */
  filterCache?: boolean;
}

/** Counters of {@link SchedulerCore}. */
export interface SchedulerStats {
  /** Pods bound. */
  scheduled: number;
  /** Attempts that ended in a failure (unschedulable, error or a failed binding). */
  failed: number;
  /** Scheduling attempts. */
  attempts: number;
}

/**
 * The scheduler's state and collaborators: cache, queue, framework, decision log and the API
 * layer. The scheduling and binding cycles (schedule-one.ts, binding-cycle.ts) operate on it.
 */
export class SchedulerCore {
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  readonly framework: Framework;
  readonly decisions: DecisionLog;
  readonly handle: Handle;
  readonly stats: SchedulerStats = { scheduled: 0, failed: 0, attempts: 0 };
  readonly percentageOfNodesToScore: number;
  readonly maxBindsInFlight: number;
  readonly rand: () => number;
  readonly clock: () => number;
  readonly log: (message: string) => void;
  /** Where the next filter pass starts (rotates across attempts). */
  nextStartNodeIndex = 0;
  bindsInFlight = 0;
  private readonly bindWaiters: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];

  constructor(readonly api: SchedulerApi, opts: CoreOptions = {}) {
    this.percentageOfNodesToScore = opts.percentageOfNodesToScore ?? 0;
    this.maxBindsInFlight = Math.max(1, opts.maxBindsInFlight ?? 64);
    this.rand = opts.rand ?? Math.random;
    this.clock = opts.clock ?? Date.now;
    this.log = opts.log ?? ((m) => process.emitWarning(m, 'SchedulerWarning'));
    this.decisions = new DecisionLog(opts.decisionCapacity);
    this.handle = {
      nodeList: () => this.cache.nodeList(),
      getNode: (name) => this.cache.getNode(name),
      imageNodeCount: (name) => this.cache.imageNodeCount(name),
      runFilterPlugins: (state: CycleState, pod: PodInfo, node: NodeInfo): Status | null => this.framework.runFilterPlugins(state, pod, node),
    };
    this.framework = new Framework((opts.plugins ?? defaultPlugins)(this.handle, (ns, name, body) => this.api.bind(ns, name, body)));
    this.framework.useFilterCache = opts.filterCache ?? true;
    const sort = this.framework.queueSort;
    this.queue = new SchedulingQueue({
      less: sort ? (a, b) => sort.less(a, b) : (a, b) => a.timestamp < b.timestamp,
      preEnqueue: (pod) => this.framework.runPreEnqueuePlugins(pod),
      initialBackoffMs: opts.backoff?.initialMs,
      maxBackoffMs: opts.backoff?.maxMs,
      unschedulableTimeoutMs: opts.unschedulableTimeoutMs,
      clock: this.clock,
    });
  }

  /** Counts a binding cycle in. */
  bindStarted(): void {
    this.bindsInFlight++;
  }

  /** Counts a binding cycle out and wakes a waiting loop. */
  bindFinished(): void {
    this.bindsInFlight--;
    this.bindWaiters.shift()?.();
    if (this.bindsInFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Resolves when fewer than `maxBindsInFlight` bindings run. */
  async waitForBindSlot(): Promise<void> {
    while (this.bindsInFlight >= this.maxBindsInFlight) await new Promise<void>((r) => this.bindWaiters.push(r));
  }

  /** Resolves when no binding runs. */
  async waitForBindsIdle(): Promise<void> {
    if (this.bindsInFlight === 0) return;
    await new Promise<void>((r) => this.idleWaiters.push(r));
  }
}
