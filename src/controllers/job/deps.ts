/** What the Job controller's pieces share: the client, the clock, tunables and bookkeeping. */
import type { KubeClient } from '../../client/kube-client.js';
import type { Expectations } from '../util/expectations.js';
import type { BackoffStore } from './backoff.js';

/** What the controller needs of an event recorder (the client library's EventRecorder fits). */
export interface Recorder {
  event(obj: { metadata: object }, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/** Timings of the Job controller; upstream's values are the defaults. */
export interface JobTunables {
  /** Delay that batches syncs triggered by pod events and status updates (upstream 1 s). */
  syncBatchPeriodMs: number;
  /** First delay before replacing a failed pod, doubled per failure (upstream 10 s). */
  podFailureBackoffMs: number;
  /** Cap of that delay (upstream 10 min). */
  maxPodFailureBackoffMs: number;
  /** Retry backoff after a failed sync (upstream 1 s doubling up to 1 min). */
  apiBackoffMs: number;
  maxApiBackoffMs: number;
}

export const DEFAULT_JOB_TUNABLES: JobTunables = {
  syncBatchPeriodMs: 1000,
  podFailureBackoffMs: 10_000,
  maxPodFailureBackoffMs: 600_000,
  apiBackoffMs: 1000,
  maxApiBackoffMs: 60_000,
};

/**
 * Pod uids per job key whose tracking finalizer the controller removed and has not yet seen
 * gone in its informer; those pods are not counted twice meanwhile.
 */
export class FinalizerExpectations {
  private readonly map = new Map<string, Set<string>>();

  expectRemoved(key: string, uids: string[]): void {
    const set = this.map.get(key) ?? new Set<string>();
    for (const u of uids) set.add(u);
    this.map.set(key, set);
  }

  observed(key: string, uid: string): void {
    const set = this.map.get(key);
    if (!set) return;
    set.delete(uid);
    if (set.size === 0) this.map.delete(key);
  }

  /** A copy of the expected uids of a key. */
  expected(key: string): Set<string> {
    return new Set(this.map.get(key) ?? []);
  }

  delete(key: string): void {
    this.map.delete(key);
  }
}

/** The shared state handed to the sync functions. */
export interface JobDeps {
  client: KubeClient;
  recorder: Recorder;
  clock: () => number;
  tunables: JobTunables;
  expectations: Expectations;
  finalizerExpectations: FinalizerExpectations;
  backoff: BackoffStore;
  /** Syncs the job key again after `ms` (0: now). */
  enqueueAfter(key: string, ms: number): void;
}
