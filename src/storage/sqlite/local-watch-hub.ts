import type { Watch, WatchEvent, WatchHandler } from '../interface.js';

interface Subscriber {
  progress: number;
  /** Events at or below this revision were in the backlog (or precede the watch): never delivered again. */
  after: number;
  prefix: string;
  handler: WatchHandler;
  pending: WatchEvent[];
  scheduled: boolean;
  stopped: boolean;
}

/**
 * Fan-out of committed writes to the watches of one process. The store publishes each committed
 * batch in revision order; each subscriber receives the events under its prefix, asynchronously
 * (in the event loop's next check phase) and in order, starting with the backlog it was subscribed
 * with.
 */
export class LocalWatchHub {
  private readonly subs = new Set<Subscriber>();

  /** Adds a watch whose first events are `backlog`; published events at or below `after` are skipped. */
  subscribe(prefix: string, backlog: WatchEvent[], handler: WatchHandler, revision: () => number, after: number): Watch {
    const sub: Subscriber = { prefix, handler, pending: backlog, scheduled: false, stopped: false, progress: 0, after };
    this.subs.add(sub);
    if (backlog.length > 0) this.schedule(sub);
    return {
      stop: () => {
        sub.stopped = true;
        sub.pending = [];
        this.subs.delete(sub);
      },
      requestProgress: () => {
        sub.progress = revision();
        this.schedule(sub);
      },
    };
  }

  /** Delivers a committed batch (in revision order) to every matching watch. */
  publish(events: WatchEvent[]): void {
    const revision = events[events.length - 1].kv.modRevision;
    for (const sub of this.subs) {
      for (const e of events) {
        if (e.kv.modRevision > sub.after && e.kv.key.startsWith(sub.prefix)) sub.pending.push(e);
      }
      sub.progress = revision;
      this.schedule(sub);
    }
  }

  /** Ends every watch without further events (the store is closing). */
  closeAll(): void {
    for (const sub of this.subs) sub.stopped = true;
    this.subs.clear();
  }

  private schedule(sub: Subscriber): void {
    if (sub.scheduled) return;
    sub.scheduled = true;
    // Delivered after the current turn's promise chains, so the writes' own answers go out first.
    setImmediate(() => {
      sub.scheduled = false;
      if (sub.stopped) return;
      const batch = sub.pending;
      sub.pending = [];
      if (batch.length > 0) sub.handler.onEvents(batch);
      if (!sub.stopped && sub.progress > 0) {
        const p = sub.progress;
        sub.progress = 0;
        sub.handler.onProgress?.(p);
      }
    });
  }
}
