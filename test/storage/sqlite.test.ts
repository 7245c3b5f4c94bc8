import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StorageError } from '../../src/storage/interface.js';
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { runStorageConformance } from './conformance.js';

runStorageConformance('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tskube-sqlite-'));
  const store = await openSqliteStore({ path: join(dir, 'state.db') });
  return {
    store,
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

runStorageConformance('sqlite without group commit', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tskube-sqlite-'));
  const store = await openSqliteStore({ path: join(dir, 'state.db'), groupCommit: false });
  return {
    store,
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite store specifics', () => {
  it('a list at a revision that the writer thread has just compacted fails Compacted, never silently short', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tskube-sqlite-'));
    const store = await openSqliteStore({ path: join(dir, 'state.db') });
    try {
      await store.create('/r/a', Buffer.from('v1'));
      const r2 = await store.update('/r/a', Buffer.from('v2'), 1);
      await store.delete('/r/a');
      await store.create('/r/b', Buffer.from('x'));
      const compaction = store.compact(4);
      // Hold this thread while the writer thread commits the compaction, before its answer arrives.
      const until = Date.now() + 300;
      while (Date.now() < until) { /* busy */ }
      await assert.rejects(store.list('/r/', { revision: r2.revision }), (err: unknown) => err instanceof StorageError && err.code === 'Compacted');
      const events: string[] = [];
      const failed = new Promise<string>((resolve) => {
        store.watch('/r/', r2.revision, { onEvents: (evs) => events.push(...evs.map((e) => e.kv.key)), onError: (e) => resolve(e.code) });
      });
      assert.equal(await failed, 'Compacted');
      assert.deepEqual(events, []);
      await compaction;
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('when the writer thread dies, writes and reads fail Unavailable and close() still returns', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tskube-sqlite-'));
    const store = await openSqliteStore({ path: join(dir, 'state.db') });
    try {
      await store.create('/d/a', Buffer.from('1'));
      const pending = store.create('/d/b', Buffer.from('2'));
      // The writer thread is reached through the store's internals on purpose: nothing else can kill it.
      await (store as unknown as { batcher: { worker: { terminate(): Promise<number> } } }).batcher.worker.terminate();
      await assert.rejects(pending, (err: unknown) => err instanceof StorageError && err.code === 'Unavailable');
      await assert.rejects(store.create('/d/c', Buffer.from('3')), (err: unknown) => err instanceof StorageError && err.code === 'Unavailable');
      await assert.rejects(store.currentRevision(), (err: unknown) => err instanceof StorageError && err.code === 'Unavailable');
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
