/**
 * Owners the API server said do not exist, remembered (least recently used first out) so that
 * many dependents of one deleted owner cost one lookup.
 */
import { identityKey, type ObjectIdentity } from './graph.js';

/** Upstream's size of the absent owner cache. */
export const ABSENT_OWNER_CACHE_SIZE = 500;

/** An LRU set of identities. */
export class AbsentOwnerCache {
  private readonly entries = new Map<string, true>();

  constructor(private readonly capacity = ABSENT_OWNER_CACHE_SIZE) {}

  add(id: ObjectIdentity): void {
    const key = identityKey(id);
    this.entries.delete(key);
    this.entries.set(key, true);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  has(id: ObjectIdentity): boolean {
    const key = identityKey(id);
    if (!this.entries.has(key)) return false;
    this.entries.delete(key);
    this.entries.set(key, true);
    return true;
  }
}
