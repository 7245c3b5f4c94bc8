/** Options of {@link WorkQueue}. */
export interface WorkQueueOptions {
  name?: string;
  /** Per-key exponential backoff of {@link WorkQueue.addRateLimited}: base and cap (default 5 ms and 1000 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * A queue of keys to reconcile, as controllers use it:
 *
 * - a key added while it waits is queued once (dedup);
 * - a key being processed is never handed out again until {@link done}; adds during that
 *   time mark it dirty, and it is queued again on `done`;
 * - {@link addRateLimited} re-adds after a per-key delay doubling from `baseDelayMs` up to
 *   `maxDelayMs`; {@link forget} resets that key's count;
 * - after {@link shutDown}, {@link get} resolves undefined once the queue has drained.
 */
export class WorkQueue {
  private readonly queue: string[] = [];
  private head = 0;
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly waiters: ((key: string | undefined) => void)[] = [];
  private shuttingDown = false;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(readonly opts: WorkQueueOptions = {}) {
    this.baseDelayMs = opts.baseDelayMs ?? 5;
    this.maxDelayMs = opts.maxDelayMs ?? 1_000_000;
  }

  /** Keys waiting (not counting those being processed). */
  get length(): number {
    return this.queue.length - this.head;
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const waiter = this.waiters.shift();
    if (waiter) {
      this.dirty.delete(key);
      this.processing.add(key);
      waiter(key);
      return;
    }
    this.queue.push(key);
  }

  /** Adds `key` after `ms`; when the key is already waiting for a time, the earlier time wins. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = Date.now() + ms;
    const pending = this.timers.get(key);
    if (pending) {
      if (pending.at <= at) return;
      clearTimeout(pending.timer);
    }
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    this.timers.set(key, { at, timer });
  }

  /** Adds `key` after its backoff, which doubles with every call until {@link forget}. */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** n));
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** The next key to process (marked as being processed), or undefined after shut down. */
  get(): Promise<string | undefined> {
    if (this.head < this.queue.length) {
      const key = this.queue[this.head++];
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks `key` processed; if it was added meanwhile, it is queued again. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  /** Stops accepting keys; waiting `get` calls resolve undefined. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
  }
}

/**
 * Runs `workers` loops over `queue` until `signal` aborts (which shuts the queue down): each
 * takes a key, calls `sync(key)`, forgets the key's backoff on success or re-adds it rate
 * limited when `sync` throws (reported through `onError`, default a warning), and marks it
 * done. Resolves when every loop has ended.
 */
export async function runWorkers(
  queue: WorkQueue, workers: number, sync: (key: string) => Promise<void>, signal: AbortSignal,
  onError: (key: string, err: unknown) => void = (key, err) =>
    process.emitWarning(`${queue.opts.name ?? 'workqueue'}: syncing "${key}" failed: ${(err as Error)?.message ?? err}`, 'ControllerWarning'),
): Promise<void> {
  if (signal.aborted) queue.shutDown();
  else signal.addEventListener('abort', () => queue.shutDown(), { once: true });
  const loop = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await sync(key);
        queue.forget(key);
      } catch (err) {
        if (!signal.aborted) {
          onError(key, err);
          queue.addRateLimited(key);
        }
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, loop));
}
