import type { KubeObject } from '../object.js';
import type { ResourceClient } from '../resource-client.js';
import { Reflector, type ReflectorOptions, type ReflectorState } from './reflector.js';
import { objectKey, Store } from './store.js';

/** Callbacks of an informer. `onDelete` receives the last object the informer knew. */
export interface EventHandler<T> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
}

/** Options of {@link SharedInformer}. */
export interface InformerOptions extends ReflectorOptions {
  /** Every this many ms, each handler gets onUpdate(obj, obj) for every object (0: never). */
  resyncMs?: number;
  /** Where failures and state changes are reported (default: warnings on stderr). */
  log?: (message: string) => void;
}

/**
 * A reflector feeding an indexed {@link Store} and any number of event handlers. After each
 * (re)list the store is replaced and the handlers hear what changed: adds, updates (only when
 * the resourceVersion moved) and deletes of objects that vanished while the watch was down. A
 * handler added after the first list hears an onAdd for every object already known. A handler
 * that throws is reported and does not stop the others.
 */
export class SharedInformer<T extends KubeObject = KubeObject> {
  readonly store = new Store<T>();
  private readonly handlers: EventHandler<T>[] = [];
  private readonly reflector: Reflector<T>;
  private synced = false;
  private readonly syncWaiters: (() => void)[] = [];
  private running?: Promise<void>;
  private resyncTimer?: NodeJS.Timeout;
  private readonly log: (message: string) => void;

  constructor(readonly client: ResourceClient<T>, private readonly opts: InformerOptions = {}) {
    this.log = opts.log ?? ((m) => process.emitWarning(m, 'InformerWarning'));
    const what = `${client.type.plural}${opts.namespace ? ` in ${opts.namespace}` : ''}`;
    this.reflector = new Reflector<T>(client, {
      replace: (items, _rv) => this.replace(items),
      added: (obj) => this.upsert(obj),
      modified: (obj) => this.upsert(obj),
      deleted: (obj) => this.remove(obj),
    }, {
      ...opts,
      onState: (state, reason) => {
        if (state === 'backoff') this.log(`informer ${what}: watch failed (${reason}); retrying`);
        else if (state === 'listing' && reason !== 'start') this.log(`informer ${what}: listing again (${reason})`);
        opts.onState?.(state, reason);
      },
    });
  }

  /** The reflector's state. */
  get state(): ReflectorState {
    return this.reflector.state;
  }

  /** The resourceVersion the informer has seen up to. */
  get resourceVersion(): string {
    return this.reflector.resourceVersion;
  }

  addEventHandler(handler: EventHandler<T>): void {
    this.handlers.push(handler);
    if (this.synced && handler.onAdd) for (const obj of this.store.list()) this.call(() => handler.onAdd!(obj));
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves after the first list was applied (or when `signal` aborts). */
  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.synced || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      this.syncWaiters.push(resolve);
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  /** Starts listing and watching (once). */
  start(): void {
    if (this.running) return;
    this.running = this.reflector.run();
    if (this.opts.resyncMs) {
      this.resyncTimer = setInterval(() => this.resync(), this.opts.resyncMs);
      this.resyncTimer.unref();
    }
  }

  /** Stops watching; resolves when the reflector has stopped. */
  async stop(): Promise<void> {
    clearInterval(this.resyncTimer);
    this.reflector.stop();
    await this.running;
  }

  private replace(items: T[]): void {
    const seen = new Set<string>();
    for (const obj of items) {
      seen.add(objectKey(obj));
      this.upsert(obj);
    }
    for (const key of this.store.keys()) {
      if (!seen.has(key)) this.remove(this.store.get(key)!);
    }
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private upsert(obj: T): void {
    const old = this.store.set(obj);
    if (!old) {
      for (const h of this.handlers) if (h.onAdd) this.call(() => h.onAdd!(obj));
    } else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) {
      for (const h of this.handlers) if (h.onUpdate) this.call(() => h.onUpdate!(old, obj));
    }
  }

  private remove(obj: T): void {
    const old = this.store.remove(objectKey(obj)) ?? obj;
    for (const h of this.handlers) if (h.onDelete) this.call(() => h.onDelete!(old));
  }

  private resync(): void {
    for (const obj of this.store.list()) {
      for (const h of this.handlers) if (h.onUpdate) this.call(() => h.onUpdate!(obj, obj));
    }
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log(`informer ${this.client.type.plural}: an event handler threw: ${(err as Error)?.stack ?? err}`);
    }
  }
}
