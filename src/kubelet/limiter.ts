/** Bounded concurrency for API writes shared by many simulated nodes. */

/**
 * Runs at most `concurrency` tasks at once; further tasks wait in FIFO order. A task's
 * rejection is passed to its caller only.
 */
export class Limiter {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(readonly concurrency: number) {
    if (!(concurrency >= 1)) throw new Error('concurrency must be at least 1');
  }

  /** How many tasks run or wait. */
  get pending(): number {
    return this.active + this.queue.length;
  }

  /** Runs `task` when a slot is free; resolves or rejects with its result. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the longest waiter, so `active` never overshoots.
    if (this.active >= this.concurrency) await new Promise<void>((r) => this.queue.push(r));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/** Runs `fn` over `items` with at most `concurrency` at once; rejects with the first failure after all settled. */
export async function mapLimited<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i], i);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failure !== undefined) throw failure;
  return out;
}
