import { Worker } from 'node:worker_threads';
import { StorageError, type KeyValue, type WatchEvent } from '../interface.js';
import type { BatchResult, KvWire, WriteOpWire, WriteOutcome } from './mvcc-writer.js';

interface Pending {
  op: WriteOpWire;
  resolve(o: WriteOutcome): void;
  reject(e: unknown): void;
}

/** What a committed batch tells the store. */
export interface CommitNotice {
  revision: number;
  compactedRevision: number;
  events: WatchEvent[];
}

/**
 * Group commit for the SQLite store.
 *
 * Writes are queued on the main thread. While the writer thread commits one batch, every write that
 * arrives waits; when the batch's answer comes back, all of them go to the writer as the next batch:
 * ONE transaction and ONE sync for the lot. A caller's promise settles only after its batch is
 * durable, and `onCommit` (which publishes the batch's events) runs before any of them settles. A
 * write that fails its own precondition fails alone; if the transaction itself fails, every write
 * of the batch is rejected.
 */
export class WriteBatcher {
  private queue: Pending[] = [];
  private inflight = false;
  private nextId = 1;
  private readonly waiting = new Map<number, { batch: Pending[]; settle(r: BatchResult): void }>();
  private idleWaiters: Array<() => void> = [];
  /** Why the writer thread can no longer be used (null while it can). */
  failure: Error | null = null;
  private readonly worker: Worker;
  private readonly ready: Promise<void>;
  /** How many transactions committed and how many writes they held. */
  readonly stats = { batches: 0, writes: 0 };

  constructor(path: string, private readonly group: boolean, private readonly onCommit: (n: CommitNotice) => void) {
    this.worker = new Worker(new URL('./writer-thread.js', import.meta.url), { workerData: { path } });
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('error', reject);
      const onReady = (m: { ready?: boolean }) => {
        if (!m.ready) return;
        this.worker.off('message', onReady);
        if (!this.inflight) this.worker.unref();
        resolve();
      };
      this.worker.on('message', onReady);
    });
    this.worker.on('message', (m: { id?: number; result?: BatchResult }) => {
      if (m.id === undefined || !m.result) return;
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      w?.settle(m.result);
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`the SQLite writer thread exited (${code})`)));
  }

  /** Resolves once the writer thread has opened the database. */
  started(): Promise<void> {
    return this.ready;
  }

  /** Queues a write; settles with its outcome after the batch holding it is durable. */
  submit(op: WriteOpWire): Promise<WriteOutcome> {
    if (this.failure) return Promise.reject(new StorageError('Unavailable', 'key' in op ? op.key : '', this.failure.message));
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      this.pump();
    });
  }

  /** Resolves once every queued write has been committed. */
  drain(): Promise<void> {
    if (this.failure || (!this.inflight && this.queue.length === 0)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops the writer thread after the queued writes. */
  async close(): Promise<void> {
    await this.drain();
    if (this.failure) return;
    this.failure = new Error('the store is closed');
    await new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.ref();
      this.worker.postMessage({ close: true });
    });
  }

  private pump(): void {
    if (this.inflight || this.queue.length === 0) return;
    const batch = this.group ? this.queue.splice(0, this.queue.length) : this.queue.splice(0, 1);
    this.inflight = true;
    // Keep the process alive while a batch is in the writer thread; idle, the thread holds nothing open.
    this.worker.ref();
    const id = this.nextId++;
    this.waiting.set(id, { batch, settle: (r) => this.settle(batch, r) });
    // Each value is copied into its own buffer and moved, not cloned: a small Buffer is usually a view
    // of a shared 8 KiB pool, which structured cloning would copy whole.
    const transfer: ArrayBuffer[] = [];
    const ops = batch.map((p) => {
      if (!('value' in p.op)) return p.op;
      const own = new Uint8Array(p.op.value);
      transfer.push(own.buffer);
      return { ...p.op, value: own };
    });
    this.worker.postMessage({ id, ops }, transfer);
  }

  private settle(batch: Pending[], r: BatchResult): void {
    this.inflight = false;
    if ('fatal' in r) {
      const err = new StorageError('Unavailable', '', `the write transaction failed: ${r.fatal}`);
      for (const p of batch) p.reject(err);
    } else {
      this.stats.batches++;
      this.stats.writes += batch.length;
      const events: WatchEvent[] = [];
      batch.forEach((p, i) => {
        const o = r.outcomes[i];
        if (o.ok && p.op.kind !== 'compact') events.push(eventOf(p.op, o));
      });
      this.onCommit({ revision: r.revision, compactedRevision: r.compactedRevision, events });
      batch.forEach((p, i) => p.resolve(r.outcomes[i]));
    }
    this.pump();
    if (!this.inflight && this.queue.length === 0) {
      this.worker.unref();
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.inflight = false;
    for (const w of this.waiting.values()) w.batch.forEach((p) => p.reject(new StorageError('Unavailable', '', err.message)));
    this.waiting.clear();
    for (const p of this.queue.splice(0)) p.reject(new StorageError('Unavailable', '', err.message));
    for (const w of this.idleWaiters.splice(0)) w();
  }
}

const EMPTY = Buffer.alloc(0);

/** The watch event of a committed write, from the op (which holds the new value) and its outcome. */
function eventOf(op: Exclude<WriteOpWire, { kind: 'compact' }>, o: Extract<WriteOutcome, { ok: true }>): WatchEvent {
  const prevKv = o.prev && toKv(o.prev);
  if (op.kind === 'delete') return { type: 'delete', kv: { key: op.key, value: EMPTY, createRevision: 0, modRevision: o.revision }, prevKv };
  const value = Buffer.isBuffer(op.value) ? op.value : Buffer.from(op.value);
  return { type: 'put', kv: { key: op.key, value, createRevision: o.createRevision, modRevision: o.revision }, prevKv };
}

/** A KeyValue from its cross-thread form (the bytes are shared, not copied). */
export function toKv(w: KvWire): KeyValue {
  return { key: w.key, value: Buffer.from(w.value.buffer, w.value.byteOffset, w.value.byteLength), createRevision: w.createRevision, modRevision: w.modRevision };
}
