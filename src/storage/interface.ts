/**
 * The storage contract of tskube: an etcd-v3-shaped MVCC key-value store.
 *
 * Every backend (embedded SQLite, etcd) implements {@link Storage} and passes the one
 * conformance suite in `test/storage/conformance.ts`. The API server never sees anything
 * else of a backend.
 *
 * Semantics (the same as etcd v3):
 * - The store has one global, strictly increasing revision. Every successful write (create,
 *   update, delete) makes exactly one new revision; the object's resourceVersion is the
 *   revision of its last write (`modRevision`).
 * - Keys are strings such as `/registry/configmaps/default/x`; values are opaque bytes
 *   (tskube stores JSON).
 * - Conditional writes compare the key's current `modRevision` with the expected one.
 * - A watch started after revision R delivers every change with revision > R for the keys under
 *   its prefix, in revision order, exactly once, until it is stopped or fails.
 * - Compaction at revision C forgets history older than C: reads at a revision < C and watches
 *   starting before C fail with {@link StorageError} code `Compacted`.
 */

/** One version of one key. */
export interface KeyValue {
  key: string;
  value: Buffer;
  /** Revision at which the key was (last) created. */
  createRevision: number;
  /** Revision of the last write to the key: its resourceVersion. */
  modRevision: number;
}

/** A change seen by a watch. `kv.modRevision` is the change's revision. */
export interface WatchEvent {
  type: 'put' | 'delete';
  /** For `put`, the new value. For `delete`, the key with an empty value and the deleting revision. */
  kv: KeyValue;
  /** The value before the change, when there was one. */
  prevKv?: KeyValue;
}

/** Options of {@link Storage.list}. */
export interface ListOptions {
  /** Read the state as of this revision; 0 or absent means the newest. */
  revision?: number;
  /** At most this many items; 0 or absent means no limit. */
  limit?: number;
  /** Begin at this key (inclusive), used to continue a paged list. */
  startKey?: string;
}

/** The answer of {@link Storage.list}. */
export interface ListResult {
  items: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** True when more keys follow under the prefix (the list was cut by `limit`). */
  more: boolean;
  /** How many keys under the prefix (from `startKey`) were left out by `limit`. */
  remaining: number;
}

/** The answer of a write. */
export interface WriteResult {
  /** The revision of the write. */
  revision: number;
}

/** A running watch. Stopping it is idempotent; no event is delivered after `stop()` returns. */
export interface Watch {
  stop(): void;
  /**
   * Asks the backend to report, through {@link WatchHandler.onProgress}, the newest revision this
   * watch has caught up with, even when nothing under its prefix changed (etcd's progress request).
   */
  requestProgress(): void;
}

/** The callbacks of a watch. `onError` is final: no event follows it. */
export interface WatchHandler {
  /** Events of one or more revisions, in order. */
  onEvents(events: WatchEvent[]): void;
  /** The watch failed (for example `Compacted`) and has stopped. */
  onError(err: StorageError): void;
  /**
   * Every change up to `revision` has been delivered. Called after {@link Watch.requestProgress},
   * and whenever else the backend knows it cheaply.
   */
  onProgress?(revision: number): void;
}

/** The storage contract. See the module comment for the semantics. */
export interface Storage {
  /** A short name of the backend for logs and metrics: `sqlite` or `etcd`. */
  readonly backend: string;
  /** The newest revision of the store. */
  currentRevision(): Promise<number>;
  /** The newest value of a key, or null when it does not exist. */
  get(key: string): Promise<KeyValue | null>;
  /** Keys under `prefix` in key order, as of a revision. Fails with `Compacted` for a compacted revision. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** How many keys exist under `prefix` now. */
  count(prefix: string): Promise<number>;
  /** Creates a key. Fails with `KeyExists` when it exists. */
  create(key: string, value: Buffer): Promise<WriteResult>;
  /**
   * Replaces a key's value when its modRevision equals `expectedModRevision`.
   * Fails with `NotFound` when the key is missing and with `Conflict` (carrying the current value)
   * when the revision differs.
   */
  update(key: string, value: Buffer, expectedModRevision: number): Promise<WriteResult>;
  /**
   * Deletes a key, when given only if its modRevision equals `expectedModRevision`.
   * Returns the deleted value. Fails with `NotFound` or `Conflict` as {@link update}.
   */
  delete(key: string, expectedModRevision?: number): Promise<WriteResult & { prev: KeyValue }>;
  /** Watches changes under `prefix` with revision > `afterRevision`. */
  watch(prefix: string, afterRevision: number, handler: WatchHandler): Watch;
  /** Forgets history before `revision`. Compacting at or below the compacted revision is a no-op. */
  compact(revision: number): Promise<void>;
  /** The revision history was compacted to (0 when never). */
  compactedRevision(): Promise<number>;
  /** Releases everything; pending writes are finished first. */
  close(): Promise<void>;
}

/** Why a storage operation failed. */
export type StorageErrorCode = 'KeyExists' | 'NotFound' | 'Conflict' | 'Compacted' | 'Unavailable';

/** The one error type of the storage layer. */
export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    readonly key: string,
    message: string,
    /** For `Conflict`: the current value. For `Compacted`: `compactedRevision` is set. */
    readonly current?: KeyValue,
    readonly compactedRevision?: number,
  ) {
    super(message);
    this.name = 'StorageError';
  }

  static keyExists(key: string): StorageError {
    return new StorageError('KeyExists', key, `key exists: ${key}`);
  }
  static notFound(key: string): StorageError {
    return new StorageError('NotFound', key, `key not found: ${key}`);
  }
  static conflict(key: string, current: KeyValue): StorageError {
    return new StorageError('Conflict', key, `revision conflict on ${key}`, current);
  }
  static compacted(requested: number, compacted: number): StorageError {
    return new StorageError('Compacted', '', `revision ${requested} has been compacted (${compacted})`, undefined, compacted);
  }
}

/** The smallest key greater than every key that starts with `prefix` (etcd's range end). */
export function prefixEnd(prefix: string): string {
  // Keys are ASCII paths here; bumping the last character gives the exclusive upper bound.
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
