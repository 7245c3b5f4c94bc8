import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Storage } from '../storage/interface.js';
import { openSqliteStore } from '../storage/sqlite/sqlite-store.js';

/** Which backend to open and where. */
export interface StorageChoice {
  kind: 'sqlite' | 'etcd';
  /** For sqlite: the data directory (the database is `<dataDir>/db/state.db`). */
  dataDir: string;
  /** For etcd: client URLs. */
  etcdServers?: string[];
}

/** Opens the chosen storage backend. */
export async function openStorage(c: StorageChoice): Promise<Storage> {
  if (c.kind === 'etcd') {
    if (!c.etcdServers || c.etcdServers.length === 0) throw new Error('--storage etcd needs --etcd-servers');
    // Loaded on demand: the etcd client (gRPC) costs memory and start-up time a SQLite cluster does not need.
    const { openEtcdStore } = await import('../storage/etcd/etcd-store.js');
    return openEtcdStore({ endpoints: c.etcdServers });
  }
  const dir = join(c.dataDir, 'db');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return await openSqliteStore({ path: join(dir, 'state.db') });
}
