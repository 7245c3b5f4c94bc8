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

/**
 * Where a watcher's events go (an HTTP response in the API server). It must not block; the
 * cache watches `backlogBytes()` and closes a watcher whose sink falls too far behind.
 */
export interface WatchSink {
  /** Sends one event of the given (possibly filter-adjusted) type. */
  event(type: WatchEventType, ev: CacheEvent): void;
  /** Sends a BOOKMARK at `revision`; `initialEventsEnd` marks the end of the initial events. */
  bookmark(revision: number, initialEventsEnd: boolean): void;
  /** Bytes accepted but not yet sent. */
  backlogBytes(): number;
  /** Ends the stream; `reason` says why when it was the server's decision. */
  close(reason?: 'slow' | 'reset' | 'timeout' | 'shutdown'): void;
}

/** Decides whether an object belongs to a watcher's or a list's selection. */
export type ObjectFilter = (obj: Record<string, any>) => boolean;
