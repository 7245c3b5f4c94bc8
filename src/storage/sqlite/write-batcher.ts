import type { Database as Db } from 'better-sqlite3';
import type { KeyValue, WatchEvent, WriteResult } from '../interface.js';

/** One queued write of the SQLite store. */
export interface WriteOp {
  kind: 'create' | 'update' | 'delete';
  key: string;
  value?: Buffer;
  expected?: number;
}

type Applied = { result: WriteResult & { prev?: KeyValue }; event: WatchEvent };

interface Pending {
  op?: WriteOp;
  task?: () => void;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

/**
 * Group commit for the SQLite store.
 *
 * Writes submitted while the event loop is busy are queued; on the next turn the whole queue is
 * applied in ONE transaction and made durable with ONE sync, and only then is each caller's
 * promise settled and the batch's events published. A write that fails its own precondition
 * (exists, conflict, not found) fails alone and leaves no row; if the commit itself fails, every
 * write of the batch is rejected and `onAbort` lets the store re-read its revision.
 */
export class WriteBatcher {
  private queue: Pending[] = [];
  private scheduled = false;
  private idle: Promise<void> = Promise.resolve();
  private idleResolve: (() => void) | null = null;
  /** Sizes of the recent batches, for metrics. */
  readonly stats = { batches: 0, writes: 0 };

  constructor(
    private readonly db: Db,
    private readonly apply: (op: WriteOp) => Applied,
    private readonly publish: (events: WatchEvent[]) => void,
    private readonly group: boolean,
    private readonly onAbort: () => void = () => {},
  ) {}

  /** Queues a write; settles after the batch holding it is durable. */
  submit(op: WriteOp): Promise<WriteResult & { prev?: KeyValue }> {
    return new Promise((resolve, reject) => this.enqueue({ op, resolve: resolve as (v: unknown) => void, reject }));
  }

  /** Runs `task` inside the write order (alone in its own transaction). */
  exclusive(task: () => void): Promise<void> {
    return new Promise((resolve, reject) => this.enqueue({ task, resolve: resolve as (v: unknown) => void, reject }));
  }

  /** Resolves once every queued write has been committed. */
  drain(): Promise<void> {
    return this.queue.length === 0 && !this.scheduled ? Promise.resolve() : this.idle;
  }

  private enqueue(p: Pending): void {
    if (this.queue.length === 0 && !this.scheduled) {
      this.idle = new Promise((r) => { this.idleResolve = r; });
    }
    this.queue.push(p);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    while (this.queue.length > 0) {
      const take = this.group ? takeUntilTask(this.queue) : this.queue.splice(0, 1);
      this.commit(take);
    }
    this.scheduled = false;
    this.idleResolve?.();
    this.idleResolve = null;
  }

  private commit(batch: Pending[]): void {
    const outcomes: Array<{ ok: true; value: Applied | undefined } | { ok: false; error: unknown }> = [];
    try {
      this.db.transaction(() => {
        for (const p of batch) {
          try {
            if (p.task) { p.task(); outcomes.push({ ok: true, value: undefined }); }
            else outcomes.push({ ok: true, value: this.apply(p.op!) });
          } catch (error) {
            if (p.task) throw error;
            outcomes.push({ ok: false, error });
          }
        }
      })();
    } catch (error) {
      this.onAbort();
      for (const p of batch) p.reject(error);
      return;
    }
    this.stats.batches++;
    this.stats.writes += batch.length;
    const events: WatchEvent[] = [];
    for (const o of outcomes) if (o.ok && o.value) events.push(o.value.event);
    if (events.length > 0) this.publish(events);
    batch.forEach((p, i) => {
      const o = outcomes[i];
      if (o.ok) p.resolve(o.value?.result);
      else p.reject(o.error);
    });
  }
}

/** Takes queued writes up to (and including, when first) the next exclusive task. */
function takeUntilTask(queue: Pending[]): Pending[] {
  if (queue[0].task) return queue.splice(0, 1);
  const i = queue.findIndex((p) => p.task);
  return queue.splice(0, i === -1 ? queue.length : i);
}
