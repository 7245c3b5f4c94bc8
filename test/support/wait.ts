import { isNotFound } from '../../src/client/errors.js';

/**
 * Polls `read` every 50 ms until `done` holds for its answer, and answers that value; a 404 on
 * the way counts as "not yet". Throws, naming `what` and the last value, after `timeoutMs`.
 */
export async function waitFor<T>(read: () => Promise<T>, done: (v: T) => boolean, what = 'condition', timeoutMs = 20_000): Promise<T> {
  let last: T | undefined;
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: not reached; last value: ${JSON.stringify(last)}`);
}
