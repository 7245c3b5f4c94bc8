/** Giving up on a key after a number of failed syncs, as upstream's `handleErr` does. */
import type { WorkQueue } from '../../../client/index.js';

/**
 * Wraps `sync` so that once `key` has been requeued `maxRetries` times its failure is reported
 * through `log` and dropped (the key forgotten) instead of retried again.
 */
export function withRetryLimit(
  queue: WorkQueue, maxRetries: number, sync: (key: string) => Promise<void>, log: (message: string) => void,
): (key: string) => Promise<void> {
  return async (key) => {
    try {
      await sync(key);
    } catch (err) {
      if (queue.numRequeues(key) < maxRetries) throw err;
      queue.forget(key);
      log(`dropping "${key}" out of the queue: ${(err as Error)?.message ?? err}`);
    }
  };
}
