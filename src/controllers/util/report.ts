import { isConflict } from '../../client/index.js';

/**
 * The error reporter controllers give `runWorkers`: a sync that lost an optimistic-concurrency race
 * (409 Conflict, a stale cache) is retried without noise; anything else is a warning.
 */
export function reportSyncError(queueName: string): (key: string, err: unknown) => void {
  return (key, err) => {
    if (isConflict(err)) return;
    process.emitWarning(`${queueName}: syncing "${key}" failed: ${(err as Error)?.message ?? err}`, 'ControllerWarning');
  };
}
