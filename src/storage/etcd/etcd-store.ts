/**
 * The etcd backend of the storage contract: {@link EtcdStore} runs every operation of
 * {@link Storage} against a real etcd v3 cluster through the `etcd3` gRPC client.
 *
 * Mapping (the contract is etcd's own MVCC model, so this is mostly one call each):
 * - create / update / delete are single transactions that compare the key's create or mod
 *   revision and write, or read the current value in the failure branch (for `Conflict`).
 * - list / count / get / currentRevision are (linearizable) range requests.
 * - watch is one etcd watch stream per {@link Watch}; it resumes after the last delivered
 *   revision when a member dies, so events stay in order and exactly once.
 * - the compacted revision is etcd's own: it is read from the `compact_revision` that etcd
 *   puts on a watch it cancels for compaction, so several API servers sharing one etcd agree
 *   and compaction writes nothing (every revision still belongs to exactly one write).
 */
import { CompareResult, CompareTarget, Etcd3, isRecoverableError, type ICompare, type IKeyValue } from 'etcd3';
import { StorageError, type KeyValue, type ListOptions, type ListResult, type Storage } from '../interface.js';
import type { Watch, WatchHandler, WriteResult } from '../interface.js';
import { closeStream, EtcdWatch, messageOf } from './etcd-watch.js';

/** Options of {@link openEtcdStore}. */
export interface EtcdStoreOptions {
  /** Client URLs of the etcd members, such as `http://127.0.0.1:2379`. */
  endpoints: string[];
  /**
   * Prepended to every key on the wire and stripped from every key read back, so several
   * clusters (or test runs) can share one etcd. Default: none. Compaction is global to etcd.
   */
  prefix?: string;
  /** How long an operation keeps retrying while etcd is unreachable or electing a leader. Default 20 s. */
  retryWindowMs?: number;
}


const COMPACTED = 'required revision has been compacted';
const FUTURE = 'required revision is a future revision';
const EMPTY = Buffer.alloc(0);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Transient failures worth another attempt: unreachable member, leader election, open circuit breaker. */
const isTransient = (err: unknown): boolean =>
  err instanceof Error && (isRecoverableError(err) || err.constructor.name === 'BrokenCircuitError');

/** The smallest byte string greater than every key starting with `prefix` (`\0` = to the end of the keyspace). */
function bytesPrefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]! += 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/**
 * {@link Storage} on etcd v3. Create one with {@link openEtcdStore}.
 *
 * Errors are always {@link StorageError}: the contract's codes, and `Unavailable` when etcd
 * could not be reached within the retry window or a list asked for a future revision.
 * A write whose connection broke after sending may be applied and still be retried once by
 * the client; such a retry can report `KeyExists`/`Conflict` for a write that took effect.
 */
export class EtcdStore implements Storage {
  readonly backend = 'etcd';
  private closed = false;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly watches = new Set<EtcdWatch>();
  /** The highest compaction this process saw succeed or observed (compaction never goes back). */
  private knownCompacted = 0;

  /** Use {@link openEtcdStore}. */
  constructor(
    /** The underlying etcd3 client. */
    readonly client: Etcd3,
    private readonly prefix: string,
    readonly retryWindowMs: number,
  ) {}

  /** Key as sent to etcd. */
  encode(key: string): Buffer {
    return Buffer.from(this.prefix + key);
  }

  /** Exclusive range end of all keys under `prefix`, as sent to etcd. */
  encodeEnd(prefix: string): Buffer {
    return bytesPrefixEnd(this.encode(prefix));
  }

  /** Converts an etcd key-value into the contract's shape. */
  toKeyValue(kv: IKeyValue): KeyValue {
    return {
      key: kv.key.toString().slice(this.prefix.length),
      value: kv.value ?? EMPTY,
      createRevision: Number(kv.create_revision),
      modRevision: Number(kv.mod_revision),
    };
  }

  /** Runs an etcd call, retrying transient failures with backoff within the retry window. */
  async rpc<T>(fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.retryWindowMs;
    let delay = 50;
    let cause: unknown; // the last real failure, rather than "circuit breaker is open"
    for (;;) {
      try {
        return await fn();
      } catch (err) {
        const broken = err instanceof Error && err.constructor.name === 'BrokenCircuitError';
        if (!broken) cause = err;
        if (this.closed || !isTransient(err) || Date.now() + delay > deadline) throw broken ? (cause ?? err) : err;
        await sleep(delay);
        delay = Math.min(delay * 2, 1000);
      }
    }
  }

  /** {@link rpc}, with failures mapped by {@link fail}. */
  private call<T>(key: string, fn: () => Promise<T>, revision = 0): Promise<T> {
    return this.rpc(fn).catch(async (err: unknown) => {
      throw await this.fail(key, err, revision);
    });
  }

  /** Maps a failed etcd call to a StorageError; `revision` is the revision a read asked for. */
  private async fail(key: string, err: unknown, revision = 0): Promise<StorageError> {
    if (err instanceof StorageError) return err;
    const msg = messageOf(err);
    if (msg.includes(COMPACTED) && revision > 0) {
      const compacted = await this.probeCompaction(revision).catch(() => 0);
      return StorageError.compacted(revision, compacted > 0 ? compacted : revision + 1);
    }
    if (msg.includes(FUTURE)) {
      return new StorageError('Unavailable', key, `revision ${revision} is a future revision: ${msg}`);
    }
    return new StorageError('Unavailable', key, `etcd: ${msg}`);
  }

  /** Runs an operation so that {@link close} can wait for it. */
  private track<T>(op: () => Promise<T>): Promise<T> {
    const p = op();
    this.inflight.add(p);
    const done = (): void => void this.inflight.delete(p);
    p.then(done, done);
    return p;
  }

  /** The newest revision (a linearizable read). */
  async currentRevision(): Promise<number> {
    const res = await this.call('', () => this.client.kv.range({ key: this.encode('/'), count_only: true }));
    return Number(res.header.revision);
  }

  /** The newest value of `key`, or null. */
  async get(key: string): Promise<KeyValue | null> {
    const res = await this.call(key, () => this.client.kv.range({ key: this.encode(key) }));
    return res.kvs[0] ? this.toKeyValue(res.kvs[0]) : null;
  }

  /**
   * Keys under `prefix` from `startKey` (inclusive) in key order as of `revision` (newest when 0).
   * `more`/`remaining` come from etcd's `more` and `count` of the same range.
   */
  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const revision = opts.revision && opts.revision > 0 ? opts.revision : 0;
    const start =
      opts.startKey !== undefined && Buffer.compare(Buffer.from(opts.startKey), Buffer.from(prefix)) > 0 ? opts.startKey : prefix;
    const range = { key: this.encode(start), range_end: this.encodeEnd(prefix), revision, limit: opts.limit ?? 0 };
    const res = await this.call(prefix, () => this.client.kv.range(range), revision);
    const items = res.kvs.map((kv) => this.toKeyValue(kv));
    return {
      items,
      revision: revision > 0 ? revision : Number(res.header.revision),
      more: res.more,
      remaining: Math.max(0, Number(res.count) - items.length),
    };
  }

  /** How many keys exist under `prefix` now. */
  async count(prefix: string): Promise<number> {
    const range = { key: this.encode(prefix), range_end: this.encodeEnd(prefix), count_only: true };
    return Number((await this.call(prefix, () => this.client.kv.range(range))).count);
  }

  /** Creates `key` in one transaction (`create_revision == 0` then put). */
  create(key: string, value: Buffer): Promise<WriteResult> {
    return this.track(async () => {
      const k = this.encode(key);
      const res = await this.call(key, () =>
        this.client.kv.txn({
          compare: [{ key: k, target: CompareTarget.Create, result: CompareResult.Equal, create_revision: 0 }],
          success: [{ request_put: { key: k, value } }],
        }),
      );
      if (!res.succeeded) throw StorageError.keyExists(key);
      return { revision: Number(res.header.revision) };
    });
  }

  /** One transaction: if `key` exists (at `expected`, when given) put or delete it, else read it for NotFound/Conflict. */
  private async conditional(key: string, expected: number | undefined, op: 'put' | 'delete', value?: Buffer) {
    const k = this.encode(key);
    const compare: ICompare[] = [{ key: k, target: CompareTarget.Version, result: CompareResult.Greater, version: 0 }];
    if (expected !== undefined) compare.push({ key: k, target: CompareTarget.Mod, result: CompareResult.Equal, mod_revision: expected });
    const res = await this.call(key, () =>
      this.client.kv.txn({
        compare,
        success: [op === 'put' ? { request_put: { key: k, value } } : { request_delete_range: { key: k, prev_kv: true } }],
        failure: [{ request_range: { key: k } }],
      }),
    );
    if (!res.succeeded) {
      const current = res.responses[0]?.response_range?.kvs[0];
      throw current ? StorageError.conflict(key, this.toKeyValue(current)) : StorageError.notFound(key);
    }
    return res;
  }

  /** Replaces `key` when its modRevision is `expectedModRevision` (and it exists). */
  update(key: string, value: Buffer, expectedModRevision: number): Promise<WriteResult> {
    return this.track(async () => {
      const res = await this.conditional(key, expectedModRevision, 'put', value);
      return { revision: Number(res.header.revision) };
    });
  }

  /** Deletes `key` (optionally only at `expectedModRevision`) and returns its last value. */
  delete(key: string, expectedModRevision?: number): Promise<WriteResult & { prev: KeyValue }> {
    return this.track(async () => {
      const res = await this.conditional(key, expectedModRevision, 'delete');
      const prev = res.responses[0]?.response_delete_range?.prev_kvs[0];
      if (!prev) throw StorageError.notFound(key);
      return { revision: Number(res.header.revision), prev: this.toKeyValue(prev) };
    });
  }

  /** Watches keys under `prefix` with revision > `afterRevision`: one etcd watch stream that survives member failures. */
  watch(prefix: string, afterRevision: number, handler: WatchHandler): Watch {
    const w = new EtcdWatch(this, prefix, afterRevision, handler, () => this.watches.delete(w));
    this.watches.add(w);
    w.start();
    return w;
  }

  /**
   * etcd compaction (logical; etcd removes the data in the background). Compacting at or
   * below the compacted revision is a no-op; a future revision is clamped to the newest one.
   */
  compact(revision: number): Promise<void> {
    return this.track(async () => {
      let target = revision;
      if (target <= 0) return;
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          await this.rpc(() => this.client.kv.compact({ revision: target, physical: false }));
          this.knownCompacted = Math.max(this.knownCompacted, target);
          return;
        } catch (err) {
          const msg = messageOf(err);
          if (msg.includes(COMPACTED)) return;
          if (!msg.includes(FUTURE) || attempt > 0) throw await this.fail('', err);
          target = await this.currentRevision();
        }
      }
    });
  }

  /** etcd's compacted revision (0 when never compacted). */
  async compactedRevision(): Promise<number> {
    const readable = await this.rpc(() => this.client.kv.range({ key: this.encode('/'), revision: 1, count_only: true })).then(
      () => true,
      async (err: unknown) => {
        if (messageOf(err).includes(COMPACTED)) return false;
        throw await this.fail('', err);
      },
    );
    // When revision 1 is readable nothing, or only revision 1, was compacted.
    return readable ? this.knownCompacted : this.probeCompaction(1);
  }

  /**
   * Reads etcd's compacted revision, knowing that `revision` is compacted: a watch from it is
   * cancelled by etcd with `compact_revision` set. Returns 0 when no such answer comes in time.
   */
  async probeCompaction(revision: number): Promise<number> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const stream = await this.rpc(() => this.client.watchClient.watch());
      const found = await new Promise<number>((resolve) => {
        const finish = (rev: number): void => {
          clearTimeout(timer);
          closeStream(stream);
          resolve(rev);
        };
        const timer = setTimeout(() => finish(0), 2000);
        stream.on('data', (res) => {
          if (res.canceled) finish(Number(res.compact_revision));
        });
        stream.on('error', () => finish(0));
        stream.on('end', () => finish(0));
        stream.write({ create_request: { key: this.encode('/\0compaction-probe'), start_revision: revision } });
      });
      if (found > 0) {
        this.knownCompacted = Math.max(this.knownCompacted, found);
        return found;
      }
    }
    return this.knownCompacted;
  }

  /**
   * True when no key under `prefix` changed in revisions (`from`, `to`]: no key at `to` has a
   * newer modRevision than `from`, and as many keys exist at `to` as at `from` (so none was
   * deleted). Used instead of etcd 3.4's progress request, whose answer can overtake events.
   */
  async quietBetween(prefix: string, from: number, to: number): Promise<boolean> {
    const key = this.encode(prefix);
    const end = this.encodeEnd(prefix);
    // etcd filters kvs by min_mod_revision but its `count` stays the unfiltered number of keys.
    const changed = { key, range_end: end, revision: to, min_mod_revision: from + 1, keys_only: true };
    const [atTo, atFrom] = await Promise.all([
      this.rpc(() => this.client.kv.range(changed)),
      from > 0 ? this.rpc(() => this.client.kv.range({ key, range_end: end, revision: from, count_only: true })) : null,
    ]);
    return atTo.kvs.length === 0 && Number(atTo.count) === (atFrom ? Number(atFrom.count) : 0);
  }

  /** Waits for pending writes, stops every watch and closes the client. */
  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.allSettled([...this.inflight]);
    this.closed = true;
    for (const w of [...this.watches]) w.stop();
    this.client.close();
  }
}

/**
 * Connects to etcd (`endpoints` are client URLs; any member may fail as long as a quorum is
 * up), checks that it answers, and returns the store. Keys are stored as given, after `prefix`.
 */
export async function openEtcdStore(opts: EtcdStoreOptions): Promise<EtcdStore> {
  if (opts.endpoints.length === 0) throw new Error('openEtcdStore: no endpoints');
  const client = new Etcd3({
    hosts: opts.endpoints,
    dialTimeout: 5000,
    grpcOptions: { 'grpc.keepalive_time_ms': 30_000, 'grpc.keepalive_timeout_ms': 10_000 },
    // A deadline on unary calls so a hung member cannot stall an operation forever.
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + 10_000 }),
  });
  const store = new EtcdStore(client, opts.prefix ?? '', opts.retryWindowMs ?? 20_000);
  try {
    await store.currentRevision();
  } catch (err) {
    client.close();
    throw err;
  }
  return store;
}
