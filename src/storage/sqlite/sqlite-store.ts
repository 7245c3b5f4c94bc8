import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import {
  prefixEnd, StorageError,
  type KeyValue, type ListOptions, type ListResult, type Storage, type Watch, type WatchEvent,
  type WatchHandler, type WriteResult,
} from '../interface.js';
import { SCHEMA_SQL, type KvRow } from './schema.js';
import { WriteBatcher, type WriteOp } from './write-batcher.js';
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
 * acknowledged only once its transaction is on disk. One process owns the file; its watches are
 * fed directly by its own commits.
 */
export function openSqliteStore(opts: SqliteStoreOptions): SqliteStore {
  const db = new Database(opts.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA_SQL);
  return new SqliteStore(db, opts.groupCommit ?? true);
}

const ROW_COLS = 'id, name, create_revision, prev_revision, deleted, value';

/** The SQLite backend of {@link Storage}. Create it with {@link openSqliteStore}. */
export class SqliteStore implements Storage {
  readonly backend = 'sqlite';
  private rev: number;
  private compactRev: number;
  private readonly batcher: WriteBatcher;
  private readonly hub = new LocalWatchHub();
  private readonly stmt: Record<string, Statement>;
  private closed = false;

  constructor(private readonly db: Db, groupCommit: boolean) {
    this.stmt = {
      latest: db.prepare(`SELECT ${ROW_COLS} FROM kv WHERE name = ? ORDER BY id DESC LIMIT 1`),
      insert: db.prepare('INSERT INTO kv (name, create_revision, prev_revision, deleted, value) VALUES (?, ?, ?, ?, ?)'),
      listAt: db.prepare(`SELECT kv.id, kv.name, kv.create_revision, kv.prev_revision, kv.deleted, kv.value FROM kv
        JOIN (SELECT MAX(id) AS mid FROM kv WHERE name >= ? AND name < ? AND id <= ? GROUP BY name) m ON kv.id = m.mid
        WHERE kv.deleted = 0 ORDER BY kv.name LIMIT ?`),
      countAt: db.prepare(`SELECT COUNT(*) AS n FROM kv
        JOIN (SELECT MAX(id) AS mid FROM kv WHERE name >= ? AND name < ? AND id <= ? GROUP BY name) m ON kv.id = m.mid
        WHERE kv.deleted = 0`),
      since: db.prepare(`SELECT kv.id, kv.name, kv.create_revision, kv.prev_revision, kv.deleted, kv.value,
        p.value AS prev_value, p.create_revision AS prev_create, p.deleted AS prev_deleted
        FROM kv LEFT JOIN kv p ON p.id = kv.prev_revision
        WHERE kv.id > ? AND kv.name >= ? AND kv.name < ? ORDER BY kv.id`),
      seq: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'kv'"),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      compact: db.prepare(`DELETE FROM kv WHERE id <= ? AND (deleted = 1 OR
        id < (SELECT MAX(k2.id) FROM kv k2 WHERE k2.name = kv.name AND k2.id <= ?))`),
    };
    const seq = this.stmt.seq.get() as { seq: number } | undefined;
    this.rev = seq?.seq ?? 0;
    this.compactRev = (this.stmt.getMeta.get('compact_revision') as { value: number } | undefined)?.value ?? 0;
    this.batcher = new WriteBatcher(db, (op) => this.apply(op), (events) => this.hub.publish(events), groupCommit,
      () => { this.rev = (this.stmt.seq.get() as { seq: number } | undefined)?.seq ?? 0; });
  }

  async currentRevision(): Promise<number> {
    return this.rev;
  }

  async get(key: string): Promise<KeyValue | null> {
    const row = this.stmt.latest.get(key) as KvRow | undefined;
    return row && !row.deleted ? toKv(row) : null;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const revision = opts.revision && opts.revision > 0 ? opts.revision : this.rev;
    if (revision < this.compactRev) throw StorageError.compacted(revision, this.compactRev);
    if (revision > this.rev) throw new StorageError('Unavailable', prefix, `revision ${revision} is in the future (newest ${this.rev})`);
    const from = opts.startKey && opts.startKey > prefix ? opts.startKey : prefix;
    const end = prefixEnd(prefix);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : -1;
    const rows = this.stmt.listAt.all(from, end, revision, limit === -1 ? -1 : limit + 1) as KvRow[];
    const more = limit !== -1 && rows.length > limit;
    if (more) rows.length = limit;
    let remaining = 0;
    if (more) {
      const total = (this.stmt.countAt.get(from, end, revision) as { n: number }).n;
      remaining = total - rows.length;
    }
    return { items: rows.map(toKv), revision, more, remaining };
  }

  async count(prefix: string): Promise<number> {
    return (this.stmt.countAt.get(prefix, prefixEnd(prefix), this.rev) as { n: number }).n;
  }

  create(key: string, value: Buffer): Promise<WriteResult> {
    return this.batcher.submit({ kind: 'create', key, value }) as Promise<WriteResult>;
  }

  update(key: string, value: Buffer, expectedModRevision: number): Promise<WriteResult> {
    return this.batcher.submit({ kind: 'update', key, value, expected: expectedModRevision }) as Promise<WriteResult>;
  }

  delete(key: string, expectedModRevision?: number): Promise<WriteResult & { prev: KeyValue }> {
    return this.batcher.submit({ kind: 'delete', key, expected: expectedModRevision }) as Promise<WriteResult & { prev: KeyValue }>;
  }

  watch(prefix: string, afterRevision: number, handler: WatchHandler): Watch {
    if (afterRevision < this.compactRev) {
      const err = StorageError.compacted(afterRevision, this.compactRev);
      queueMicrotask(() => handler.onError(err));
      return { stop() {}, requestProgress() {} };
    }
    // Reading the backlog and subscribing happen in the same synchronous step, so no commit can
    // fall between them: the watch sees every revision after `afterRevision` exactly once.
    const backlog = afterRevision < this.rev ? this.readSince(prefix, afterRevision) : [];
    return this.hub.subscribe(prefix, backlog, handler, () => this.rev);
  }

  async compact(revision: number): Promise<void> {
    await this.batcher.exclusive(() => {
      const target = Math.min(revision, this.rev);
      if (target <= this.compactRev) return;
      this.stmt.compact.run(target, target);
      this.stmt.setMeta.run('compact_revision', target);
      this.compactRev = target;
    });
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
    await this.batcher.drain();
    this.hub.closeAll();
    this.db.close();
  }

  /** Applies one write inside the batch transaction; returns its result and event or throws. */
  private apply(op: WriteOp): { result: WriteResult & { prev?: KeyValue }; event: WatchEvent } {
    const cur = this.stmt.latest.get(op.key) as KvRow | undefined;
    const exists = cur !== undefined && !cur.deleted;
    if (op.kind === 'create') {
      if (exists) throw StorageError.keyExists(op.key);
      const id = this.insert(op.key, this.rev + 1, cur?.id ?? 0, 0, op.value!);
      const kv = { key: op.key, value: op.value!, createRevision: id, modRevision: id };
      return { result: { revision: id }, event: { type: 'put', kv } };
    }
    if (!exists) throw StorageError.notFound(op.key);
    const prev = toKv(cur!);
    if (op.expected !== undefined && op.expected !== cur!.id) throw StorageError.conflict(op.key, prev);
    if (op.kind === 'update') {
      const id = this.insert(op.key, cur!.create_revision, cur!.id, 0, op.value!);
      const kv = { key: op.key, value: op.value!, createRevision: cur!.create_revision, modRevision: id };
      return { result: { revision: id }, event: { type: 'put', kv, prevKv: prev } };
    }
    const id = this.insert(op.key, cur!.create_revision, cur!.id, 1, cur!.value);
    const kv = { key: op.key, value: Buffer.alloc(0), createRevision: 0, modRevision: id };
    return { result: { revision: id, prev }, event: { type: 'delete', kv, prevKv: prev } };
  }

  private insert(key: string, createRev: number, prevRev: number, deleted: number, value: Buffer): number {
    const info = this.stmt.insert.run(key, createRev, prevRev, deleted, value);
    const id = Number(info.lastInsertRowid);
    // One writer owns the file, so the next row id is always the next revision.
    if (id !== this.rev + 1) throw new Error(`revision sequence broken: expected ${this.rev + 1}, got ${id}`);
    this.rev = id;
    return id;
  }

  private readSince(prefix: string, after: number): WatchEvent[] {
    type SinceRow = KvRow & { prev_value: Buffer | null; prev_create: number | null; prev_deleted: number | null };
    const rows = this.stmt.since.all(after, prefix, prefixEnd(prefix)) as SinceRow[];
    return rows.map((r) => {
      const prevKv = r.prev_value !== null && !r.prev_deleted
        ? { key: r.name, value: r.prev_value, createRevision: r.prev_create!, modRevision: r.prev_revision }
        : undefined;
      if (r.deleted) {
        return { type: 'delete' as const, kv: { key: r.name, value: Buffer.alloc(0), createRevision: 0, modRevision: r.id }, prevKv };
      }
      return { type: 'put' as const, kv: toKv(r), prevKv };
    });
  }
}

function toKv(row: KvRow): KeyValue {
  return { key: row.name, value: row.value, createRevision: row.create_revision, modRevision: row.id };
}
