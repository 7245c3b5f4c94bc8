/**
 * Controller expectations: how many creations and deletions a controller has asked for and not yet
 * seen in its informers. While a key's expectations are pending (and younger than the timeout) the
 * controller must not act on the cache again, or it would double-create or double-delete.
 */

/** How long expectations stay binding before a sync goes ahead anyway (upstream: 5 minutes). */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Expectation {
  add: number;
  del: number;
  timestamp: number;
  /** Keys (`ns/name`) of pods whose deletion is expected. */
  deleteKeys: Set<string>;
}

/** Expectations per controller key, with the pod keys of expected deletions tracked. */
export class Expectations {
  private readonly map = new Map<string, Expectation>();

  constructor(private readonly clock: () => number = Date.now, private readonly timeoutMs = EXPECTATIONS_TIMEOUT_MS) {}

  /** True when the controller may sync: nothing pending, the expectations expired, or none recorded. */
  satisfied(key: string): boolean {
    const e = this.map.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock() - e.timestamp > this.timeoutMs;
  }

  /** Records that `count` creations were just requested (replacing earlier expectations). */
  expectCreations(key: string, count: number): void {
    this.map.set(key, { add: count, del: 0, timestamp: this.clock(), deleteKeys: new Set() });
  }

  /** Records that the pods with these keys are about to be deleted (replacing earlier expectations). */
  expectDeletions(key: string, podKeys: string[]): void {
    const keys = new Set(podKeys);
    this.map.set(key, { add: 0, del: keys.size, timestamp: this.clock(), deleteKeys: keys });
  }

  /** An expected creation was seen (or will never happen). */
  creationObserved(key: string): void {
    const e = this.map.get(key);
    if (e) e.add--;
  }

  /** The pod `podKey` is gone; lowers the deletions only if it was one of the expected ones. */
  deletionObserved(key: string, podKey: string): void {
    const e = this.map.get(key);
    if (e && e.deleteKeys.delete(podKey)) e.del--;
  }

  /** Forgets a controller's expectations (it was deleted). */
  delete(key: string): void {
    this.map.delete(key);
  }

  /** The pending counts, for tests and logs. */
  pending(key: string): { add: number; del: number } | undefined {
    const e = this.map.get(key);
    return e ? { add: e.add, del: e.del } : undefined;
  }
}
