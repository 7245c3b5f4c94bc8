import type { QueuedPodView } from '../framework/interfaces.js';
import type { PodInfo } from '../framework/pod-info.js';
import type { Status } from '../framework/status.js';
import { KeyedHeap } from './heap.js';
import { isPodUpdated } from './pod-update.js';

/** A pod waiting in (or taken from) the scheduling queue. */
export interface QueuedPodInfo extends QueuedPodView {
  podInfo: PodInfo;
  /** When the pod last entered the queue (or last failed), ms. */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** When it was first popped. */
  initialAttemptTimestamp?: number;
  /** Plugins that rejected it in the last attempt. */
  unschedulablePlugins: Set<string>;
  pendingPlugins: Set<string>;
  /** Held back by a PreEnqueue plugin (scheduling gates). */
  gated: boolean;
  /** Why it is gated. */
  gatingStatus?: Status;
  /** When its backoff ends (set while in the backoff queue). */
  backoffExpiry: number;
}

/** Options of {@link SchedulingQueue}. */
export interface QueueOptions {
  /** Active queue order (QueueSort). */
  less: (a: QueuedPodView, b: QueuedPodView) => boolean;
  /** PreEnqueue plugins; a status keeps the pod out of the active queue. */
  preEnqueue?: (pod: PodInfo) => Status | null;
  /** Backoff of the first retry (default 1 s), doubling per attempt up to `maxBackoffMs` (default 10 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Pods unschedulable this long are retried anyway (default 5 min), checked every `flushIntervalMs` (30 s). */
  unschedulableTimeoutMs?: number;
  flushIntervalMs?: number;
  clock?: () => number;
}

/** Cluster events that can make unschedulable pods schedulable. */
export type QueueEvent = 'NodeAdd' | 'NodeUpdate' | 'AssignedPodDelete' | 'AssignedPodUpdate' | 'UnschedulableTimeout' | 'ForceActivate';

/**
 * Upstream's PriorityQueue: an active queue ordered by QueueSort, a backoff queue ordered by
 * backoff expiry (1 s doubling to 10 s per attempt) and a map of unschedulable pods that
 * cluster events (or 5 minutes) move back. A failed pod goes to backoff instead of the
 * unschedulable map when a move request arrived during its attempt, or when no plugin rejected
 * it (an error). All operations are O(1) or O(log n).
 */
export class SchedulingQueue {
  private readonly activeQ: KeyedHeap<QueuedPodInfo>;
  private readonly backoffQ = new KeyedHeap<QueuedPodInfo>((a, b) => a.backoffExpiry < b.backoffExpiry);
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly inFlight = new Map<string, QueuedPodInfo>();
  private readonly clock: () => number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly unschedulableTimeoutMs: number;
  private waiter?: () => void;
  private backoffTimer?: NodeJS.Timeout;
  private backoffTimerAt = Infinity;
  private readonly leftoverTimer: NodeJS.Timeout;
  private closed = false;
  /** Incremented by every pop. */
  schedulingCycle = 0;
  /** The scheduling cycle of the last move request. */
  moveRequestCycle = -1;

  constructor(private readonly opts: QueueOptions) {
    this.activeQ = new KeyedHeap<QueuedPodInfo>(opts.less);
    this.clock = opts.clock ?? Date.now;
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.unschedulableTimeoutMs = opts.unschedulableTimeoutMs ?? 5 * 60_000;
    this.leftoverTimer = setInterval(() => this.flushUnschedulableLeftover(), opts.flushIntervalMs ?? 30_000);
    this.leftoverTimer.unref?.();
  }

  /** Sizes of the three queues and the pods being scheduled. */
  lengths(): { active: number; backoff: number; unschedulable: number; inFlight: number } {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size, inFlight: this.inFlight.size };
  }

  /** Adds a new pending pod (to the active queue unless PreEnqueue holds it back). */
  add(pi: PodInfo): void {
    const key = pi.key;
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    const existing = this.activeQ.get(key);
    if (existing) {
      existing.podInfo = pi;
      this.activeQ.push(key, existing);
      return;
    }
    this.moveToActive(this.newQueued(pi));
  }

  /** A pending pod changed: refresh it, and retry it if it was unschedulable and its spec changed. */
  update(pi: PodInfo): void {
    const key = pi.key;
    const active = this.activeQ.get(key);
    if (active) {
      active.podInfo = pi;
      this.activeQ.push(key, active);
      return;
    }
    const backingOff = this.backoffQ.get(key);
    if (backingOff) {
      backingOff.podInfo = pi;
      return;
    }
    const unsched = this.unschedulable.get(key);
    if (unsched) {
      const old = unsched.podInfo;
      unsched.podInfo = pi;
      if (unsched.gated || isPodUpdated(old.pod, pi.pod)) {
        this.unschedulable.delete(key);
        this.requeue(unsched);
      }
      return;
    }
    const flying = this.inFlight.get(key);
    if (flying) {
      flying.podInfo = pi;
      return;
    }
    this.moveToActive(this.newQueued(pi));
  }

  /** Forgets a pod (deleted, or bound). */
  delete(key: string): void {
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    this.inFlight.delete(key);
  }

  /** Whether the pod is anywhere in the queue (including in flight). */
  has(key: string): boolean {
    return this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key) || this.inFlight.has(key);
  }

  /** Takes the next pod from the active queue, or undefined when it is empty. */
  tryPop(): QueuedPodInfo | undefined {
    const q = this.activeQ.pop();
    if (!q) return undefined;
    this.schedulingCycle++;
    q.attempts++;
    q.initialAttemptTimestamp ??= this.clock();
    q.unschedulablePlugins.clear();
    q.pendingPlugins.clear();
    this.inFlight.set(q.podInfo.key, q);
    return q;
  }

  /** Waits for the next pod; undefined once the queue is closed or `signal` aborts. */
  async pop(signal?: AbortSignal): Promise<QueuedPodInfo | undefined> {
    for (;;) {
      if (this.closed || signal?.aborted) return undefined;
      const q = this.tryPop();
      if (q) return q;
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }

  /** The attempt of an in-flight pod ended (bound, or handed back). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * Hands back a pod whose attempt failed: to the backoff queue when a move request came
   * during the attempt or no plugin rejected it, else to the unschedulable pods.
   */
  addUnschedulableIfNotPresent(q: QueuedPodInfo, podSchedulingCycle: number): void {
    const key = q.podInfo.key;
    this.inFlight.delete(key);
    if (this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key)) return;
    q.timestamp = this.clock();
    if (this.moveRequestCycle >= podSchedulingCycle || (q.unschedulablePlugins.size === 0 && q.pendingPlugins.size === 0)) {
      this.toBackoff(q);
    } else {
      this.unschedulable.set(key, q);
    }
  }

  /**
   * A cluster event: moves the unschedulable pods `worthRequeuing` accepts (all when absent) to
   * the backoff queue while they are backing off, else to the active queue. Returns how many moved.
   */
  moveAllToActiveOrBackoff(_event: QueueEvent, worthRequeuing?: (q: QueuedPodInfo) => boolean): number {
    this.moveRequestCycle = this.schedulingCycle;
    let moved = 0;
    for (const [key, q] of this.unschedulable) {
      if (q.gated) continue;
      if (worthRequeuing && !worthRequeuing(q)) continue;
      this.unschedulable.delete(key);
      this.requeue(q);
      moved++;
    }
    return moved;
  }

  /** The pods that are unschedulable (not gated). */
  unschedulablePods(): QueuedPodInfo[] {
    return [...this.unschedulable.values()].filter((q) => !q.gated);
  }

  /** How long a pod with `attempts` attempts backs off. */
  backoffDuration(attempts: number): number {
    if (attempts === 0) return 0;
    let d = this.initialBackoffMs;
    for (let i = 1; i < attempts; i++) {
      if (d > this.maxBackoffMs - d) return this.maxBackoffMs;
      d += d;
    }
    return Math.min(d, this.maxBackoffMs);
  }

  /** Moves pods whose backoff has ended to the active queue. */
  flushBackoffCompleted(): void {
    const now = this.clock();
    for (;;) {
      const top = this.backoffQ.peek();
      if (!top || top.backoffExpiry > now) break;
      this.backoffQ.pop();
      this.moveToActive(top);
    }
    this.armBackoffTimer();
  }

  /** Retries pods that stayed unschedulable longer than the timeout. */
  flushUnschedulableLeftover(): void {
    const now = this.clock();
    const stale: QueuedPodInfo[] = [];
    for (const q of this.unschedulable.values()) {
      if (!q.gated && now - q.timestamp > this.unschedulableTimeoutMs) stale.push(q);
    }
    if (stale.length === 0) return;
    const keys = new Set(stale.map((q) => q.podInfo.key));
    this.moveAllToActiveOrBackoff('UnschedulableTimeout', (q) => keys.has(q.podInfo.key));
  }

  /** Stops timers and wakes a waiting pop. */
  close(): void {
    this.closed = true;
    clearInterval(this.leftoverTimer);
    clearTimeout(this.backoffTimer);
    this.wake();
  }

  private newQueued(pi: PodInfo): QueuedPodInfo {
    return {
      podInfo: pi, timestamp: this.clock(), attempts: 0, unschedulablePlugins: new Set(), pendingPlugins: new Set(),
      gated: false, backoffExpiry: 0,
    };
  }

  private requeue(q: QueuedPodInfo): void {
    if (!q.gated && q.timestamp + this.backoffDuration(q.attempts) > this.clock()) this.toBackoff(q);
    else this.moveToActive(q);
  }

  private moveToActive(q: QueuedPodInfo): void {
    const gate = this.opts.preEnqueue?.(q.podInfo) ?? null;
    if (gate) {
      q.gated = true;
      q.gatingStatus = gate;
      this.unschedulable.set(q.podInfo.key, q);
      return;
    }
    q.gated = false;
    q.gatingStatus = undefined;
    this.activeQ.push(q.podInfo.key, q);
    this.wake();
  }

  private toBackoff(q: QueuedPodInfo): void {
    q.backoffExpiry = q.timestamp + this.backoffDuration(q.attempts);
    this.backoffQ.push(q.podInfo.key, q);
    this.armBackoffTimer();
  }

  private armBackoffTimer(): void {
    const top = this.backoffQ.peek();
    if (!top || this.closed) {
      clearTimeout(this.backoffTimer);
      this.backoffTimerAt = Infinity;
      return;
    }
    if (top.backoffExpiry >= this.backoffTimerAt) return;
    clearTimeout(this.backoffTimer);
    this.backoffTimerAt = top.backoffExpiry;
    this.backoffTimer = setTimeout(() => {
      this.backoffTimerAt = Infinity;
      this.flushBackoffCompleted();
    }, Math.max(0, top.backoffExpiry - this.clock()));
    this.backoffTimer.unref?.();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}
