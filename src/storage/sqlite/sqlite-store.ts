import type { Database as Db, Statement } from 'better-sqlite3';
import {
  prefixEnd, StorageError,
  type KeyValue, type ListOptions, type ListResult, type Storage, type Watch, type WatchEvent,
  type WatchHandler, type WriteResult,
} from '../interface.js';
import { openDatabase, type KvRow } from './schema.js';
import { WriteBatcher, toKv } from './write-batcher.js';
import type { WriteOpWire, WriteOutcome } from './mvcc-writer.js';
import { LocalWatchHub } from './local-watch-hub.js';

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file; created when missing. */
  path: string;
  /**
   * Batch concurrent writes into one transaction and one sync (group commit). Default true.
   * Turning it off commits (and syncs) every write on its own; kept for measuring.
   */
  groupCommit?: boolean;
}

/**
 * Opens the embedded store: SQLite in WAL mode with `synchronous=FULL`, so a write is
 * acknowledged only once its transaction is on disk. Writes go to a writer thread that owns the
 * only write connection (group commit); reads use this thread's own connection. One process owns
 * the file; its watches are fed directly by its own commits.
 */
export async function openSqliteStore(opts: SqliteStoreOptions): Promise<SqliteStore> {
  const db = openDatabase(opts.path);
  const store = new SqliteStore(db, opts.path, opts.groupCommit ?? true);
  await store.started();
  return store;
}

const ROW_COLS = 'id, name, create_revision, prev_revision, deleted, value';

/** The SQLite backend of {@link Storage}. Create it with {@link openSqliteStore}. */
export class SqliteStore implements Storage {
  readonly backend = 'sqlite';
  private rev: number;
  private compactRev: number;
  private readonly batcher: WriteBatcher;
  private readonly hub = new LocalWatchHub();
  private readonly stmt: Record<'latest' | 'listAt' | 'countAt' | 'since' | 'seq' | 'getMeta', Statement>;
  /** Runs reads in one snapshot (a read transaction on this thread's connection). */
  private readonly readTx: <T>(fn: () => T) => T;
  private closed = false;

  constructor(private readonly db: Db, path: string, groupCommit: boolean) {
    this.stmt = {
      latest: db.prepare(`SELECT ${ROW_COLS} FROM kv WHERE name = ? ORDER BY id DESC LIMIT 1`),
      listAt: db.prepare(`SELECT kv.id, kv.name, kv.create_revision, kv.prev_revision, kv.deleted, kv.value FROM kv
        JOIN (SELECT MAX(id) AS mid FROM kv WHERE name >= ? AND name < ? AND id <= ? GROUP BY name) m ON kv.id = m.mid
        WHERE kv.deleted = 0 ORDER BY kv.name LIMIT ?`),
      countAt: db.prepare(`SELECT COUNT(*) AS n FROM kv
        JOIN (SELECT MAX(id) AS mid FROM kv WHERE name >= ? AND name < ? AND id <= ? GROUP BY name) m ON kv.id = m.mid
        WHERE kv.deleted = 0`),
      since: db.prepare(`SELECT kv.id, kv.name, kv.create_revision, kv.prev_revision, kv.deleted, kv.value,
        p.value AS prev_value, p.create_revision AS prev_create, p.deleted AS prev_deleted
        FROM kv LEFT JOIN kv p ON p.id = kv.prev_revision
        WHERE kv.id > ? AND kv.id <= ? AND kv.name >= ? AND kv.name < ? ORDER BY kv.id`),
      seq: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'kv'"),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
    };
    this.readTx = <T>(fn: () => T): T => db.transaction(fn)();
    this.rev = (this.stmt.seq.get() as { seq: number } | undefined)?.seq ?? 0;
    this.compactRev = (this.stmt.getMeta.get('compact_revision') as { value: number } | undefined)?.value ?? 0;
    this.batcher = new WriteBatcher(path, groupCommit, (n) => {
      this.rev = n.revision;
      this.compactRev = n.compactedRevision;
      if (n.events.length > 0) this.hub.publish(n.events);
    });
  }

  /** Resolves once the writer thread is ready. */
  started(): Promise<void> {
    return this.batcher.started();
  }

  async currentRevision(): Promise<number> {
    this.checkUsable();
    return this.rev;
  }

  async get(key: string): Promise<KeyValue | null> {
    this.checkUsable();
    const row = this.stmt.latest.get(key) as KvRow | undefined;
    // A row newer than the published revision is a commit whose answer is still on its way.
    if (row && row.id > this.rev) return this.getAt(key, this.rev);
    return row && !row.deleted ? toKvRow(row) : null;
  }

  private getAt(key: string, revision: number): KeyValue | null {
    const rows = this.stmt.listAt.all(key, key + '\x00', revision, 1) as KvRow[];
    return rows.length > 0 ? toKvRow(rows[0]) : null;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.checkUsable();
    const revision = opts.revision && opts.revision > 0 ? opts.revision : this.rev;
    if (revision > this.rev) throw new StorageError('Unavailable', prefix, `revision ${revision} is in the future (newest ${this.rev})`);
    const from = opts.startKey && opts.startKey > prefix ? opts.startKey : prefix;
    const end = prefixEnd(prefix);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : -1;
    // One read transaction: the compacted revision is checked in the same snapshot as the rows, so a
    // compaction committed by the writer thread a moment ago cannot leave holes in the answer.
    return this.readTx(() => {
      this.checkNotCompacted(revision);
      const rows = this.stmt.listAt.all(from, end, revision, limit === -1 ? -1 : limit + 1) as KvRow[];
      const more = limit !== -1 && rows.length > limit;
      if (more) rows.length = limit;
      let remaining = 0;
      if (more) {
        const total = (this.stmt.countAt.get(from, end, revision) as { n: number }).n;
        remaining = total - rows.length;
      }
      return { items: rows.map(toKvRow), revision, more, remaining };
    });
  }

  /** Throws Compacted when `revision` is older than the compaction this snapshot sees. */
  private checkNotCompacted(revision: number): void {
    const compacted = (this.stmt.getMeta.get('compact_revision') as { value: number } | undefined)?.value ?? 0;
    if (compacted > this.compactRev) this.compactRev = compacted;
    if (revision < compacted) throw StorageError.compacted(revision, compacted);
  }

  /** Throws Unavailable once the writer thread has failed: the store can no longer be trusted. */
  private checkUsable(): void {
    const failure = this.batcher.failure;
    if (failure) throw new StorageError('Unavailable', '', failure.message);
  }

  async count(prefix: string): Promise<number> {
    return (this.stmt.countAt.get(prefix, prefixEnd(prefix), this.rev) as { n: number }).n;
  }

  async create(key: string, value: Buffer): Promise<WriteResult> {
    return this.write({ kind: 'create', key, value });
  }

  async update(key: string, value: Buffer, expectedModRevision: number): Promise<WriteResult> {
    return this.write({ kind: 'update', key, value, expected: expectedModRevision });
  }

  async delete(key: string, expectedModRevision?: number): Promise<WriteResult & { prev: KeyValue }> {
    const r = await this.write({ kind: 'delete', key, expected: expectedModRevision });
    return r as WriteResult & { prev: KeyValue };
  }

  watch(prefix: string, afterRevision: number, handler: WatchHandler): Watch {
    // The backlog is read up to the published revision in the same synchronous step as the
    // subscription, so the watch sees every revision after `afterRevision` exactly once.
    let backlog: WatchEvent[];
    try {
      this.checkUsable();
      backlog = afterRevision < this.rev ? this.readTx(() => {
        this.checkNotCompacted(afterRevision);
        return this.readSince(prefix, afterRevision, this.rev);
      }) : [];
    } catch (err) {
      queueMicrotask(() => handler.onError(err as StorageError));
      return { stop() {}, requestProgress() {} };
    }
    return this.hub.subscribe(prefix, backlog, handler, () => this.rev, Math.max(afterRevision, this.rev));
  }

  async compact(revision: number): Promise<void> {
    await this.batcher.submit({ kind: 'compact', revision });
  }

  /** Group-commit figures: how many transactions and how many writes they held. */
  get batchStats(): { batches: number; writes: number } {
    return this.batcher.stats;
  }

  async compactedRevision(): Promise<number> {
    return this.compactRev;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.batcher.close();
    this.hub.closeAll();
    this.db.close();
  }

  private async write(op: WriteOpWire): Promise<WriteResult & { prev?: KeyValue }> {
    const o: WriteOutcome = await this.batcher.submit(op);
    if (o.ok) return o.prev ? { revision: o.revision, prev: toKv(o.prev) } : { revision: o.revision };
    if (o.code === 'KeyExists') throw StorageError.keyExists(o.key);
    if (o.code === 'NotFound') throw StorageError.notFound(o.key);
    throw StorageError.conflict(o.key, toKv(o.current!));
  }

  private readSince(prefix: string, after: number, upTo: number): WatchEvent[] {
    type SinceRow = KvRow & { prev_value: Buffer | null; prev_create: number | null; prev_deleted: number | null };
    const rows = this.stmt.since.all(after, upTo, prefix, prefixEnd(prefix)) as SinceRow[];
    return rows.map((r) => {
      const prevKv = r.prev_value !== null && !r.prev_deleted
        ? { key: r.name, value: r.prev_value, createRevision: r.prev_create!, modRevision: r.prev_revision }
        : undefined;
      if (r.deleted) {
        return { type: 'delete' as const, kv: { key: r.name, value: Buffer.alloc(0), createRevision: 0, modRevision: r.id }, prevKv };
      }
      return { type: 'put' as const, kv: toKvRow(r), prevKv };
    });
  }
}

function toKvRow(row: KvRow): KeyValue {
  return { key: row.name, value: row.value, createRevision: row.create_revision, modRevision: row.id };
}
