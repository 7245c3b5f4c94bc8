/**
 * One etcd watch stream behind a {@link Watch} of the etcd backend: delivers events in revision
 * order exactly once, resumes after the last delivered revision when a member dies, and reports
 * progress for the watch cache's consistent reads.
 */
import { ClientClosedError, type IDuplexStream, type IWatchRequest, type IWatchResponse } from 'etcd3';
import { StorageError, type Watch, type WatchEvent, type WatchHandler } from '../interface.js';
import type { EtcdStore } from './etcd-store.js';

/** The message of anything thrown. */
export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** An etcd watch stream. */
export type WatchStream = IDuplexStream<IWatchRequest, IWatchResponse>;

/** Half-closes and cancels a watch stream; the cancellation error is swallowed by an `error` listener. */
export function closeStream(stream: WatchStream): void {
  // Ending first makes the stream non-writable, so etcd3 does not count our own cancel as a
  // member failure (its stream error hook marks the host failed only while writable).
  try {
    stream.end();
  } finally {
    stream.cancel();
  }
}

/**
 * One etcd watch stream per watch, from `afterRevision + 1`, with previous values. When the
 * stream breaks (member killed, connection lost) it reconnects with backoff and resumes after
 * the last delivered revision; events at or below it are dropped, so each is delivered once.
 * A cancellation for compaction ends it with `Compacted`; failing to reconnect within the
 * store's retry window ends it with `Unavailable`.
 */
export class EtcdWatch implements Watch {
  private stopped = false;
  private stream: WatchStream | null = null;
  private last: number;
  private backoff = 50;
  private failingSince = 0;
  /** A revision to report through onProgress once every change up to it was delivered. */
  private progressTarget = 0;
  private verifying = false;
  /** The highest revision reported through onProgress (reports never go back). */
  private reported = 0;

  constructor(
    private readonly store: EtcdStore,
    private readonly prefix: string,
    afterRevision: number,
    private readonly handler: WatchHandler,
    private readonly onFinish: () => void,
  ) {
    this.last = afterRevision;
  }

  /** Opens the stream (called once by {@link EtcdStore.watch}). */
  start(): void {
    void this.connect();
  }

  /** Stops delivery at once; idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.stream) closeStream(this.stream);
    this.stream = null;
    this.onFinish();
  }

  /**
   * Reports progress up to the newest revision: a linearizable read gives revision R; R is
   * reported once the events delivered so far reach R, or ranges show that nothing under the
   * prefix changed between the last delivered revision and R.
   */
  requestProgress(): void {
    if (this.stopped) return;
    this.store.currentRevision().then(
      (rev) => {
        this.progressTarget = Math.max(this.progressTarget, rev);
        this.checkProgress();
      },
      () => undefined, // unreachable etcd: no report; the watch itself retries or fails
    );
  }

  private report(rev: number): void {
    this.reported = Math.max(this.reported, rev);
    if (this.progressTarget <= this.reported) this.progressTarget = 0;
    if (!this.stopped) this.handler.onProgress?.(this.reported);
  }

  private checkProgress(): void {
    if (this.stopped || this.progressTarget === 0 || this.verifying) return;
    if (Math.max(this.last, this.reported) >= this.progressTarget) return this.report(this.last);
    const from = this.last;
    const target = this.progressTarget;
    this.verifying = true;
    this.store.quietBetween(this.prefix, from, target).then(
      (quiet) => {
        this.verifying = false;
        if (quiet) this.report(Math.max(target, this.last));
        if (this.progressTarget !== 0 && (quiet || this.last !== from)) this.checkProgress(); // newer target or new events
      },
      () => {
        this.verifying = false; // e.g. `from` compacted: wait for events to reach the target
      },
    );
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let stream: WatchStream;
    try {
      stream = await this.store.client.watchClient.watch();
    } catch (err) {
      this.broken(null, err);
      return;
    }
    stream.on('error', (err) => this.broken(stream, err));
    if (this.stopped) {
      closeStream(stream);
      return;
    }
    this.stream = stream;
    stream.on('data', (res) => this.receive(stream, res));
    stream.on('end', () => this.broken(stream, new Error('watch stream ended')));
    stream.write({
      create_request: {
        key: this.store.encode(this.prefix),
        range_end: this.store.encodeEnd(this.prefix),
        start_revision: this.last + 1,
        prev_kv: true,
      },
    });
  }

  private receive(stream: WatchStream, res: IWatchResponse): void {
    if (this.stopped || stream !== this.stream) return;
    if (res.created && !res.canceled) {
      this.backoff = 50;
      this.failingSince = 0;
    }
    if (res.canceled) {
      const compacted = Number(res.compact_revision);
      this.fail(
        compacted > 0
          ? StorageError.compacted(this.last, compacted)
          : new StorageError('Unavailable', this.prefix, `etcd canceled the watch: ${res.cancel_reason || 'no reason given'}`),
      );
      return;
    }
    const events: WatchEvent[] = [];
    for (const ev of res.events) {
      const kv = this.store.toKeyValue(ev.kv);
      if (kv.modRevision <= this.last) continue; // already delivered before a reconnect
      const event: WatchEvent = { type: ev.type === 'Delete' ? 'delete' : 'put', kv };
      if (ev.prev_kv && ev.prev_kv.key && ev.prev_kv.key.length > 0) event.prevKv = this.store.toKeyValue(ev.prev_kv);
      events.push(event);
    }
    if (events.length === 0) return;
    this.last = events[events.length - 1]!.kv.modRevision;
    this.handler.onEvents(events);
    this.checkProgress();
  }

  private broken(stream: WatchStream | null, err: unknown): void {
    if (this.stopped || (stream !== null && stream !== this.stream)) return;
    this.stream = null;
    const now = Date.now();
    if (this.failingSince === 0) this.failingSince = now;
    if (err instanceof ClientClosedError || now - this.failingSince > this.store.retryWindowMs) {
      this.fail(new StorageError('Unavailable', this.prefix, `watch lost: ${messageOf(err)}`));
      return;
    }
    setTimeout(() => void this.connect(), this.backoff);
    this.backoff = Math.min(this.backoff * 2, 2000);
  }

  private fail(err: StorageError): void {
    if (this.stopped) return;
    this.stop();
    this.handler.onError(err);
  }
}

