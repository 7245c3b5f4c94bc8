import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';

/**
 * The SQLite layout of the embedded store: one MVCC log table whose row id is the revision.
 *
 * Every write appends one row: a create or update carries the new value, a delete appends a
 * tombstone (`deleted = 1`) carrying the value that was deleted. The newest row of a name is its
 * current state. `prev_revision` points at the row the write replaced, so a watch that replays
 * history can hand out the previous value. AUTOINCREMENT keeps revisions from ever being reused,
 * even after compaction removes the newest rows of deleted keys.
 */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS kv (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  value BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS kv_name_id ON kv (name, id);
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
`;

/** The row shape the queries of the store return. */
export interface KvRow {
  id: number;
  name: string;
  create_revision: number;
  prev_revision: number;
  deleted: number;
  value: Buffer;
}

/**
 * Opens (and creates when missing) the database file: WAL mode with `synchronous=FULL`, so a
 * committed transaction is on disk before the commit returns.
 */
export function openDatabase(path: string): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA_SQL);
  return db;
}
