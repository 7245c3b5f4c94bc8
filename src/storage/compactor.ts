import type { Storage } from './interface.js';

/** Options of {@link startCompactor}. */
export interface CompactorOptions {
  /** How often to compact; upstream's default is five minutes. */
  intervalMs?: number;
  /** Called with each failure (the compactor keeps running). */
  onError?: (err: unknown) => void;
}

/**
 * Compacts storage by itself, as upstream's API server does: on each tick it compacts to the
 * revision it saw on the previous tick, so one interval of history is always kept. Returns a
 * function that stops it.
 */
export function startCompactor(storage: Storage, opts: CompactorOptions = {}): () => void {
  const interval = opts.intervalMs ?? 5 * 60 * 1000;
  let seen = 0;
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const current = await storage.currentRevision();
      if (seen > 0) await storage.compact(seen);
      seen = current;
    } catch (err) {
      opts.onError?.(err);
    } finally {
      running = false;
    }
  }, interval);
  timer.unref();
  return () => clearInterval(timer);
}
