import { StorageError, type Storage } from '../../storage/interface.js';
import { WatchCache } from '../../storage/watch-cache/watch-cache.js';
import type { CacheWatcher } from '../../storage/watch-cache/cache-watcher.js';
import type { CachedObject, WatchSink } from '../../storage/watch-cache/types.js';
import {
  ApiError, alreadyExists, badRequest, conflict, continueExpired, invalid, listExpired, notFound, serviceUnavailable,
  tooLargeResourceVersion, type QualifiedResource,
} from '../../machinery/status.js';
import { apiVersionOf, type ApiObject, type ResourceDefinition } from './resource.js';
import { decodeContinue, encodeContinue, objectFilter, type ListOptions } from './list-options.js';
import {
  nowTimestamp, prepareMetaForCreate, prepareMetaForUpdate, validateObjectMeta, validateObjectMetaUpdate,
} from './object-meta.js';
import type { AdmissionChain } from '../admission/chain.js';
import { isDeepStrictEqual } from 'node:util';

/**
 * Side effects a resource needs around its writes, beyond the object itself (Services allocate
 * cluster IPs and node ports). Each `before*` runs after validation and admission, just before
 * storage is written, and may return an undo the registry runs when the write does not happen
 * (a failure, a conflict that will be retried, or a dry run).
 */
export interface WriteHooks {
  beforeCreate?(obj: ApiObject, dryRun: boolean): Promise<(() => Promise<void>) | void>;
  beforeUpdate?(obj: ApiObject, old: ApiObject, dryRun: boolean): Promise<(() => Promise<void>) | void>;
  /** Runs once the object is gone from storage. */
  afterDelete?(obj: ApiObject): Promise<void>;
}

/** An item of a list answer: the object, and its cached encodings when it came from the cache. */
export type ListItem = Pick<CachedObject, 'object' | 'encoded'>;

/** The answer of {@link GenericRegistry.list}. */
export interface ListAnswer {
  items: ListItem[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** Options of a write. */
export interface WriteOptions {
  dryRun?: boolean;
  /** Who writes (the `fieldManager` of the request, or one derived from its User-Agent). */
  fieldManager?: string;
}

/** Options of an update or patch. */
export interface UpdateOptions extends WriteOptions {
  /**
   * '' (the object); `status`: a status write changes only metadata and status; `binding`: the
   * caller's change is written as it is, past the object's update rules (pods/binding).
   */
  subresource?: '' | 'status' | 'binding' | 'finalize';
  /** The writer has already set managedFields (server-side apply); they are not recorded again. */
  managedFieldsSet?: boolean;
}

/** DeleteOptions as the registry understands them. */
export interface DeleteOptions extends WriteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  /** The grace period the client asked for (graceful deletion of pods). */
  gracePeriodSeconds?: number;
  /** Orphan, Background or Foreground; `orphanDependents: true` is read as Orphan. */
  propagationPolicy?: string;
}

/**
 * Records who changed which fields (managedFields) on a write that is about to happen; it sets
 * `obj.metadata.managedFields`. `old` is null on create.
 */
export type ManagedFieldsRecorder = (old: ApiObject | null, obj: ApiObject, manager: string | undefined, subresource: string) => void;

/** The finalizers through which deletion propagation is handed to the garbage collector. */
export const ORPHAN_FINALIZER = 'orphan';
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

/** Conflicting writes are retried on the newer object until they land, as upstream; the cap only stops a pathological loop. */
const MAX_RETRIES = 1000;

/**
 * The store of one resource: the generic create/get/list/watch/update/patch/delete logic with
 * upstream's semantics, delegating type-specific rules to the resource's strategy. Reads that can
 * be served from memory go to the watch cache; everything else goes to storage.
 */
export class GenericRegistry {
  readonly cache: WatchCache;
  readonly qr: QualifiedResource;
  private readonly prefix: string;
  private readonly apiVersion: string;

  /**
   * Runs before an object is removed, after it was marked as being deleted (deletionTimestamp and
   * the strategy's `prepareForDeletion`), on a delete and on an update that leaves a deleted object
   * without finalizers; returns false to keep the object marked instead of removing it. Namespaces
   * use it to stay until their spec finalizers are done.
   */
  beforeRemove?: (obj: ApiObject) => Promise<boolean>;

  /** The resource's write side effects, if it has any. */
  hooks?: WriteHooks;

  /** Records managedFields on every write, when set. */
  recordManagedFields?: ManagedFieldsRecorder;

  constructor(readonly def: ResourceDefinition, private readonly storage: Storage, private readonly admission: AdmissionChain,
    cacheOptions: { bookmarkIntervalMs?: number; capacity?: number } = {}) {
    this.prefix = `/registry/${def.group ? `${def.group}/` : ''}${def.plural}/`;
    this.apiVersion = apiVersionOf(def);
    this.qr = { group: def.group, resource: def.plural };
    this.cache = new WatchCache({ storage, prefix: this.prefix, decode: (v, rev) => this.decode(v, rev), ...cacheOptions });
  }

  /** The storage key of an object. */
  key(namespace: string | undefined, name: string): string {
    return this.def.namespaced ? `${this.prefix}${namespace}/${name}` : `${this.prefix}${name}`;
  }

  /** Decodes a stored value, setting its resourceVersion. */
  decode(value: Buffer, revision: number): ApiObject {
    const obj = JSON.parse(value.toString('utf8'));
    obj.metadata.resourceVersion = String(revision);
    return obj;
  }

  /** Encodes an object for storage (without resourceVersion, which storage owns). */
  encode(obj: ApiObject): Buffer {
    const rv = obj.metadata.resourceVersion;
    delete obj.metadata.resourceVersion;
    const b = Buffer.from(JSON.stringify(obj));
    if (rv !== undefined) obj.metadata.resourceVersion = rv;
    return b;
  }

  /**
   * One object; 404 when missing. Without `resourceVersion` it is the newest state, read from
   * storage; `0` accepts any state the watch cache holds; another value asks for a state at least
   * that new (from the cache once it has caught up; 504 when it does not in time).
   */
  async get(namespace: string | undefined, name: string, resourceVersion?: string): Promise<ApiObject> {
    const key = this.key(namespace, name);
    if (resourceVersion !== undefined && resourceVersion !== '') {
      const rv = Number(resourceVersion);
      if (!Number.isInteger(rv) || rv < 0) throw badRequest(`invalid resource version: ${JSON.stringify(resourceVersion)}`);
      if (rv > 0 && !(await this.cache.waitFresh(rv))) throw tooLargeResourceVersion(rv, this.cache.revision);
      const cached = this.cache.get(key);
      if (!cached) throw notFound(this.qr, name);
      return structuredClone(cached.object);
    }
    const kv = await this.storage.get(key);
    if (!kv) throw notFound(this.qr, name);
    return this.decode(kv.value, kv.modRevision);
  }

  /** Lists objects with upstream's resourceVersion, selector and paging semantics. */
  async list(namespace: string | undefined, o: ListOptions): Promise<ListAnswer> {
    const filter = objectFilter(this.def, namespace, o);
    const rv = o.resourceVersion;
    const exact = o.resourceVersionMatch === 'Exact' || (rv !== undefined && rv !== '0' && o.limit !== undefined && o.resourceVersionMatch === undefined);
    const fromCache = !o.continue && !exact && (rv !== undefined || o.limit === undefined);
    if (fromCache) {
      if (rv === undefined) {
        if (!(await this.cache.waitConsistent())) return this.listFromStorage(namespace, o);
      } else if (rv !== '0' && !(await this.cache.waitFresh(Number(rv)))) {
        throw tooLargeResourceVersion(Number(rv), this.cache.revision);
      }
      const { items, revision } = this.cache.list(filter, namespace && this.def.namespaced ? `${this.prefix}${namespace}/` : undefined);
      return { items, resourceVersion: String(revision) };
    }
    return this.listFromStorage(namespace, o);
  }

  /** Every object (in `namespace`) as storage holds it now, bypassing the watch cache. */
  listCommitted(namespace: string | undefined): Promise<ListAnswer> {
    return this.listFromStorage(namespace, {});
  }

  private async listFromStorage(namespace: string | undefined, o: ListOptions): Promise<ListAnswer> {
    // The key prefix already limits the list to the namespace; only selectors filter.
    const filter = objectFilter(this.def, undefined, o);
    const base = namespace && this.def.namespaced ? `${this.prefix}${namespace}/` : this.prefix;
    let revision = o.resourceVersionMatch === 'Exact' || (o.resourceVersion && o.resourceVersion !== '0') ? Number(o.resourceVersion) : 0;
    let startKey: string | undefined;
    let start = '';
    if (o.continue) {
      const t = decodeContinue(o.continue);
      revision = t.rv === -1 ? 0 : t.rv;
      start = t.start;
      startKey = base + t.start;
    }
    const limit = o.limit ?? 0;
    const items: ListItem[] = [];
    let lastKey = '';
    let more = false;
    let remaining = 0;
    try {
      outer: for (;;) {
        const page = await this.storage.list(base, { revision, limit, startKey });
        revision = page.revision;
        for (let i = 0; i < page.items.length; i++) {
          const kv = page.items[i];
          lastKey = kv.key;
          const obj = this.decode(kv.value, kv.modRevision);
          if (filter && !filter(obj)) continue;
          items.push({ object: obj, encoded: new Map() });
          if (limit > 0 && items.length === limit) {
            const leftInPage = page.items.length - 1 - i;
            more = leftInPage > 0 || page.more;
            remaining = page.remaining + leftInPage;
            break outer;
          }
        }
        if (!page.more) break;
        startKey = lastKey + '\x00';
      }
    } catch (err) {
      if (err instanceof StorageError && err.code === 'Compacted') {
        throw o.continue ? continueExpired(encodeContinue({ rv: -1, start })) : listExpired();
      }
      throw this.storageError(err, '');
    }
    const answer: ListAnswer = { items, resourceVersion: String(revision) };
    if (more) {
      answer.continue = encodeContinue({ rv: revision, start: lastKey.slice(base.length) + '\x00' });
      if (!filter && remaining > 0) answer.remainingItemCount = remaining;
    }
    return answer;
  }

  /** Starts a watch with upstream's resourceVersion semantics; 410 when too old. */
  async watch(namespace: string | undefined, o: ListOptions, sink: WatchSink): Promise<CacheWatcher> {
    const filter = objectFilter(this.def, namespace, o);
    const rv = o.resourceVersion;
    // An unset resourceVersion asks for the current state: catch the cache up with storage first.
    if (rv === undefined) await this.cache.waitConsistent();
    const initial = rv === undefined || rv === '0' || o.sendInitialEvents === true;
    return this.cache.watch({
      fromRevision: initial ? 0 : Number(rv),
      filter,
      bookmarks: o.allowWatchBookmarks === true,
      sendInitialEvents: o.sendInitialEvents === true,
      sink,
    });
  }

  /** Creates an object; 409 AlreadyExists, 422 Invalid, or an admission error. */
  async create(namespace: string | undefined, obj: ApiObject, opts: WriteOptions = {}): Promise<ApiObject> {
    const strategy = this.def.strategy;
    this.checkBody(obj, namespace);
    if (this.def.namespaced && namespace !== undefined) obj.metadata.namespace = namespace;
    strategy.defaults?.(obj);
    const dryRun = opts.dryRun === true;
    // Ownership is recorded for what the writer sent (after defaulting), before admission and the
    // strategy change the object, as upstream's field manager does.
    if (!(opts as UpdateOptions).managedFieldsSet) this.recordManagedFields?.(null, obj, opts.fieldManager, '');
    await this.admission.mutate({ op: 'create', def: this.def, subresource: '', obj, dryRun });
    prepareMetaForCreate(obj, this.def.namespaced ? namespace : undefined);
    if (this.def.tracksGeneration) obj.metadata.generation = 1;
    else delete obj.metadata.generation;
    strategy.prepareForCreate(obj);
    const errs = [...validateObjectMeta(this.def, obj), ...strategy.validate(obj)];
    if (errs.length > 0) throw invalid(this.def.kind, this.def.group, obj.metadata.name ?? '', errs);
    await this.admission.validate({ op: 'create', def: this.def, subresource: '', obj, dryRun });
    let undo: (() => Promise<void>) | void = undefined;
    let written = false;
    try {
      undo = await this.hooks?.beforeCreate?.(obj, dryRun);
      if (dryRun) return obj;
      const r = await this.storage.create(this.key(namespace, obj.metadata.name), this.encode(obj));
      written = true;
      obj.metadata.resourceVersion = String(r.revision);
      return obj;
    } catch (err) {
      throw this.storageError(err, obj.metadata.name);
    } finally {
      if (!written && undo) await undo();
    }
  }

  /** Replaces an object (PUT), or its status. 409 on a stale resourceVersion; 404 when missing. */
  async update(namespace: string | undefined, name: string, obj: ApiObject, opts: UpdateOptions = {}): Promise<{ object: ApiObject; created: boolean }> {
    this.checkBody(obj, namespace);
    if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
      throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    obj.metadata.name = name;
    const wanted = obj.metadata.resourceVersion;
    return this.guaranteedUpdate(namespace, name, wanted, opts, () => structuredClone(obj));
  }

  /** Applies `mutate` to the newest object and writes it, retrying on conflicts (PATCH). */
  async patch(namespace: string | undefined, name: string, mutate: (current: ApiObject) => ApiObject, opts: UpdateOptions = {}): Promise<ApiObject> {
    const r = await this.guaranteedUpdate(namespace, name, undefined, opts, (cur) => {
      if (!cur) throw notFound(this.qr, name);
      return this.patched(name, cur, mutate(structuredClone(cur)));
    }, true);
    return r.object;
  }

  /**
   * Like {@link patch}, but creates the object when it does not exist: `mutate` then gets null
   * (server-side apply).
   */
  async upsert(namespace: string | undefined, name: string, mutate: (current: ApiObject | null) => ApiObject, opts: UpdateOptions = {}): Promise<{ object: ApiObject; created: boolean }> {
    return this.guaranteedUpdate(namespace, name, undefined, opts, (cur) => this.patched(name, cur, mutate(cur && structuredClone(cur))), true, true);
  }

  private patched(name: string, cur: ApiObject | null, next: ApiObject): ApiObject {
    if (!next || typeof next !== 'object' || Array.isArray(next)) throw badRequest('the patch produced something that is not an object');
    if (next.metadata === undefined || next.metadata === null) next.metadata = {};
    // A resourceVersion the patch changed is a precondition (409 when stale); an untouched one is
    // not, so a write that conflicts with another is retried on the newer object.
    if (cur && next.metadata.resourceVersion === cur.metadata.resourceVersion) delete next.metadata.resourceVersion;
    if (next.metadata.name === undefined && !cur) next.metadata.name = name;
    if (next.metadata.name !== name) throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`);
    return next;
  }

  private async guaranteedUpdate(namespace: string | undefined, name: string, wantedRv: string | undefined, opts: UpdateOptions,
    next: (current: ApiObject | null) => ApiObject, isPatch = false, createMissing = false): Promise<{ object: ApiObject; created: boolean }> {
    const key = this.key(namespace, name);
    const subresource = opts.subresource ?? '';
    const strategy = this.def.strategy;
    const dryRun = opts.dryRun === true;
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const kv = await this.storage.get(key);
      if (!kv) {
        if (subresource || !(createMissing || (!isPatch && this.def.allowCreateOnUpdate))) throw notFound(this.qr, name);
        const fresh = next(null);
        if (fresh.metadata?.resourceVersion) throw notFound(this.qr, name);
        try {
          return { object: await this.create(namespace, fresh, opts), created: true };
        } catch (err) {
          // Created by someone else meanwhile: update it instead.
          if (createMissing && err instanceof ApiError && err.code === 409 && err.reason === 'AlreadyExists') continue;
          throw err;
        }
      }
      const old = this.decode(kv.value, kv.modRevision);
      let obj = next(old);
      const rv = isPatch ? obj.metadata?.resourceVersion : wantedRv;
      if (rv !== undefined && rv !== '' && rv !== old.metadata.resourceVersion) throw conflict(this.qr, name);
      this.checkBody(obj, namespace);
      if (subresource === 'status') obj = { ...old, metadata: obj.metadata, status: obj.status };
      obj.metadata.namespace = this.def.namespaced ? namespace : undefined;
      if (!this.def.namespaced) delete obj.metadata.namespace;
      strategy.defaults?.(obj);
      if (!opts.managedFieldsSet) this.recordManagedFields?.(old, obj, opts.fieldManager, subresource);
      await this.admission.mutate({ op: 'update', def: this.def, subresource, obj, old, dryRun });
      prepareMetaForUpdate(obj, old);
      if (subresource === 'status') {
        strategy.prepareForStatusUpdate?.(obj, old);
      } else if (subresource === '') {
        if (this.def.subresources?.includes('status')) {
          if (old.status === undefined) delete obj.status;
          else obj.status = old.status;
        }
        strategy.prepareForUpdate(obj, old);
      }
      if (this.def.tracksGeneration) {
        obj.metadata.generation = old.metadata.generation ?? 1;
        if (subresource === '' && (strategy.generationChanged ?? specChanged)(obj, old)) obj.metadata.generation++;
      }
      const errs = [...validateObjectMetaUpdate(this.def, obj, old), ...(subresource === 'binding' ? []
        : subresource === 'status' && strategy.validateStatusUpdate ? strategy.validateStatusUpdate(obj, old) : strategy.validateUpdate(obj, old))];
      if (errs.length > 0) throw invalid(this.def.kind, this.def.group, name, errs);
      await this.admission.validate({ op: 'update', def: this.def, subresource, obj, old, dryRun });
      let undo: (() => Promise<void>) | void = undefined;
      let written = false;
      try {
        obj.metadata.resourceVersion = old.metadata.resourceVersion;
        // A write that changes nothing is not stored (key order does not count).
        const value = this.encode(obj);
        // The stored bytes are the old object without resourceVersion; equal bytes are the common
        // case, and only a difference in key order needs the structural comparison.
        if (value.equals(kv.value) || sameObject(value, old)) return { object: old, created: false };
        undo = await this.hooks?.beforeUpdate?.(obj, old, dryRun);
        if (dryRun) return { object: obj, created: false };
        // The hook may have filled in the object (allocations): write what it answers.
        const toStore = this.hooks?.beforeUpdate ? this.encode(obj) : value;
        if (obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).length === 0 && (obj.metadata.deletionGracePeriodSeconds ?? 0) === 0
          && (!this.beforeRemove || await this.beforeRemove(obj))) {
          await this.storage.delete(key, kv.modRevision);
          written = true;
          await this.hooks?.afterDelete?.(obj);
          return { object: obj, created: false };
        }
        const r = await this.storage.update(key, toStore, kv.modRevision);
        written = true;
        obj.metadata.resourceVersion = String(r.revision);
        return { object: obj, created: false };
      } catch (err) {
        if (err instanceof StorageError && err.code === 'Conflict') {
          if (rv !== undefined && rv !== '') throw conflict(this.qr, name);
          continue;
        }
        throw this.storageError(err, name);
      } finally {
        if (!written && undo) await undo();
      }
    }
    throw conflict(this.qr, name);
  }

  /**
   * Deletes an object. An object with finalizers, or one the strategy gives a grace period (a
   * running pod), is only marked (deletionTimestamp) and answered with deleted: false; otherwise it
   * is removed. Preconditions that do not hold answer 409.
   */
  async delete(namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<{ object: ApiObject; deleted: boolean }> {
    const key = this.key(namespace, name);
    const dryRun = opts.dryRun === true;
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const kv = await this.storage.get(key);
      if (!kv) throw notFound(this.qr, name);
      const obj = this.decode(kv.value, kv.modRevision);
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== obj.metadata.uid) {
        throw conflict(this.qr, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
        throw conflict(this.qr, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`);
      }
      await this.admission.validate({ op: 'delete', def: this.def, subresource: '', obj, dryRun });
      try {
        const marked = this.markForDeletion(obj, opts);
        if (marked) {
          if (marked === 'unchanged' || dryRun) return { object: obj, deleted: false };
          const r = await this.storage.update(key, this.encode(obj), kv.modRevision);
          obj.metadata.resourceVersion = String(r.revision);
          return { object: obj, deleted: false };
        }
        if (dryRun) return { object: obj, deleted: true };
        let rev = kv.modRevision;
        if (this.beforeRemove) {
          if (!obj.metadata.deletionTimestamp) obj.metadata.deletionTimestamp = nowTimestamp();
          obj.metadata.deletionGracePeriodSeconds = 0;
          this.def.strategy.prepareForDeletion?.(obj);
          rev = (await this.storage.update(key, this.encode(obj), rev)).revision;
          obj.metadata.resourceVersion = String(rev);
          if (!(await this.beforeRemove(obj))) return { object: obj, deleted: false };
          rev = (await this.storage.get(key))?.modRevision ?? rev;
        }
        await this.storage.delete(key, rev);
        await this.hooks?.afterDelete?.(obj);
        return { object: obj, deleted: true };
      } catch (err) {
        if (err instanceof StorageError && (err.code === 'Conflict' || err.code === 'NotFound')) continue;
        throw this.storageError(err, name);
      }
    }
    throw conflict(this.qr, name);
  }

  /**
   * Marks `obj` as being deleted when it cannot go at once: propagation finalizers, a grace period,
   * or finalizers it holds. Answers false when it can be removed now, 'unchanged' when it already
   * carries the marks, and true when it was marked.
   */
  private markForDeletion(obj: ApiObject, opts: DeleteOptions): boolean | 'unchanged' {
    const m = obj.metadata;
    const finalizers: string[] = [...(m.finalizers ?? [])];
    let changed = false;
    const policy = opts.propagationPolicy;
    const want = policy === 'Orphan' ? ORPHAN_FINALIZER : policy === 'Foreground' ? FOREGROUND_FINALIZER : undefined;
    if (want && !m.deletionTimestamp) {
      const other = want === ORPHAN_FINALIZER ? FOREGROUND_FINALIZER : ORPHAN_FINALIZER;
      const i = finalizers.indexOf(other);
      if (i >= 0) { finalizers.splice(i, 1); changed = true; }
      if (!finalizers.includes(want)) { finalizers.push(want); changed = true; }
    } else if (policy === 'Background' && !m.deletionTimestamp) {
      for (const f of [ORPHAN_FINALIZER, FOREGROUND_FINALIZER]) {
        const i = finalizers.indexOf(f);
        if (i >= 0) { finalizers.splice(i, 1); changed = true; }
      }
    }
    const grace = this.def.strategy.gracePeriod?.(obj, opts.gracePeriodSeconds) ?? 0;
    if (grace > 0) {
      const deadline = Date.now() + grace * 1000;
      const current = m.deletionTimestamp ? Date.parse(m.deletionTimestamp) : Infinity;
      if (deadline < current || changed) {
        if (deadline < current) {
          m.deletionTimestamp = new Date(Math.floor(deadline / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
          m.deletionGracePeriodSeconds = grace;
        }
        m.finalizers = finalizers;
        if (finalizers.length === 0) delete m.finalizers;
        return true;
      }
      return 'unchanged';
    }
    if (finalizers.length === 0) return false;
    if (m.deletionTimestamp && !changed) {
      if ((m.deletionGracePeriodSeconds ?? 0) === 0) return 'unchanged';
    }
    m.finalizers = finalizers;
    if (!m.deletionTimestamp) m.deletionTimestamp = nowTimestamp();
    m.deletionGracePeriodSeconds = 0;
    return true;
  }

  private checkBody(obj: ApiObject, namespace: string | undefined): void {
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw badRequest('the body of the request must be a JSON object');
    if (obj.kind !== undefined && obj.kind !== this.def.kind) {
      throw badRequest(`${obj.kind} in version "${obj.apiVersion ?? ''}" cannot be handled as a ${this.def.kind}: no kind "${obj.kind}" is registered for version "${this.apiVersion}"`);
    }
    if (obj.apiVersion !== undefined && obj.apiVersion !== this.apiVersion) {
      throw badRequest(`${obj.kind ?? this.def.kind} in version "${obj.apiVersion}" cannot be handled as a ${this.def.kind}: no kind "${obj.kind ?? this.def.kind}" is registered for version "${obj.apiVersion}"`);
    }
    obj.kind = this.def.kind;
    obj.apiVersion = this.apiVersion;
    if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
    if (typeof obj.metadata !== 'object' || Array.isArray(obj.metadata)) throw badRequest('metadata must be an object');
    if (this.def.namespaced && obj.metadata.namespace && namespace && obj.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
  }

  private storageError(err: unknown, name: string): Error {
    if (err instanceof ApiError) return err;
    if (err instanceof StorageError) {
      switch (err.code) {
        case 'KeyExists': return alreadyExists(this.qr, name);
        case 'NotFound': return notFound(this.qr, name);
        case 'Conflict': return conflict(this.qr, name);
        case 'Compacted': return listExpired();
        default: return serviceUnavailable(err.message);
      }
    }
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** Whether `encoded` (as {@link GenericRegistry.encode} writes it) holds the same object as `old`. */
function sameObject(encoded: Buffer, old: ApiObject): boolean {
  const parsed = JSON.parse(encoded.toString('utf8'));
  parsed.metadata.resourceVersion = old.metadata.resourceVersion;
  return isDeepStrictEqual(parsed, old);
}

/** Whether anything outside `metadata` and `status` differs: the change that bumps `generation`. */
export function specChanged(obj: ApiObject, old: ApiObject): boolean {
  const keys = new Set([...Object.keys(obj), ...Object.keys(old)]);
  for (const k of keys) {
    if (k === 'metadata' || k === 'status' || k === 'kind' || k === 'apiVersion') continue;
    if (!isDeepStrictEqual(obj[k], old[k])) return true;
  }
  return false;
}
