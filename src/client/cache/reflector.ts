import { isGone, StatusError } from '../errors.js';
import type { KubeObject } from '../object.js';
import type { ResourceClient } from '../resource-client.js';

/** Where a reflector is: its whole life is a walk through these states. */
export type ReflectorState = 'listing' | 'watching' | 'backoff' | 'stopped';

/** What a reflector feeds: a full replacement after each list, then single changes. */
export interface ReflectorSink<T extends KubeObject> {
  replace(items: T[], resourceVersion: string): void;
  added(obj: T): void;
  modified(obj: T): void;
  deleted(obj: T): void;
}

/** Options of {@link Reflector}. */
export interface ReflectorOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size of lists (default 500; 0: one request). */
  pageSize?: number;
  /** Server-side watch timeout; default a random 300–600 s, as client-go. */
  watchTimeoutSeconds?: number;
  /** First and largest pause after a failure (default 800 ms and 30 s), doubling in between. */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Told of every state change and of every failure; failures are never swallowed silently. */
  onState?: (state: ReflectorState, reason: string) => void;
}

/** A watch that sent nothing, not even a bookmark, for this long past its timeout is given up. */
const IDLE_GRACE_MS = 30_000;

/**
 * Keeps a sink in step with one resource as an explicit state machine:
 *
 * - `listing`: a (paged) list replaces the sink's contents and yields a resourceVersion;
 * - `watching`: a watch from the last resourceVersion (bookmarks advance it); when the server
 *   ends the stream at its timeout, or the stream goes quiet too long, the next watch resumes
 *   from the last resourceVersion;
 * - `backoff`: after a broken connection or a refused request, a growing pause, then a watch
 *   from the last resourceVersion (or a list when there is none yet);
 * - a 410 Gone (on the watch request or as an ERROR event) sends it back to `listing` from
 *   scratch, since its resourceVersion was compacted away;
 * - `stopped`: only {@link Reflector.stop} gets it there. It never stops by itself.
 */
export class Reflector<T extends KubeObject> {
  private stateValue: ReflectorState = 'listing';
  private lastRv = '';
  private readonly abort = new AbortController();
  private failures = 0;

  constructor(private readonly client: ResourceClient<T>, private readonly sink: ReflectorSink<T>, private readonly opts: ReflectorOptions = {}) {}

  get state(): ReflectorState {
    return this.stateValue;
  }

  /** The resourceVersion the next watch starts from. */
  get resourceVersion(): string {
    return this.lastRv;
  }

  /** Runs until {@link stop}; resolves then. */
  async run(): Promise<void> {
    let next: 'listing' | 'watching' = 'listing';
    while (!this.abort.signal.aborted) {
      try {
        if (next === 'listing') {
          this.enter('listing', this.lastRv ? 'relist' : 'start');
          await this.list();
          if (this.abort.signal.aborted) break;
        }
        this.enter('watching', `from resourceVersion ${this.lastRv}`);
        await this.watch();
        next = 'watching';
        this.failures = 0;
      } catch (err) {
        if (this.abort.signal.aborted) break;
        if (isGone(err)) {
          this.lastRv = '';
          next = 'listing';
          this.enter('listing', `resourceVersion expired: ${(err as Error).message}`);
          continue;
        }
        next = this.lastRv ? 'watching' : 'listing';
        this.enter('backoff', describe(err));
        await this.pause();
      }
    }
    this.enter('stopped', 'stop requested');
  }

  /** Ends the current request and the loop. */
  stop(): void {
    this.abort.abort();
  }

  private enter(state: ReflectorState, reason: string): void {
    this.stateValue = state;
    this.opts.onState?.(state, reason);
  }

  private async list(): Promise<void> {
    const items: T[] = [];
    const pageSize = this.opts.pageSize ?? 500;
    let cont: string | undefined;
    let rv = '';
    do {
      const page = await this.client.list({
        namespace: this.opts.namespace, labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector,
        limit: pageSize || undefined, continue: cont,
      });
      for (const item of page.items) items.push(item);
      rv = page.metadata.resourceVersion;
      cont = page.metadata.continue || undefined;
    } while (cont);
    const kind = this.client.type.kind;
    for (const item of items) item.kind ??= kind;
    this.sink.replace(items, rv);
    this.lastRv = rv;
  }

  private async watch(): Promise<void> {
    const timeoutSeconds = this.opts.watchTimeoutSeconds ?? Math.floor(300 * (1 + Math.random()));
    const ctl = new AbortController();
    const onStop = () => ctl.abort();
    this.abort.signal.addEventListener('abort', onStop, { once: true });
    // A stop that came while listing must not let a watch begin.
    if (this.abort.signal.aborted) ctl.abort();
    let idle: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => ctl.abort(), timeoutSeconds * 1000 + IDLE_GRACE_MS);
    };
    try {
      arm();
      const events = this.client.watch({
        namespace: this.opts.namespace, labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector,
        resourceVersion: this.lastRv, allowWatchBookmarks: true, timeoutSeconds, signal: ctl.signal,
      });
      for await (const ev of events) {
        if (ctl.signal.aborted) break;
        arm();
        this.failures = 0;
        if (ev.type === 'ERROR') {
          const status = ev.object as any;
          throw new StatusError(status?.code ?? 500, status ?? {});
        }
        const rv = ev.object?.metadata?.resourceVersion;
        if (ev.type === 'BOOKMARK') {
          if (rv) this.lastRv = rv;
          continue;
        }
        ev.object.kind ??= this.client.type.kind;
        if (ev.type === 'ADDED') this.sink.added(ev.object);
        else if (ev.type === 'MODIFIED') this.sink.modified(ev.object);
        else if (ev.type === 'DELETED') this.sink.deleted(ev.object);
        if (rv) this.lastRv = rv;
      }
    } finally {
      clearTimeout(idle);
      this.abort.signal.removeEventListener('abort', onStop);
    }
  }

  private pause(): Promise<void> {
    const initial = this.opts.backoffInitialMs ?? 800;
    const max = this.opts.backoffMaxMs ?? 30_000;
    const ms = Math.min(max, initial * 2 ** this.failures) * (0.75 + Math.random() * 0.5);
    this.failures++;
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.abort.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
    });
  }
}

function describe(err: unknown): string {
  if (err instanceof StatusError) return `${err.code} ${err.reason}: ${err.message}`;
  const e = err as NodeJS.ErrnoException;
  return e?.code ? `${e.code}: ${e.message}` : String((e as Error)?.message ?? err);
}
