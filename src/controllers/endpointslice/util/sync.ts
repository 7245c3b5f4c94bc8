/** Waiting for informer caches. */

/** Something that lists once and then has synced. */
export interface Syncable {
  waitForSync(signal?: AbortSignal): Promise<void>;
}

/**
 * Resolves once every informer has synced, or as soon as `signal` aborts; answers whether they
 * synced. One abort listener in all, however many informers.
 */
export async function waitForCaches(signal: AbortSignal, informers: Syncable[]): Promise<boolean> {
  if (signal.aborted) return false;
  let onAbort!: () => void;
  const aborted = new Promise<void>((resolve) => { onAbort = resolve; });
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.race([Promise.all(informers.map((i) => i.waitForSync())), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  return !signal.aborted;
}
