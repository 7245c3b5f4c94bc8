import type { Database as Db, Statement } from 'better-sqlite3';
import type { KvRow } from './schema.js';

/** A key-value as it crosses between threads (values are byte arrays). */
export interface KvWire {
  key: string;
  value: Uint8Array;
  createRevision: number;
  modRevision: number;
}

/** One write of a batch. */
export type WriteOpWire =
  | { kind: 'create'; key: string; value: Uint8Array }
  | { kind: 'update'; key: string; value: Uint8Array; expected: number }
  | { kind: 'delete'; key: string; expected?: number }
  | { kind: 'compact'; revision: number };

/**
 * The outcome of one write. A failed precondition fails that write alone. The new value is not sent
 * back (the caller has it); `prev` is the value an update or delete replaced.
 */
export type WriteOutcome =
  | { ok: true; revision: number; createRevision: number; prev?: KvWire }
  | { ok: false; code: 'KeyExists' | 'NotFound' | 'Conflict'; key: string; current?: KvWire };

/** The answer to a batch: one outcome per op, or a failure of the whole transaction. */
export type BatchResult = { outcomes: WriteOutcome[]; revision: number; compactedRevision: number } | { fatal: string; revision: number };

/**
 * The write side of the MVCC log: applies batches of writes in one transaction each. It is the
 * only writer of the database file, so the next row id is always the next revision.
 */
export class MvccWriter {
  private rev: number;
  private compactRev: number;
  private readonly stmt: Record<'latest' | 'insert' | 'seq' | 'getMeta' | 'setMeta' | 'compact', Statement>;

  constructor(private readonly db: Db) {
    this.stmt = {
      latest: db.prepare('SELECT id, name, create_revision, prev_revision, deleted, value FROM kv WHERE name = ? ORDER BY id DESC LIMIT 1'),
      insert: db.prepare('INSERT INTO kv (name, create_revision, prev_revision, deleted, value) VALUES (?, ?, ?, ?, ?)'),
      seq: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'kv'"),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      compact: db.prepare(`DELETE FROM kv WHERE id <= ? AND (deleted = 1 OR
        id < (SELECT MAX(k2.id) FROM kv k2 WHERE k2.name = kv.name AND k2.id <= ?))`),
    };
    this.rev = this.readRevision();
    this.compactRev = (this.stmt.getMeta.get('compact_revision') as { value: number } | undefined)?.value ?? 0;
  }

  /** Applies a batch in one transaction (one sync at commit). */
  applyBatch(ops: WriteOpWire[]): BatchResult {
    const outcomes: WriteOutcome[] = [];
    try {
      this.db.transaction(() => {
        for (const op of ops) outcomes.push(this.apply(op));
      })();
    } catch (err) {
      // The transaction rolled back: what this writer believed it changed did not happen.
      this.rev = this.readRevision();
      this.compactRev = (this.stmt.getMeta.get('compact_revision') as { value: number } | undefined)?.value ?? 0;
      return { fatal: err instanceof Error ? err.message : String(err), revision: this.rev };
    }
    return { outcomes, revision: this.rev, compactedRevision: this.compactRev };
  }

  private apply(op: WriteOpWire): WriteOutcome {
    if (op.kind === 'compact') {
      const target = Math.min(op.revision, this.rev);
      if (target > this.compactRev) {
        this.stmt.compact.run(target, target);
        this.stmt.setMeta.run('compact_revision', target);
        this.compactRev = target;
      }
      return { ok: true, revision: this.rev, createRevision: 0 };
    }
    const cur = this.stmt.latest.get(op.key) as KvRow | undefined;
    const exists = cur !== undefined && !cur.deleted;
    if (op.kind === 'create') {
      if (exists) return { ok: false, code: 'KeyExists', key: op.key };
      const id = this.insert(op.key, this.rev + 1, cur?.id ?? 0, 0, op.value);
      return { ok: true, revision: id, createRevision: id };
    }
    if (!exists) return { ok: false, code: 'NotFound', key: op.key };
    const prev = toWire(cur!);
    if (op.expected !== undefined && op.expected !== cur!.id) return { ok: false, code: 'Conflict', key: op.key, current: prev };
    if (op.kind === 'update') {
      const id = this.insert(op.key, cur!.create_revision, cur!.id, 0, op.value);
      return { ok: true, revision: id, createRevision: cur!.create_revision, prev };
    }
    const id = this.insert(op.key, cur!.create_revision, cur!.id, 1, cur!.value);
    return { ok: true, revision: id, createRevision: cur!.create_revision, prev };
  }

  private insert(key: string, createRev: number, prevRev: number, deleted: number, value: Uint8Array): number {
    const info = this.stmt.insert.run(key, createRev, prevRev, deleted, value);
    const id = Number(info.lastInsertRowid);
    if (id !== this.rev + 1) throw new Error(`revision sequence broken: expected ${this.rev + 1}, got ${id}`);
    this.rev = id;
    return id;
  }

  private readRevision(): number {
    return (this.stmt.seq.get() as { seq: number } | undefined)?.seq ?? 0;
  }
}

function toWire(row: KvRow): KvWire {
  return { key: row.name, value: row.value, createRevision: row.create_revision, modRevision: row.id };
}
