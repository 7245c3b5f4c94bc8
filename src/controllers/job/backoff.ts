/**
 * The delay before a failed job pod is replaced: it doubles with each failure since the last
 * success, from a base (upstream 10 s) up to a cap (upstream 10 min), counted from the time the
 * last failed pod finished.
 */
import type { KubeObject } from '../../client/object.js';
import { podFinishedAt } from './pods.js';

/** Failures of one job since its last success. */
export interface BackoffRecord {
  key: string;
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

const byFinish = (pods: KubeObject[]) => [...pods].sort((a, b) => podFinishedAt(a) - podFinishedAt(b));

/** Records per job key. */
export class BackoffStore {
  private readonly records = new Map<string, BackoffRecord>();

  /** Replaces the record of its key. */
  update(record: BackoffRecord): void {
    this.records.set(record.key, { ...record });
  }

  remove(key: string): void {
    this.records.delete(key);
  }

  /**
   * The record after counting newly finished pods: failures add up until a success; failures that
   * finished after the latest success count again from there.
   */
  next(key: string, newSucceeded: KubeObject[], newFailed: KubeObject[]): BackoffRecord {
    const old = this.records.get(key);
    const record: BackoffRecord = { key, failuresAfterLastSuccess: old?.failuresAfterLastSuccess ?? 0, lastFailureTime: old?.lastFailureTime };
    const succeeded = byFinish(newSucceeded);
    const failed = byFinish(newFailed);
    if (succeeded.length === 0) {
      if (failed.length === 0) return record;
      record.failuresAfterLastSuccess += failed.length;
      record.lastFailureTime = podFinishedAt(failed[failed.length - 1]);
      return record;
    }
    record.failuresAfterLastSuccess = 0;
    record.lastFailureTime = undefined;
    const lastSuccess = podFinishedAt(succeeded[succeeded.length - 1]);
    for (let i = failed.length - 1; i >= 0; i--) {
      const at = podFinishedAt(failed[i]);
      if (at <= lastSuccess) break;
      record.lastFailureTime ??= at;
      record.failuresAfterLastSuccess++;
    }
    return record;
  }
}

/** How long pod creation must still wait after `failures` failures, the last at `lastFailure`. */
export function remainingBackoffMs(now: number, baseMs: number, maxMs: number, failures: number, lastFailure: number | undefined): number {
  if (failures === 0 || lastFailure === undefined) return 0;
  let backoff = baseMs;
  for (let i = 1; i < failures; i++) {
    backoff *= 2;
    if (backoff >= maxMs) {
      backoff = maxMs;
      break;
    }
  }
  const elapsed = now - lastFailure;
  return backoff < elapsed ? 0 : backoff - elapsed;
}
