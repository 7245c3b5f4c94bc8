import type { KeyValue, Storage, Watch, WatchEvent } from '../interface.js';
import { tooLargeResourceVersion, tooOldResourceVersion } from '../../machinery/status.js';
import { CacheWatcher } from './cache-watcher.js';
import type { CacheEvent, CachedObject, ObjectFilter, WatchSink } from './types.js';

/** Options of a {@link WatchCache}. */
export interface WatchCacheOptions {
  storage: Storage;
  /** The key prefix of the resource, e.g. `/registry/configmaps/`. */
  prefix: string;
  /** Decodes a stored value; `revision` becomes its resourceVersion. */
  decode(value: Buffer, revision: number): Record<string, any>;
  /** How many recent events are kept for watches that resume from a resourceVersion. */
  capacity?: number;
  /** How often watchers that asked for bookmarks get one. */
  bookmarkIntervalMs?: number;
  /** A watcher whose unsent output exceeds this is closed (it must re-list). */
  maxBacklogBytes?: number;
  /** How long a request for a newer resourceVersion than the cache has may wait. */
  freshnessTimeoutMs?: number;
}

/** What a client asks of {@link WatchCache.watch}. */
export interface CacheWatchRequest {
  /** Watch changes after this revision; 0 means "send the current state as ADDED first". */
  fromRevision: number;
  filter?: ObjectFilter;
  bookmarks: boolean;
  /** With fromRevision 0: end the initial events with a bookmark marked `initial-events-end`. */
  sendInitialEvents?: boolean;
  sink: WatchSink;
}

/**
 * The watch cache of one resource: a single storage watch keeps an in-memory copy of every object
 * and a window of recent events. It answers `resourceVersion=0` and consistent lists from memory
 * and serves every client watch, so the backend sees one watch per resource however many clients
 * watch it.
 */
export class WatchCache {
  private readonly objects = new Map<string, CachedObject>();
  private sortedKeys: string[] | null = null;
  private events: CacheEvent[] = [];
  private windowStart = 0;
  private rev = 0;
  private readonly watchers = new Set<CacheWatcher>();
  private storageWatch: Watch | null = null;
  private readyPromise: Promise<void> | null = null;
  private waiters: Array<{ rev: number; resolve(ok: boolean): void }> = [];
  private bookmarkTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly capacity: number;
  private readonly maxBacklogBytes: number;
  private readonly freshnessTimeoutMs: number;
  /** Figures for metrics. */
  readonly stats = { events: 0, reinitializations: 0, slowWatchersClosed: 0 };

  constructor(private readonly opts: WatchCacheOptions) {
    this.capacity = opts.capacity ?? 10_000;
    this.maxBacklogBytes = opts.maxBacklogBytes ?? 16 * 1024 * 1024;
    this.freshnessTimeoutMs = opts.freshnessTimeoutMs ?? 3000;
  }

  /** Loads the current state and starts following storage; resolves when ready to serve. */
  start(): Promise<void> {
    if (!this.readyPromise) {
      this.readyPromise = this.initialize();
      const every = this.opts.bookmarkIntervalMs ?? 60_000;
      this.bookmarkTimer = setInterval(() => this.sendBookmarks(), every);
      this.bookmarkTimer.unref();
    }
    return this.readyPromise;
  }

  /** Stops following storage and closes every watcher. */
  stop(): void {
    this.stopped = true;
    this.storageWatch?.stop();
    if (this.bookmarkTimer) clearInterval(this.bookmarkTimer);
    for (const w of [...this.watchers]) w.close('shutdown');
    for (const w of this.waiters) w.resolve(false);
    this.waiters = [];
  }

  /** The revision the cache has caught up with. */
  get revision(): number {
    return this.rev;
  }

  /** How many clients watch through this cache. */
  get watcherCount(): number {
    return this.watchers.size;
  }

  /** How many objects the cache holds. */
  get size(): number {
    return this.objects.size;
  }

  /**
   * Waits until the cache has seen every change up to `revision`. Resolves false when that took
   * longer than the freshness timeout.
   */
  async waitFresh(revision: number): Promise<boolean> {
    await this.start();
    if (this.rev >= revision) return true;
    this.storageWatch?.requestProgress();
    return new Promise((resolve) => {
      const waiter = { rev: revision, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) { this.waiters.splice(i, 1); resolve(false); }
      }, this.freshnessTimeoutMs);
    });
  }

  /** Waits until the cache is as new as storage; false when it could not catch up in time. */
  async waitConsistent(): Promise<boolean> {
    return this.waitFresh(await this.opts.storage.currentRevision());
  }

  /** Every object (under `keyPrefix`, default all) that passes `filter`, in key order. */
  list(filter?: ObjectFilter, keyPrefix?: string): { items: CachedObject[]; revision: number } {
    if (!this.sortedKeys) this.sortedKeys = [...this.objects.keys()].sort();
    const items: CachedObject[] = [];
    for (const k of this.sortedKeys) {
      if (keyPrefix && !k.startsWith(keyPrefix)) continue;
      const o = this.objects.get(k)!;
      if (!filter || filter(o.object)) items.push(o);
    }
    return { items, revision: this.rev };
  }

  /** The cached object at `key`. */
  get(key: string): CachedObject | undefined {
    return this.objects.get(key);
  }

  /**
   * Starts a client watch. Throws 410 Expired when `fromRevision` is older than the window of kept
   * events, and 504 when it is newer than what the cache reaches within the freshness timeout.
   */
  async watch(req: CacheWatchRequest): Promise<CacheWatcher> {
    await this.start();
    if (req.fromRevision > this.rev && !(await this.waitFresh(req.fromRevision))) {
      throw tooLargeResourceVersion(req.fromRevision, this.rev);
    }
    // Every event after windowStart is kept (it moves up only when old events are dropped).
    if (req.fromRevision > 0 && req.fromRevision < this.windowStart) throw tooOldResourceVersion(req.fromRevision, this.windowStart);
    const w = new CacheWatcher(req.sink, req.filter, req.bookmarks, this.maxBacklogBytes, req.fromRevision || this.rev, (x, reason) => {
      this.watchers.delete(x);
      if (reason === 'slow') this.stats.slowWatchersClosed++;
    });
    if (req.fromRevision === 0) {
      const { items } = this.list(req.filter);
      w.deliver(items.map((o) => ({ type: 'ADDED' as const, revision: o.revision, object: o, encoded: o.encoded })), true);
      w.lastRevision = this.rev;
      if (req.sendInitialEvents) w.bookmark(this.rev, true);
    } else {
      w.deliver(this.events.slice(firstAfter(this.events, req.fromRevision)), true);
      w.lastRevision = Math.max(w.lastRevision, this.rev);
    }
    if (!w.isClosed) this.watchers.add(w);
    return w;
  }

  private async initialize(): Promise<void> {
    const { storage, prefix } = this.opts;
    for (;;) {
      try {
        const page = await storage.list(prefix);
        this.objects.clear();
        this.sortedKeys = null;
        for (const kv of page.items) this.objects.set(kv.key, this.cached(kv));
        this.events = [];
        this.rev = page.revision;
        this.windowStart = page.revision;
        this.storageWatch = storage.watch(prefix, page.revision, {
          onEvents: (evs) => this.apply(evs),
          onError: () => this.reinitialize(),
          onProgress: (r) => this.advance(r),
        });
        this.advance(page.revision);
        return;
      } catch (err) {
        if (this.stopped) return;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** The storage watch failed: every client watch is closed (clients resume or re-list) and the cache reloads. */
  private reinitialize(): void {
    if (this.stopped) return;
    this.stats.reinitializations++;
    this.storageWatch?.stop();
    for (const w of [...this.watchers]) w.close('reset');
    this.readyPromise = this.initialize();
  }

  private cached(kv: KeyValue, revision = kv.modRevision): CachedObject {
    return { key: kv.key, revision, object: this.opts.decode(kv.value, revision), encoded: new Map() };
  }

  private apply(storageEvents: WatchEvent[]): void {
    const batch: CacheEvent[] = [];
    for (const se of storageEvents) {
      const key = se.kv.key;
      const prev = this.objects.get(key);
      let ev: CacheEvent;
      if (se.type === 'put') {
        const obj = this.cached(se.kv);
        if (!prev) this.sortedKeys = null;
        this.objects.set(key, obj);
        ev = { type: prev ? 'MODIFIED' : 'ADDED', revision: se.kv.modRevision, object: obj, prev, encoded: new Map() };
      } else {
        // The last state of a deleted object, stamped with the deleting revision.
        const lastValue = se.prevKv?.value ?? (prev ? Buffer.from(JSON.stringify(prev.object)) : null);
        if (!lastValue) continue;
        this.objects.delete(key);
        this.sortedKeys = null;
        const gone = this.cached({ key, value: lastValue, createRevision: 0, modRevision: se.kv.modRevision });
        ev = { type: 'DELETED', revision: se.kv.modRevision, object: gone, prev, encoded: new Map() };
      }
      batch.push(ev);
      this.events.push(ev);
    }
    this.stats.events += batch.length;
    if (this.events.length > this.capacity) {
      const drop = this.events.length - this.capacity;
      this.windowStart = this.events[drop - 1].revision;
      this.events = this.events.slice(drop);
    }
    if (storageEvents.length > 0) this.rev = Math.max(this.rev, storageEvents[storageEvents.length - 1].kv.modRevision);
    for (const w of this.watchers) w.deliver(batch);
    this.advance(this.rev);
  }

  private advance(revision: number): void {
    if (revision > this.rev) this.rev = revision;
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) (w.rev <= this.rev ? w.resolve(true) : still.push(w));
    this.waiters = still;
  }

  private sendBookmarks(): void {
    for (const w of this.watchers) if (w.bookmarks) w.bookmark(this.rev);
  }
}

/** The index of the first event with revision > `rev` (events are in revision order). */
function firstAfter(events: CacheEvent[], rev: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid].revision <= rev) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
