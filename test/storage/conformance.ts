/**
 * The storage conformance suite: every backend of {@link Storage} must pass it unchanged.
 *
 * `runStorageConformance(name, open)` registers `node:test` blocks. `open` is called once for the
 * suite; every test works under its own key prefix, so tests never see each other's keys. The
 * suite writes nothing else while a test runs, so revisions can be checked exactly. Compaction
 * (global to a store) is tested last.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { StorageError, type KeyValue, type Storage, type Watch, type WatchEvent } from '../../src/storage/interface.js';

/** What `open` hands the suite: a store, and how to release it (and its backend). */
export interface OpenedStore {
  store: Storage;
  close(): Promise<void>;
}

/** A KeyValue with the value as a string, for exact comparisons. */
interface PlainKv {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
}

const buf = (s: string): Buffer => Buffer.from(s);
const plain = (kv: KeyValue | null | undefined): PlainKv | null =>
  kv ? { key: kv.key, value: kv.value.toString(), createRevision: kv.createRevision, modRevision: kv.modRevision } : null;
const kv = (key: string, value: string, createRevision: number, modRevision: number): PlainKv => ({ key, value, createRevision, modRevision });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the StorageError `p` rejects with; fails when it resolves or rejects with something else. */
async function failure(p: Promise<unknown>, code: StorageError['code']): Promise<StorageError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof StorageError, `expected a StorageError, got ${String(err)}`);
    assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    return err;
  }
  assert.fail(`expected the operation to fail with ${code}`);
}

async function waitFor(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** A watch handler that records everything it is told, in order. */
class Recorder {
  readonly events: WatchEvent[] = [];
  readonly errors: StorageError[] = [];
  /** Everything in arrival order: event revisions and progress reports. */
  readonly log: Array<{ kind: 'event' | 'progress'; rev: number }> = [];
  watch: Watch | null = null;

  constructor(private readonly onBatch?: (r: Recorder) => void) {}

  start(store: Storage, prefix: string, after: number): this {
    this.watch = store.watch(prefix, after, {
      onEvents: (evs) => {
        assert.ok(evs.length > 0, 'onEvents with no events');
        for (const ev of evs) {
          this.events.push(ev);
          this.log.push({ kind: 'event', rev: ev.kv.modRevision });
        }
        this.onBatch?.(this);
      },
      onError: (err) => void this.errors.push(err),
      onProgress: (rev) => void this.log.push({ kind: 'progress', rev }),
    });
    return this;
  }
  stop(): void {
    this.watch?.stop();
  }
  async waitEvents(n: number): Promise<void> {
    await waitFor(`${n} watch events (have ${this.events.length}, errors ${this.errors.map((e) => e.message)})`, () => this.events.length >= n || this.errors.length > 0);
    assert.deepEqual(this.errors, []);
  }
  revisions(): number[] {
    return this.events.map((e) => e.kv.modRevision);
  }
}

type EventSummary = [type: string, key: string, rev: number, value: string, prev: PlainKv | null];
const summary = (e: WatchEvent): EventSummary => [e.type, e.kv.key, e.kv.modRevision, e.kv.value.toString(), plain(e.prevKv)];

/** Registers the conformance tests for one backend. */
export function runStorageConformance(name: string, open: () => Promise<OpenedStore>): void {
  describe(`storage conformance: ${name}`, () => {
    let opened: OpenedStore;
    let store: Storage;
    const run = randomUUID().slice(0, 8);
    let seq = 0;
    /** A fresh key prefix (ending in `/`) for one test. */
    const unique = (label: string): string => `/registry/conformance-${run}/${label}-${++seq}/`;
    /** A key that shares the prefix's string start but is not under it. */
    const outside = (p: string, tail: string): string => `${p.slice(0, -1)}-outside/${tail}`;

    before(async () => {
      opened = await open();
      store = opened.store;
    });
    after(async () => {
      await opened?.close();
    });

    it('create then get returns the value with the write revision', async () => {
      const p = unique('create');
      const start = await store.currentRevision();
      const r = await store.create(`${p}a`, buf('one'));
      assert.equal(r.revision, start + 1);
      assert.deepEqual(plain(await store.get(`${p}a`)), kv(`${p}a`, 'one', r.revision, r.revision));
      assert.equal(await store.get(`${p}missing`), null);
      assert.equal(await store.currentRevision(), r.revision);
    });

    it('create of an existing key fails with KeyExists and changes nothing', async () => {
      const p = unique('dup');
      const r = await store.create(`${p}a`, buf('one'));
      const err = await failure(store.create(`${p}a`, buf('two')), 'KeyExists');
      assert.equal(err.key, `${p}a`);
      assert.deepEqual(plain(await store.get(`${p}a`)), kv(`${p}a`, 'one', r.revision, r.revision));
      assert.equal(await store.currentRevision(), r.revision);
    });

    it('update with the current revision succeeds; a stale one fails with Conflict carrying the current value', async () => {
      const p = unique('update');
      const k = `${p}a`;
      const c = await store.create(k, buf('one'));
      const u = await store.update(k, buf('two'), c.revision);
      assert.equal(u.revision, c.revision + 1);
      assert.deepEqual(plain(await store.get(k)), kv(k, 'two', c.revision, u.revision));
      const err = await failure(store.update(k, buf('three'), c.revision), 'Conflict');
      assert.equal(err.key, k);
      assert.deepEqual(plain(err.current), kv(k, 'two', c.revision, u.revision));
      assert.deepEqual(plain(await store.get(k)), kv(k, 'two', c.revision, u.revision));
      assert.equal(await store.currentRevision(), u.revision);
    });

    it('update and delete of a missing key fail with NotFound', async () => {
      const p = unique('missing');
      const start = await store.currentRevision();
      assert.equal((await failure(store.update(`${p}x`, buf('v'), start), 'NotFound')).key, `${p}x`);
      await failure(store.update(`${p}x`, buf('v'), 0), 'NotFound'); // a missing key's modRevision is not "0"
      assert.equal((await failure(store.delete(`${p}x`), 'NotFound')).key, `${p}x`);
      await failure(store.delete(`${p}x`, start), 'NotFound');
      const c = await store.create(`${p}y`, buf('v'));
      await store.delete(`${p}y`);
      await failure(store.update(`${p}y`, buf('w'), c.revision), 'NotFound');
      assert.equal(await store.get(`${p}x`), null);
      assert.equal(await store.currentRevision(), start + 2);
    });

    it('delete honours its precondition and returns the deleted value', async () => {
      const p = unique('delete');
      const k = `${p}a`;
      const c = await store.create(k, buf('one'));
      const u = await store.update(k, buf('two'), c.revision);
      const err = await failure(store.delete(k, c.revision), 'Conflict');
      assert.deepEqual(plain(err.current), kv(k, 'two', c.revision, u.revision));
      assert.deepEqual(plain(await store.get(k)), kv(k, 'two', c.revision, u.revision));
      const d = await store.delete(k, u.revision);
      assert.equal(d.revision, u.revision + 1);
      assert.deepEqual(plain(d.prev), kv(k, 'two', c.revision, u.revision));
      assert.equal(await store.get(k), null);
      await failure(store.delete(k), 'NotFound');
      const again = await store.create(k, buf('three'));
      assert.equal(again.revision, d.revision + 1);
      assert.deepEqual(plain(await store.get(k)), kv(k, 'three', again.revision, again.revision));
      const d2 = await store.delete(k);
      assert.deepEqual([d2.revision, plain(d2.prev)], [again.revision + 1, kv(k, 'three', again.revision, again.revision)]);
    });

    it('every successful write makes exactly one new revision', async () => {
      const p = unique('revs');
      let last = await store.currentRevision();
      const next = async (write: Promise<{ revision: number }>): Promise<number> => {
        const { revision } = await write;
        assert.equal(revision, last + 1);
        return (last = revision);
      };
      const a = await next(store.create(`${p}a`, buf('1')));
      const b = await next(store.create(`${p}b`, buf('1')));
      await failure(store.create(`${p}a`, buf('x')), 'KeyExists');
      await failure(store.update(`${p}a`, buf('x'), b), 'Conflict');
      const a2 = await next(store.update(`${p}a`, buf('2'), a));
      await next(store.delete(`${p}b`, b));
      const b2 = await next(store.create(`${p}b`, buf('2')));
      await next(store.update(`${p}b`, buf('3'), b2));
      await next(store.delete(`${p}a`, a2));
      assert.equal(await store.currentRevision(), last);
    });

    it('list returns the keys under the prefix in key order at the newest revision', async () => {
      const p = unique('list');
      const names = ['m', 'a', 'z', 'b/c', 'b', 'a0', 'B'];
      const revs = new Map<string, number>();
      for (const n of names) revs.set(n, (await store.create(`${p}${n}`, buf(`v-${n}`))).revision);
      await store.create(outside(p, 'a'), buf('no'));
      await store.create(p.slice(0, -1), buf('no'));
      const last = (await store.create(`${p.slice(0, -1)}0`, buf('no'))).revision; // the prefix's range end
      const res = await store.list(p);
      const expected = [...names].sort().map((n) => kv(`${p}${n}`, `v-${n}`, revs.get(n)!, revs.get(n)!));
      assert.deepEqual(res.items.map(plain), expected);
      assert.deepEqual([res.revision, res.more, res.remaining], [last, false, 0]);
      assert.deepEqual((await store.list(`${p}b`)).items.map((i) => i.key), [`${p}b`, `${p}b/c`]);
      assert.deepEqual((await store.list(`${p}nothing/`)).items, []);
    });

    it('list at a past revision returns the state as of then', async () => {
      const p = unique('past');
      const a1 = (await store.create(`${p}a`, buf('a1'))).revision;
      const b1 = (await store.create(`${p}b`, buf('b1'))).revision;
      const c1 = (await store.create(`${p}c`, buf('c1'))).revision;
      const b2 = (await store.update(`${p}b`, buf('b2'), b1)).revision;
      await store.delete(`${p}c`);
      const d1 = (await store.create(`${p}d`, buf('d1'))).revision;
      await store.delete(`${p}a`);
      const a2 = (await store.create(`${p}a`, buf('a2'))).revision;
      const atC1 = await store.list(p, { revision: c1 });
      assert.equal(atC1.revision, c1);
      assert.deepEqual(atC1.items.map(plain), [kv(`${p}a`, 'a1', a1, a1), kv(`${p}b`, 'b1', b1, b1), kv(`${p}c`, 'c1', c1, c1)]);
      assert.deepEqual((await store.list(p, { revision: b1 })).items.map(plain), [kv(`${p}a`, 'a1', a1, a1), kv(`${p}b`, 'b1', b1, b1)]);
      assert.deepEqual((await store.list(p, { revision: d1 })).items.map(plain), [
        kv(`${p}a`, 'a1', a1, a1),
        kv(`${p}b`, 'b2', b1, b2),
        kv(`${p}d`, 'd1', d1, d1),
      ]);
      const page = await store.list(p, { revision: c1, startKey: `${p}b`, limit: 1 });
      assert.deepEqual([page.items.map(plain), page.more, page.remaining], [[kv(`${p}b`, 'b1', b1, b1)], true, 1]);
      const now = await store.list(p);
      assert.deepEqual(now.items.map(plain), [kv(`${p}a`, 'a2', a2, a2), kv(`${p}b`, 'b2', b1, b2), kv(`${p}d`, 'd1', d1, d1)]);
      assert.equal(now.revision, a2);
    });

    it('paged list at the first page revision stays consistent while writes go on', async () => {
      const p = unique('pages');
      const keys = Array.from({ length: 23 }, (_, i) => `${p}k${String(i).padStart(2, '0')}`);
      const original = new Map<string, PlainKv>();
      for (const k of keys) {
        const r = (await store.create(k, buf(`orig-${k}`))).revision;
        original.set(k, kv(k, `orig-${k}`, r, r));
      }
      let stopWriting = false;
      let writes = 0;
      const writer = (async () => {
        for (let i = 0; !stopWriting; i++) {
          const k = keys[(i * 7) % keys.length]!;
          const cur = await store.get(k);
          if (cur && i % 3 === 0) await store.delete(k, cur.modRevision);
          else if (cur) await store.update(k, buf(`new-${i}`), cur.modRevision);
          await store.create(`${k}+${i}`, buf('inserted')); // lands between existing keys
          writes++;
        }
      })();
      const got: PlainKv[] = [];
      const shape: Array<[number, boolean, number]> = [];
      let page = await store.list(p, { limit: 5 });
      const revision = page.revision;
      for (;;) {
        got.push(...page.items.map((i) => plain(i)!));
        shape.push([page.items.length, page.more, page.remaining]);
        if (!page.more) break;
        const before = writes;
        await waitFor('a concurrent write', () => writes > before);
        page = await store.list(p, { limit: 5, revision, startKey: `${page.items.at(-1)!.key}\0` });
        assert.equal(page.revision, revision);
      }
      stopWriting = true;
      await writer;
      assert.deepEqual(got, keys.map((k) => original.get(k)));
      assert.deepEqual(shape, [[5, true, 18], [5, true, 13], [5, true, 8], [5, true, 3], [3, false, 0]]);
      assert.ok((await store.count(p)) > keys.length, 'the writer did change the prefix');
    });

    it('limit, startKey edges and count', async () => {
      const p = unique('count');
      for (const n of ['a', 'b', 'c', 'd']) await store.create(`${p}${n}`, buf(n));
      await store.create(outside(p, 'x'), buf('x'));
      const keysOf = (r: { items: KeyValue[] }): string[] => r.items.map((i) => i.key.slice(p.length));
      const exact = await store.list(p, { limit: 4 });
      assert.deepEqual([keysOf(exact), exact.more, exact.remaining], [['a', 'b', 'c', 'd'], false, 0]);
      const larger = await store.list(p, { limit: 10, startKey: `${p}b` });
      assert.deepEqual([keysOf(larger), larger.more, larger.remaining], [['b', 'c', 'd'], false, 0]);
      const mid = await store.list(p, { limit: 1, startKey: `${p}b\0` });
      assert.deepEqual([keysOf(mid), mid.more, mid.remaining], [['c'], true, 1]);
      const past = await store.list(p, { startKey: `${p}e` });
      assert.deepEqual([past.items, past.more, past.remaining], [[], false, 0]);
      assert.equal(await store.count(p), 4);
      await store.delete(`${p}c`);
      assert.equal(await store.count(p), 3);
      assert.equal(await store.count(`${p}b`), 1);
      assert.equal(await store.count(unique('empty')), 0);
    });

    it('watch from a past revision delivers every later change in order, exactly once, with prevKv', async () => {
      const p = unique('watch');
      const r1 = (await store.create(`${p}a`, buf('a1'))).revision;
      const r2 = (await store.update(`${p}a`, buf('a2'), r1)).revision;
      const r3 = (await store.create(`${p}b`, buf('b1'))).revision;
      const r4 = (await store.delete(`${p}a`, r2)).revision;
      await store.create(outside(p, 'a'), buf('not watched'));
      const r6 = (await store.update(`${p}b`, buf('b2'), r3)).revision;
      const history: EventSummary[] = [
        ['put', `${p}a`, r2, 'a2', kv(`${p}a`, 'a1', r1, r1)],
        ['put', `${p}b`, r3, 'b1', null],
        ['delete', `${p}a`, r4, '', kv(`${p}a`, 'a2', r1, r2)],
        ['put', `${p}b`, r6, 'b2', kv(`${p}b`, 'b1', r3, r3)],
      ];
      const all = new Recorder().start(store, p, r1);
      const later = new Recorder().start(store, p, r2);
      try {
        await all.waitEvents(4);
        const r7 = (await store.create(`${p}c`, buf('c1'))).revision;
        const fence = (await store.create(`${p}fence`, buf('f'))).revision;
        await all.waitEvents(6);
        await later.waitEvents(5);
        const live: EventSummary[] = [
          ['put', `${p}c`, r7, 'c1', null],
          ['put', `${p}fence`, fence, 'f', null],
        ];
        assert.deepEqual(all.events.map(summary), [...history, ...live]);
        assert.deepEqual(later.events.map(summary), [...history.slice(1), ...live]);
      } finally {
        all.stop();
        later.stop();
      }
    });

    it('a watch started while writes go on sees each write once, in revision order', async () => {
      const p = unique('concurrent');
      const start = await store.currentRevision();
      const written = new Map<number, [string, string]>(); // revision -> [type, key]
      let mid = 0;
      let midWatch: Recorder | null = null;
      const startedAll = new Recorder().start(store, p, start);
      const chain = async (w: number): Promise<void> => {
        for (let i = 0; i < 12; i++) {
          const k = `${p}w${w}-${i % 4}`;
          const cur = await store.get(k);
          if (!cur) written.set((await store.create(k, buf(`${w}/${i}`))).revision, ['put', k]);
          else if (i % 5 === 0) written.set((await store.delete(k, cur.modRevision)).revision, ['delete', k]);
          else written.set((await store.update(k, buf(`${w}/${i}`), cur.modRevision)).revision, ['put', k]);
          if (w === 0 && i === 5) {
            mid = await store.currentRevision(); // a watch from "now", taken while the others write
            midWatch = new Recorder().start(store, p, mid);
          }
        }
      };
      const late = new Recorder();
      const writers = Promise.all([0, 1, 2, 3].map(chain));
      await waitFor('some writes', () => written.size >= 6);
      late.start(store, p, start); // replays history, then switches to live events
      await writers;
      const mw = midWatch as Recorder | null;
      try {
        const revs = [...written.keys()].sort((a, b) => a - b);
        assert.deepEqual(revs, Array.from({ length: 48 }, (_, i) => start + 1 + i));
        for (const rec of [startedAll, late]) {
          await rec.waitEvents(48);
          await sleep(50);
          assert.deepEqual(rec.revisions(), revs);
          assert.deepEqual(rec.events.map((e) => [e.type, e.kv.key]), revs.map((r) => written.get(r)));
        }
        assert.ok(mw, 'the mid watch was started');
        const expectedMid = revs.filter((r) => r > mid);
        await mw.waitEvents(expectedMid.length);
        await sleep(50);
        assert.deepEqual(mw.revisions(), expectedMid);
      } finally {
        startedAll.stop();
        late.stop();
        mw?.stop();
      }
    });

    it('requestProgress reports a revision once every change up to it was delivered', async () => {
      const p = unique('progress');
      for (const n of ['x', 'y', 'z']) await store.create(`${p}${n}`, buf('existing'));
      const rec = new Recorder().start(store, p, await store.currentRevision());
      try {
        const quiet = (await store.create(outside(p, 'x'), buf('x'))).revision;
        rec.watch!.requestProgress();
        await waitFor('a progress report', () => rec.log.some((l) => l.kind === 'progress'));
        const first = rec.log.find((l) => l.kind === 'progress')!.rev;
        assert.ok(first >= quiet, `progress ${first} < ${quiet}: nothing under the prefix changed`);
        assert.deepEqual(rec.events, []);
        const writes: number[] = [];
        for (let i = 0; i < 5; i++) {
          writes.push((await store.create(`${p}k${i}`, buf('v'))).revision);
          rec.watch!.requestProgress();
        }
        const newest = writes.at(-1)!;
        await waitFor('progress past the writes', () => rec.log.some((l) => l.kind === 'progress' && l.rev >= newest));
        const current = await store.currentRevision();
        let lastEvent = 0;
        let lastProgress = 0;
        for (const entry of rec.log) {
          if (entry.kind === 'event') {
            assert.ok(entry.rev > Math.max(lastEvent, lastProgress), `event ${entry.rev} after progress ${lastProgress}`);
            lastEvent = entry.rev;
            continue;
          }
          assert.ok(entry.rev <= current, `progress ${entry.rev} beyond the newest revision ${current}`);
          const missing = writes.filter((w) => w <= entry.rev && w > lastEvent);
          assert.deepEqual(missing, [], `progress ${entry.rev} reported before the events ${missing}`);
          lastProgress = Math.max(lastProgress, entry.rev);
        }
        assert.deepEqual(rec.revisions(), writes);
      } finally {
        rec.stop();
      }
    });

    it('requestProgress on a watch still replaying history waits for the replay', async () => {
      const p = unique('progress-replay');
      const start = await store.currentRevision();
      const creates: number[] = [];
      const deletes: number[] = [];
      const key = (i: number): string => `${p}k${String(i).padStart(2, '0')}`;
      for (let i = 0; i < 40; i++) creates.push((await store.create(key(i), buf('v'))).revision);
      for (let i = 0; i < 40; i += 2) deletes.push((await store.delete(key(i))).revision);
      const all = new Recorder().start(store, p, start);
      const onlyDeletes = new Recorder().start(store, p, creates.at(-1)!); // nothing but deletions to replay
      try {
        all.watch!.requestProgress(); // at once: the backlog has most likely not been delivered yet
        onlyDeletes.watch!.requestProgress();
        for (const [rec, writes] of [[all, [...creates, ...deletes]], [onlyDeletes, deletes]] as const) {
          await waitFor('progress past the history', () => rec.log.some((l) => l.kind === 'progress' && l.rev >= writes.at(-1)!));
          const report = rec.log.findIndex((l) => l.kind === 'progress');
          assert.deepEqual(rec.log.slice(0, report).map((l) => l.rev), writes, 'every event up to the report precedes it');
        }
      } finally {
        all.stop();
        onlyDeletes.stop();
      }
    });

    it('stop() ends delivery, also when called from inside onEvents', async () => {
      const p = unique('stop');
      const start = await store.currentRevision();
      const rec = new Recorder().start(store, p, start);
      const self = new Recorder((r) => r.stop()).start(store, p, start);
      const fence = new Recorder();
      try {
        const first = (await store.create(`${p}a`, buf('1'))).revision;
        await rec.waitEvents(1);
        await self.waitEvents(1);
        rec.stop();
        rec.stop(); // idempotent
        const second = (await store.create(`${p}b`, buf('2'))).revision;
        fence.start(store, p, first);
        await fence.waitEvents(1);
        await sleep(100);
        assert.deepEqual(fence.revisions(), [second]);
        assert.deepEqual(rec.revisions(), [first]);
        assert.deepEqual(self.revisions(), [first]);
        assert.deepEqual([rec.errors, self.errors], [[], []]);
      } finally {
        fence.stop();
        self.stop();
      }
    });

    it('compaction: older reads and watches fail with Compacted, newer ones work', async () => {
      const p = unique('compact');
      const r1 = (await store.create(`${p}a`, buf('a1'))).revision;
      const r2 = (await store.update(`${p}a`, buf('a2'), r1)).revision;
      const c = (await store.create(`${p}b`, buf('b1'))).revision;
      const r4 = (await store.update(`${p}a`, buf('a3'), r2)).revision;
      assert.ok((await store.compactedRevision()) < c);
      await store.compact(c);
      assert.equal(await store.compactedRevision(), c);
      for (const rev of [r1, r2]) {
        const err = await failure(store.list(p, { revision: rev }), 'Compacted');
        assert.equal(err.compactedRevision, c);
      }
      assert.deepEqual((await store.list(p, { revision: c })).items.map(plain), [kv(`${p}a`, 'a2', r1, r2), kv(`${p}b`, 'b1', c, c)]);
      assert.deepEqual((await store.list(p)).items.map(plain), [kv(`${p}a`, 'a3', r1, r4), kv(`${p}b`, 'b1', c, c)]);
      const old = new Recorder().start(store, p, r1);
      const fresh = new Recorder().start(store, p, c);
      try {
        await waitFor('the Compacted error', () => old.errors.length > 0);
        assert.equal(old.errors[0]!.code, 'Compacted');
        assert.equal(old.errors[0]!.compactedRevision, c);
        const r5 = (await store.delete(`${p}b`)).revision;
        await fresh.waitEvents(2);
        assert.deepEqual(fresh.events.map(summary), [
          ['put', `${p}a`, r4, 'a3', kv(`${p}a`, 'a2', r1, r2)],
          ['delete', `${p}b`, r5, '', kv(`${p}b`, 'b1', c, c)],
        ]);
        await sleep(100);
        assert.deepEqual([old.events, old.errors.length], [[], 1]); // onError is final
      } finally {
        old.stop();
        fresh.stop();
      }
      await store.compact(c); // again: no-op
      await store.compact(r1); // below: no-op
      assert.equal(await store.compactedRevision(), c);
      assert.deepEqual(plain(await store.get(`${p}a`)), kv(`${p}a`, 'a3', r1, r4));
      const later = await store.currentRevision();
      await store.compact(later);
      assert.equal(await store.compactedRevision(), later);
      await failure(store.list(p, { revision: c }), 'Compacted');
      assert.deepEqual((await store.list(p, { revision: later })).items.map((i) => i.key), [`${p}a`]);
    });
  });
}
