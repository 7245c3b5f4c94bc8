/**
 * Delayed adds to a work queue that keep the earliest deadline per key, as client-go's delaying
 * queue does: asking for a key sooner than an already pending add moves it forward; asking for
 * it later changes nothing.
 */
import type { WorkQueue } from '../../client/workqueue.js';

/** Per-key timers feeding `queue`; {@link stop} clears them. */
export class DelayedAdds {
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();

  constructor(private readonly queue: WorkQueue) {}

  /** Adds `key` to the queue after `ms` (at once when `ms <= 0`). */
  addAfter(key: string, ms: number): void {
    if (ms <= 0) {
      this.queue.add(key);
      return;
    }
    const at = Date.now() + ms;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.queue.add(key);
    }, ms);
    timer.unref();
    this.timers.set(key, { at, timer });
  }

  /** Drops every pending add. */
  stop(): void {
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
