/** One object as the watch cache holds it: decoded once, encoded at most once per form. */
export interface CachedObject {
  key: string;
  /** Its resourceVersion (the revision of its last write). */
  revision: number;
  /** The decoded object, with `metadata.resourceVersion` set. Never mutate it. */
  object: Record<string, any>;
  /** Encodings made from it, by form (for example `json`), so each is made once. */
  encoded: Map<string, Buffer>;
}

/** The kind of change in a watch event, as the Kubernetes watch API names it. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A change held by the watch cache. */
export interface CacheEvent {
  type: WatchEventType;
  revision: number;
  /** The new object; for DELETED, the last state with the deleting revision as resourceVersion. */
  object: CachedObject;
  /** The object before the change, when known. */
  prev?: CachedObject;
  /** Encodings of the whole event, by form, so each is made once for every watcher. */
  encoded: Map<string, Buffer>;
}

/** One event as a watcher should see it: its (possibly selector-adjusted) type and the cache event. */
export interface SinkEvent {
  type: WatchEventType;
  ev: CacheEvent;
}

/**
 * Where a watcher's events go (an HTTP response in the API server). It must not block; the
 * cache watches `backlogBytes()` and closes a watcher whose sink falls too far behind.
 */
export interface WatchSink {
  /**
   * Sends events in order, as one write when it can. `shared` is the cache's batch itself when the
   * watcher sees it unchanged (no selector), so an encoding of the whole batch may be made once and
   * reused by every such watcher; null otherwise.
   */
  send(events: SinkEvent[], shared: readonly CacheEvent[] | null): void;
  /** Sends a BOOKMARK at `revision`; `initialEventsEnd` marks the end of the initial events. */
  bookmark(revision: number, initialEventsEnd: boolean): void;
  /** Bytes accepted but not yet sent. */
  backlogBytes(): number;
  /** Ends the stream; `reason` says why when it was the server's decision. */
  close(reason?: 'slow' | 'reset' | 'timeout' | 'shutdown'): void;
}

/** Decides whether an object belongs to a watcher's or a list's selection. */
export type ObjectFilter = (obj: Record<string, any>) => boolean;
