import type { CacheEvent, ObjectFilter, SinkEvent, WatchEventType, WatchSink } from './types.js';

/**
 * One client's watch on a {@link WatchCache}. It turns cache events into the events this client
 * should see under its selection (an object that leaves the selection is DELETED for it, one that
 * enters is ADDED), and closes itself when its sink falls more than `maxBacklogBytes` behind, so a
 * slow client is told to re-list rather than silently missing events.
 */
export class CacheWatcher {
  private closed = false;
  /** The revision of the last event or bookmark sent. */
  lastRevision: number;

  constructor(
    private readonly sink: WatchSink,
    private readonly filter: ObjectFilter | undefined,
    readonly bookmarks: boolean,
    private readonly maxBacklogBytes: number,
    startRevision: number,
    private readonly onClosed: (w: CacheWatcher, reason?: 'slow' | 'reset' | 'timeout' | 'shutdown') => void,
  ) {
    this.lastRevision = startRevision;
  }

  /** True once closed; a closed watcher ignores everything. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends the events that concern this watcher, in order. */
  deliver(events: readonly CacheEvent[]): void {
    if (this.closed || events.length === 0) return;
    if (this.filter) {
      const mine: SinkEvent[] = [];
      for (const ev of events) {
        const type = this.typeFor(ev);
        if (type) mine.push({ type, ev });
      }
      if (mine.length > 0) this.sink.send(mine, null);
    } else {
      this.sink.send(events.map((ev) => ({ type: ev.type, ev })), events);
    }
    this.lastRevision = events[events.length - 1].revision;
    if (!this.closed && this.sink.backlogBytes() > this.maxBacklogBytes) this.close('slow');
  }

  /** Sends a bookmark when the client asked for them. */
  bookmark(revision: number, initialEventsEnd = false): void {
    if (this.closed || (!this.bookmarks && !initialEventsEnd)) return;
    this.lastRevision = Math.max(this.lastRevision, revision);
    this.sink.bookmark(revision, initialEventsEnd);
  }

  /** Ends the watch. */
  close(reason?: 'slow' | 'reset' | 'timeout' | 'shutdown'): void {
    if (this.closed) return;
    this.closed = true;
    this.sink.close(reason);
    this.onClosed(this, reason);
  }

  private typeFor(ev: CacheEvent): WatchEventType | null {
    const f = this.filter;
    if (!f) return ev.type;
    if (ev.type === 'DELETED') return f(ev.object.object) ? 'DELETED' : null;
    const now = f(ev.object.object);
    if (ev.type === 'ADDED') return now ? 'ADDED' : null;
    const before = ev.prev ? f(ev.prev.object) : false;
    if (now && before) return 'MODIFIED';
    if (now) return 'ADDED';
    if (before) return 'DELETED';
    return null;
  }
}
