import type { ResourceType } from './kinds.js';
import type { KubeObject, ObjectList, WatchEvent } from './object.js';
import type { Query, RestClient } from './rest-client.js';

/** Options of {@link ResourceClient.list}. */
export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

/** Options of {@link ResourceClient.watch}. */
export interface WatchOptions {
  namespace?: string;
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

/** Options of writes. */
export interface WriteOptions {
  namespace?: string;
  dryRun?: boolean;
  fieldManager?: string;
}

/** Options of {@link ResourceClient.patch}. */
export interface PatchOptions extends WriteOptions {
  /** merge (default), strategic, json or apply (server-side apply, YAML or JSON body). */
  type?: 'merge' | 'strategic' | 'json' | 'apply';
  subresource?: string;
  force?: boolean;
}

/** Options of {@link ResourceClient.delete}. */
export interface DeleteOptions {
  namespace?: string;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

const PATCH_TYPES = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

/**
 * The verbs of one resource type: get, list, create, update (and of the status subresource),
 * patch, delete, subresource creates (binding, eviction) and watch. Namespaced calls take the
 * namespace from the options or, for writes, from the object. Failures reject with a StatusError.
 */
export class ResourceClient<T extends KubeObject = KubeObject> {
  constructor(private readonly rest: RestClient, readonly type: ResourceType) {}

  /** The collection path, or the object path when `name` is given. */
  path(namespace?: string, name?: string, subresource?: string): string {
    const t = this.type;
    let p = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
    if (t.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
    p += `/${t.plural}`;
    if (name !== undefined) p += `/${encodeURIComponent(name)}`;
    if (subresource) p += `/${subresource}`;
    return p;
  }

  get(name: string, namespace?: string): Promise<T> {
    return this.rest.request<T>({ method: 'GET', path: this.path(namespace, name) });
  }

  list(opts: ListOptions = {}): Promise<ObjectList<T>> {
    const { namespace, ...query } = opts;
    return this.rest.request<ObjectList<T>>({ method: 'GET', path: this.path(namespace), query: query as Query });
  }

  create(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.rest.request<T>({ method: 'POST', path: this.path(opts.namespace ?? obj.metadata.namespace), query: writeQuery(opts), body: obj });
  }

  update(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.rest.request<T>({ method: 'PUT', path: this.path(opts.namespace ?? obj.metadata.namespace, obj.metadata.name), query: writeQuery(opts), body: obj });
  }

  updateStatus(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.rest.request<T>({ method: 'PUT', path: this.path(opts.namespace ?? obj.metadata.namespace, obj.metadata.name, 'status'), query: writeQuery(opts), body: obj });
  }

  patch(name: string, patch: unknown, opts: PatchOptions = {}): Promise<T> {
    const type = opts.type ?? 'merge';
    const query: Query = { ...writeQuery(opts), force: opts.force ? true : undefined };
    return this.rest.request<T>({
      method: 'PATCH', path: this.path(opts.namespace, name, opts.subresource), query, body: patch, contentType: PATCH_TYPES[type],
    });
  }

  delete(name: string, opts: DeleteOptions = {}): Promise<unknown> {
    const { namespace, dryRun, ...rest } = opts;
    const body = { kind: 'DeleteOptions', apiVersion: 'v1', ...rest, ...(dryRun ? { dryRun: ['All'] } : {}) };
    return this.rest.request({ method: 'DELETE', path: this.path(namespace, name), body });
  }

  /** POSTs `body` to a subresource such as `binding` or `eviction`. */
  createSubresource(name: string, subresource: string, body: unknown, namespace?: string): Promise<unknown> {
    return this.rest.request({ method: 'POST', path: this.path(namespace, name, subresource), body });
  }

  /**
   * One watch request: yields its events until the server ends the stream, the connection
   * breaks (the iterator then throws) or `signal` aborts (it then returns). It does not
   * reconnect; {@link Reflector} does that.
   */
  async *watch(opts: WatchOptions): AsyncGenerator<WatchEvent<T>> {
    const { namespace, signal, ...query } = opts;
    const res = await this.rest.openStream(this.path(namespace), { watch: 1, ...query } as Query, signal);
    let rest = '';
    try {
      for await (const chunk of res) {
        rest += chunk.toString('utf8');
        let nl: number;
        while ((nl = rest.indexOf('\n')) >= 0) {
          const line = rest.slice(0, nl);
          rest = rest.slice(nl + 1);
          if (line.trim()) yield JSON.parse(line) as WatchEvent<T>;
        }
      }
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    } finally {
      res.destroy();
    }
    if (!res.complete && !signal?.aborted) throw Object.assign(new Error('the watch stream was cut'), { code: 'ECONNRESET' });
  }
}

function writeQuery(opts: WriteOptions): Query {
  return { dryRun: opts.dryRun ? 'All' : undefined, fieldManager: opts.fieldManager };
}
