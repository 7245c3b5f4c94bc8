import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
