/**
 * A set of allocated offsets of one range (cluster IPs or node ports) kept in storage under one key,
 * changed only by compare-and-swap so that API servers sharing the storage never hand out the
 * same value twice: every change applies to the newest copy (the cached one, re-read whenever a
 * write finds it stale or the change would write nothing) and writes it back conditioned on the
 * revision it read.
 */
import { StorageError, type KeyValue, type Storage } from '../../../../storage/interface.js';

/** The JSON kept under the key. */
interface StoredForm {
  /** The range the offsets count in (`10.96.0.0/12`, `30000-32767`). */
  range: string;
  /** Allocated offsets, ascending. */
  allocated: number[];
  /** Offsets allocated within the last {@link RECENT_MS}, with the time (ms since the epoch). */
  recent?: Array<[number, number]>;
}

interface State {
  set: Set<number>;
  recent: Map<number, number>;
  /** The key's modRevision; 0 when the key does not exist. */
  revision: number;
}

interface Draft {
  set: Set<number>;
  recent: Map<number, number>;
  changed: boolean;
}

/**
 * How long an allocation counts as in flight: repair keeps an allocated value no stored service
 * uses yet while it is younger than this, as the create that took it may still be writing.
 */
export const RECENT_MS = 60_000;

/** What {@link AllocationSet.repair} changed. */
export interface RepairResult {
  /** Allocated offsets no service uses, now free. */
  freed: number[];
  /** Offsets services use that were not allocated, now allocated. */
  added: number[];
}

/** The persistent allocation state of one range. See the module comment. */
export class AllocationSet {
  private state: State | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  /**
   * @param key storage key of the state (`/registry/ranges/serviceips`)
   * @param range the range's text; a stored state of another range is ignored (repair rebuilds it)
   * @param size how many offsets the range has
   * @param staticBand offsets below this are only handed out on request, or when the rest is full
   */
  constructor(private readonly storage: Storage, readonly key: string, readonly range: string, readonly size: number,
    readonly staticBand: number, private readonly now: () => number = Date.now) {}

  /** Takes `offset`; false when it is already taken. */
  allocate(offset: number): Promise<boolean> {
    return this.change((d) => {
      if (d.set.has(offset)) return false;
      this.take(d, offset);
      return true;
    });
  }

  /**
   * Takes a free offset, chosen at random in the upper band first and in the lower band only when
   * the upper one is full; undefined when the range is full.
   */
  allocateNext(): Promise<number | undefined> {
    return this.change((d) => {
      const found = freeOffsetIn(d.set, this.staticBand, this.size) ?? freeOffsetIn(d.set, 0, this.staticBand);
      if (found !== undefined) this.take(d, found);
      return found;
    });
  }

  /** Gives offsets back; offsets that are not taken are ignored. */
  async release(offsets: Iterable<number>): Promise<void> {
    const list = [...offsets];
    if (list.length === 0) return;
    await this.change((d) => {
      for (const o of list) {
        if (d.set.delete(o)) d.changed = true;
        d.recent.delete(o);
      }
    });
  }

  /** Whether `offset` is taken, as storage holds it now. */
  async has(offset: number): Promise<boolean> {
    return this.exclusive(async () => {
      this.state = await this.load();
      return this.state.set.has(offset);
    });
  }

  /**
   * Makes the taken set agree with `inUse`, the offsets stored objects use: values no object uses
   * are freed unless taken within {@link RECENT_MS} (a create may still be writing its object), and
   * used values that are not taken are taken.
   */
  async repair(inUse: Iterable<number>): Promise<RepairResult> {
    const used = new Set([...inUse].filter((o) => Number.isInteger(o) && o >= 0 && o < this.size));
    await this.exclusive(async () => { this.state = null; });
    return this.change((d) => {
      const result: RepairResult = { freed: [], added: [] };
      const cutoff = this.now() - RECENT_MS;
      for (const o of [...d.set]) {
        if (used.has(o)) continue;
        const at = d.recent.get(o);
        if (at !== undefined && at > cutoff) continue;
        d.set.delete(o);
        d.recent.delete(o);
        result.freed.push(o);
      }
      for (const o of used) {
        if (!d.set.has(o)) {
          d.set.add(o);
          result.added.push(o);
        }
      }
      if (result.freed.length + result.added.length > 0) d.changed = true;
      result.freed.sort((a, b) => a - b);
      result.added.sort((a, b) => a - b);
      return result;
    });
  }

  private take(d: Draft, offset: number): void {
    d.set.add(offset);
    d.recent.set(offset, this.now());
    d.changed = true;
  }

  /** Runs `fn` after every earlier operation of this process on the set has finished. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Applies `edit` to the newest state and writes it when it changed, retrying on conflicts. */
  private change<T>(edit: (d: Draft) => T): Promise<T> {
    return this.exclusive(async () => {
      for (;;) {
        const fresh = this.state === null;
        const cur = this.state ?? await this.load();
        const draft: Draft = { set: new Set(cur.set), recent: new Map(cur.recent), changed: false };
        const result = edit(draft);
        if (!draft.changed) {
          // Nothing to write: answer only from what storage holds now, not from a copy another
          // API server may have changed since (a value it released would look taken).
          this.state = fresh ? cur : null;
          if (fresh) return result;
          continue;
        }
        const cutoff = this.now() - RECENT_MS;
        for (const [o, at] of draft.recent) if (at <= cutoff || !draft.set.has(o)) draft.recent.delete(o);
        const value = this.encode(draft);
        try {
          const r = cur.revision === 0 ? await this.storage.create(this.key, value) : await this.storage.update(this.key, value, cur.revision);
          this.state = { set: draft.set, recent: draft.recent, revision: r.revision };
          return result;
        } catch (err) {
          if (!(err instanceof StorageError) || !['Conflict', 'KeyExists', 'NotFound'].includes(err.code)) throw err;
          // Another writer got there first: start over from its state.
          this.state = err.code === 'Conflict' && err.current ? this.decode(err.current) : null;
        }
      }
    });
  }

  private async load(): Promise<State> {
    const kv = await this.storage.get(this.key);
    return kv ? this.decode(kv) : { set: new Set(), recent: new Map(), revision: 0 };
  }

  private decode(kv: KeyValue): State {
    let form: StoredForm | undefined;
    try {
      form = JSON.parse(kv.value.toString('utf8')) as StoredForm;
    } catch {
      form = undefined;
    }
    // A state of another range (the flag changed) or an unreadable one counts as empty.
    if (!form || form.range !== this.range || !Array.isArray(form.allocated)) {
      return { set: new Set(), recent: new Map(), revision: kv.modRevision };
    }
    const set = new Set(form.allocated.filter((o) => Number.isInteger(o) && o >= 0 && o < this.size));
    const recent = new Map((form.recent ?? []).filter(([o]) => set.has(o)));
    return { set, recent, revision: kv.modRevision };
  }

  private encode(d: Draft): Buffer {
    const form: StoredForm = { range: this.range, allocated: [...d.set].sort((a, b) => a - b) };
    if (d.recent.size > 0) form.recent = [...d.recent].sort((a, b) => a[0] - b[0]);
    return Buffer.from(JSON.stringify(form));
  }
}

/** A free offset in [from, to), starting at a random place and scanning forward with wrap-around. */
function freeOffsetIn(taken: Set<number>, from: number, to: number): number | undefined {
  const n = to - from;
  if (n <= 0) return undefined;
  const start = Math.floor(Math.random() * n);
  for (let i = 0; i < n; i++) {
    const o = from + ((start + i) % n);
    if (!taken.has(o)) return o;
  }
  return undefined;
}
