/** The first batch size of {@link slowStartBatch} (upstream's SlowStartInitialBatchSize). */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

/**
 * Calls `fn` `count` times in batches that double in size (1, 2, 4, …), each batch concurrently;
 * stops after the first batch with a failure so that a systematic error (quota, admission) costs
 * one call rather than `count`. Resolves the number of successful calls and the first error seen.
 */
export async function slowStartBatch(
  count: number, initialBatchSize: number, fn: () => Promise<void>,
): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let size = Math.min(remaining, initialBatchSize); size > 0; size = Math.min(2 * size, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: size }, () => fn()));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += size - failures.length;
    if (failures.length > 0) return { successes, error: failures[0].reason };
    remaining -= size;
  }
  return { successes };
}
