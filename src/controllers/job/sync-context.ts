/** The working state of one job sync, shared by its steps. */
import type { KubeObject } from '../../client/object.js';
import type { BackoffRecord } from './backoff.js';
import type { JobCondition } from './conditions.js';
import type { Intervals } from './indexes.js';

/** One sync of one job. `job` is a private copy the steps update. */
export interface SyncContext {
  key: string;
  job: KubeObject;
  /** Every pod the job owns (after adoption). */
  pods: KubeObject[];
  activePods: KubeObject[];
  /** The condition the job is heading to (interim or final), if any. */
  finished?: JobCondition;
  succeeded: number;
  failed: number;
  prevSucceededIndexes: Intervals;
  succeededIndexes: Intervals;
  newBackoff: BackoffRecord;
  /** Pods whose finalizer removal is still expected to show in the cache. */
  expectedRmFinalizers: Set<string>;
  uncounted: { succeeded: Set<string>; failed: Set<string> };
  terminating: number;
  ready: number;
}

/** Whether the job runs in Indexed completion mode. */
export const isIndexed = (job: KubeObject): boolean => job.spec?.completionMode === 'Indexed';
