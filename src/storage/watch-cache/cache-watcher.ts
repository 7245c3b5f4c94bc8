import type { CacheEvent, ObjectFilter, SinkEvent, WatchEventType, WatchSink } from './types.js';

/**
 * One client's watch on a {@link WatchCache}. It turns cache events into the events this client
 * should see under its selection (an object that leaves the selection is DELETED for it, one that
 * enters is ADDED), and closes itself when its sink falls more than `maxBacklogBytes` behind, so a
 * slow client is told to re-list rather than silently missing events.
 */
export class CacheWatcher {
  private closed = false;
  /** Unsent bytes of the catch-up write, allowed beyond the backlog limit. */
  private allowance = 0;
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

  /**
   * Sends the events that concern this watcher, in order. `catchUp` marks the initial state or a
   * replay from the window: it is written in one go, and the bytes it leaves unsent are allowed on
   * top of the backlog limit rather than counted as the client falling behind.
   */
  deliver(events: readonly CacheEvent[], catchUp = false): void {
    if (this.closed || events.length === 0) return;
    if (this.filter) {
      const mine: SinkEvent[] = [];
      for (const ev of events) {
        const type = this.typeFor(ev);
        if (!type) continue;
        // An object that leaves the selection is DELETED for this watcher as it was before the change.
        mine.push({ type, ev: type === 'DELETED' && ev.type === 'MODIFIED' ? leftSelection(ev) : ev });
      }
      if (mine.length > 0) this.sink.send(mine, null);
    } else {
      this.sink.send(events.map((ev) => ({ type: ev.type, ev })), events);
    }
    this.lastRevision = events[events.length - 1].revision;
    if (catchUp) this.allowance = this.sink.backlogBytes();
    else if (!this.closed && this.sink.backlogBytes() > this.maxBacklogBytes + this.allowance) this.close('slow');
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

const leftSelectionEvents = new WeakMap<CacheEvent, CacheEvent>();

/** The DELETED event of an object that left a selection: its previous state at the change's revision. */
function leftSelection(ev: CacheEvent): CacheEvent {
  let out = leftSelectionEvents.get(ev);
  if (!out) {
    const before = ev.prev!.object;
    const object = { ...before, metadata: { ...before.metadata, resourceVersion: String(ev.revision) } };
    out = { type: 'DELETED', revision: ev.revision, object: { key: ev.object.key, revision: ev.revision, object, encoded: new Map() }, encoded: new Map() };
    leftSelectionEvents.set(ev, out);
  }
  return out;
}
