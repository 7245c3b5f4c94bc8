import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore, type SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import type { Storage } from '../../src/storage/interface.js';
import { WatchCache } from '../../src/storage/watch-cache/watch-cache.js';
import type { SinkEvent, WatchEventType, WatchSink } from '../../src/storage/watch-cache/types.js';
import { ApiError } from '../../src/machinery/status.js';

/** A sink that keeps what it is given; `drains` false makes it a client that never reads. */
class RecordingSink implements WatchSink {
  events: Array<[WatchEventType, string]> = [];
  bookmarks: number[] = [];
  pending = 0;
  closedWith: string | undefined | null = null;
  constructor(private readonly drains: boolean) {}
  send(events: SinkEvent[]): void {
    for (const { type, ev } of events) {
      this.events.push([type, ev.object.object.name]);
      if (!this.drains) this.pending += JSON.stringify(ev.object.object).length;
    }
  }
  bookmark(revision: number): void { this.bookmarks.push(revision); }
  backlogBytes(): number { return this.pending; }
  close(reason?: string): void { this.closedWith = reason; }
}

const decode = (v: Buffer) => JSON.parse(v.toString());
const settle = () => new Promise((r) => setTimeout(r, 30));

describe('watch cache', () => {
  let dir: string;
  let store: SqliteStore;
  let watchCalls = 0;
  let counted: Storage;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tskube-wc-'));
    store = await openSqliteStore({ path: join(dir, 'db') });
    // The real store, with its watch() calls counted.
    counted = new Proxy(store, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (prop === 'watch') return (...args: unknown[]) => { watchCalls++; return (v as Function).apply(target, args); };
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves many watchers from one storage watch', async () => {
    const cache = new WatchCache({ storage: counted, prefix: '/a/', decode: (v) => decode(v) });
    await cache.start();
    const sinks = Array.from({ length: 25 }, () => new RecordingSink(true));
    for (const sink of sinks) await cache.watch({ fromRevision: cache.revision, bookmarks: false, sink });
    for (let i = 0; i < 10; i++) await store.create(`/a/${i}`, Buffer.from(JSON.stringify({ name: `o${i}` })));
    await settle();
    assert.equal(watchCalls, 1);
    for (const s of sinks) assert.deepEqual(s.events.map((e) => e[1]), Array.from({ length: 10 }, (_, i) => `o${i}`));
    cache.stop();
  });

  it('closes a watcher that cannot keep up, and only that one', async () => {
    const cache = new WatchCache({ storage: store, prefix: '/b/', decode: (v) => decode(v), maxBacklogBytes: 200 });
    await cache.start();
    const slow = new RecordingSink(false);
    const fast = new RecordingSink(true);
    await cache.watch({ fromRevision: cache.revision, bookmarks: false, sink: slow });
    await cache.watch({ fromRevision: cache.revision, bookmarks: false, sink: fast });
    for (let i = 0; i < 30; i++) await store.create(`/b/${i}`, Buffer.from(JSON.stringify({ name: `o${i}`, pad: 'x'.repeat(20) })));
    await settle();
    assert.equal(slow.closedWith, 'slow');
    assert.ok(slow.events.length < 30);
    assert.equal(fast.closedWith, null);
    assert.equal(fast.events.length, 30);
    assert.equal(cache.watcherCount, 1);
    cache.stop();
  });

  it('refuses a resourceVersion older than its window with 410', async () => {
    const cache = new WatchCache({ storage: store, prefix: '/c/', decode: (v) => decode(v), capacity: 5 });
    await cache.start();
    const start = cache.revision;
    for (let i = 0; i < 12; i++) await store.create(`/c/${i}`, Buffer.from(JSON.stringify({ name: `o${i}` })));
    await settle();
    await assert.rejects(cache.watch({ fromRevision: start, bookmarks: false, sink: new RecordingSink(true) }), (err: unknown) => {
      assert.ok(err instanceof ApiError);
      assert.equal(err.code, 410);
      assert.match(err.message, new RegExp(`^too old resource version: ${start} \\(\\d+\\)$`));
      return true;
    });
    const recent = new RecordingSink(true);
    await cache.watch({ fromRevision: cache.revision - 3, bookmarks: false, sink: recent });
    assert.deepEqual(recent.events.map((e) => e[1]), ['o9', 'o10', 'o11']);
    cache.stop();
  });

  it('answers 504 for a resourceVersion it does not reach in time', async () => {
    const cache = new WatchCache({ storage: store, prefix: '/d/', decode: (v) => decode(v), freshnessTimeoutMs: 100 });
    await cache.start();
    await assert.rejects(cache.watch({ fromRevision: cache.revision + 1000, bookmarks: false, sink: new RecordingSink(true) }), (err: unknown) => {
      assert.ok(err instanceof ApiError);
      assert.equal(err.code, 504);
      assert.equal(err.message, `Too large resource version: ${cache.revision + 1000}, current: ${cache.revision}`);
      return true;
    });
    cache.stop();
  });

  it('is consistent with storage after writes under other prefixes', async () => {
    const cache = new WatchCache({ storage: store, prefix: '/e/', decode: (v) => decode(v) });
    await cache.start();
    await store.create('/elsewhere/x', Buffer.from('{}'));
    assert.equal(await cache.waitConsistent(), true);
    assert.equal(cache.revision, await store.currentRevision());
    cache.stop();
  });
});
