import type { SchedulerCore } from './core.js';
import type { Decision } from './decisions.js';
import { scheduleOne } from './schedule-one.js';

/** How long the scheduling loop may run before it lets I/O through. */
const YIELD_EVERY_MS = 8;

const yieldToIO = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Counters of a running scheduler. */
export interface SchedulerStatistics {
  /** Pods bound. */
  scheduled: number;
  /** Failed attempts (unschedulable, error, failed binding). */
  failed: number;
  /** Scheduling attempts. */
  attempts: number;
  /** Queue sizes and bindings in flight. */
  active: number;
  backoff: number;
  unschedulable: number;
  bindsInFlight: number;
  nodes: number;
}

/** A running scheduler. */
export interface Scheduler {
  /** The latest decision about a pod (filters, top scores, chosen node, attempts), if any. */
  decisionFor(namespace: string, name: string): Decision | undefined;
  stats(): SchedulerStatistics;
  /** Resolves after the signal aborted and the bindings in flight settled. */
  readonly done: Promise<void>;
}

/**
 * The scheduling loop: pops pods and runs their scheduling cycles back to back (synchronous,
 * so the cache never changes under a cycle), yielding to I/O every few milliseconds and
 * waiting while the maximum of bindings is in flight. Ends when `signal` aborts.
 */
export async function runSchedulingLoop(core: SchedulerCore, signal: AbortSignal): Promise<void> {
  let last = performance.now();
  while (!signal.aborted) {
    let q = core.queue.tryPop();
    if (!q) {
      q = await core.queue.pop(signal);
      if (!q) break;
      last = performance.now();
    }
    try {
      scheduleOne(core, q);
    } catch (err) {
      core.log(`scheduler: scheduling ${q.podInfo.namespace}/${q.podInfo.name} failed unexpectedly: ${(err as Error)?.stack ?? err}`);
      core.queue.done(q.podInfo.key);
    }
    if (core.bindsInFlight >= core.maxBindsInFlight) {
      await core.waitForBindSlot();
      last = performance.now();
    } else if (performance.now() - last > YIELD_EVERY_MS) {
      await yieldToIO();
      last = performance.now();
    }
  }
  await core.waitForBindsIdle();
}

/** The statistics of `core`. */
export function statisticsOf(core: SchedulerCore): SchedulerStatistics {
  const l = core.queue.lengths();
  return {
    ...core.stats, active: l.active, backoff: l.backoff, unschedulable: l.unschedulable,
    bindsInFlight: core.bindsInFlight, nodes: core.cache.numNodes,
  };
}
