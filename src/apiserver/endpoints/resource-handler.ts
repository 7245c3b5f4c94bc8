import jsonpatch from 'fast-json-patch';
import {
  ApiError, badRequest, methodNotSupported, pathNotFound, successStatus, unprocessablePatch, unsupportedMediaType,
} from '../../machinery/status.js';
import { applyMergePatch } from '../../machinery/merge-patch.js';
import type { GenericRegistry, ListAnswer } from '../registry/generic-registry.js';
import { objectFilter, parseListOptions } from '../registry/list-options.js';
import { apiVersionOf, type ApiObject } from '../registry/resource.js';
import { decodeBody, mediaType, readBody } from '../request/body.js';
import type { ObjectBodyDecoder } from '../request/object-body.js';
import { addWarnings, enforceKnownFields, parseFieldValidation } from '../request/field-validation.js';
import type { SchemaRegistry } from '../../api/schema/registry.js';
import { applyStrategicMergePatch } from '../../api/patch/strategic-merge.js';
import { writeJson, type RequestContext } from '../request/context.js';
import { listJson } from './encoding.js';
import { negotiateOutput, type OutputForm } from './negotiation.js';
import { parseIncludeObject, renderTable } from './table.js';
import { HttpWatchSink } from './watch-stream.js';

/** The patch types accepted. */
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

/** The kind a delete's body holds. */
const DELETE_OPTIONS = { group: 'meta.k8s.io', version: 'v1', kind: 'DeleteOptions' };

/** Minimum watch duration before the server ends it, as upstream's --min-request-timeout (1800 s). */
const MIN_REQUEST_TIMEOUT_S = 1800;

/**
 * Answers the resource requests (`/api/v1/...`, `/apis/<g>/<v>/...`) of the registries it is given,
 * one method per verb.
 */
export class ResourceHandler {
  private readonly byPath = new Map<string, GenericRegistry>();

  constructor(registries: GenericRegistry[], private readonly bodies: ObjectBodyDecoder, private readonly schemas: SchemaRegistry) {
    for (const r of registries) this.byPath.set(`${apiVersionOf(r.def)}/${r.def.plural}`, r);
  }

  /** The registry serving a group-version-resource, if any. */
  registryFor(group: string, version: string, resource: string): GenericRegistry | undefined {
    return this.byPath.get(`${group ? `${group}/` : ''}${version}/${resource}`);
  }

  /** Routes a resource request by verb. */
  async handle(ctx: RequestContext): Promise<void> {
    const { info } = ctx;
    const reg = this.registryFor(info.apiGroup, info.apiVersion, info.resource);
    if (!reg || info.subresource) throw pathNotFound();
    const ns = reg.def.namespaced ? info.namespace || undefined : undefined;
    if (reg.def.namespaced && info.name && !ns) throw pathNotFound();
    if (!reg.def.verbs.includes(info.verb)) throw methodNotSupported(reg.qr, info.verb);
    switch (info.verb) {
      case 'get': return this.get(ctx, reg, ns);
      case 'list': return this.list(ctx, reg, ns);
      case 'watch': return this.watch(ctx, reg, ns);
      case 'create': return this.create(ctx, reg, ns);
      case 'update': return this.update(ctx, reg, ns);
      case 'patch': return this.patch(ctx, reg, ns);
      case 'delete': return this.delete(ctx, reg, ns);
      case 'deletecollection': return this.deleteCollection(ctx, reg, ns);
      default: throw methodNotSupported(reg.qr, info.verb);
    }
  }

  private async get(ctx: RequestContext, reg: GenericRegistry, ns: string | undefined): Promise<void> {
    const form = negotiateOutput(ctx.req.headers.accept);
    const obj = await reg.get(ns, ctx.info.name);
    this.writeObject(ctx, reg, 200, obj, form);
  }

  private async list(ctx: RequestContext, reg: GenericRegistry, ns: string | undefined): Promise<void> {
    const form = negotiateOutput(ctx.req.headers.accept);
    const opts = parseListOptions(ctx.url.searchParams);
    const answer = await reg.list(ns, opts);
    const meta = listMeta(answer);
    if (form.kind === 'table') {
      const include = parseIncludeObject(ctx.url.searchParams.get('includeObject'));
      writeJson(ctx.res, 200, renderTable(reg.def, form.apiVersion, answer.items.map((i) => i.object), meta, include));
      return;
    }
    writeJson(ctx.res, 200, listJson(reg.def.kind, apiVersionOf(reg.def), meta, answer.items));
  }

  private async watch(ctx: RequestContext, reg: GenericRegistry, ns: string | undefined): Promise<void> {
    ctx.longRunning = true;
    const form = negotiateOutput(ctx.req.headers.accept);
    const opts = parseListOptions(ctx.url.searchParams);
    const include = parseIncludeObject(ctx.url.searchParams.get('includeObject'));
    objectFilter(reg.def, ns, opts); // refuses bad selectors with a 400 before the stream starts
    if (ctx.req.method === 'HEAD') {
      ctx.res.writeHead(200, { 'Content-Type': 'application/json' });
      ctx.res.end();
      return;
    }
    const sink = new HttpWatchSink(ctx.res, reg, form, include);
    sink.start();
    let watcher: Awaited<ReturnType<GenericRegistry['watch']>> | null = null;
    const timeoutS = opts.timeoutSeconds && opts.timeoutSeconds > 0 ? opts.timeoutSeconds : MIN_REQUEST_TIMEOUT_S * (1 + Math.random());
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => (watcher ? watcher.close('timeout') : sink.close()), timeoutS * 1000);
      const done = () => {
        clearTimeout(timer);
        watcher?.close();
        resolve();
      };
      ctx.res.once('close', done);
      ctx.res.once('finish', done);
      reg.watch(ns, opts, sink).then((w) => {
        watcher = w;
        if (ctx.res.writableEnded || ctx.res.destroyed) w.close();
      }, (err) => {
        if (err instanceof ApiError) sink.error(err);
        else {
          console.error('watch failed:', err);
          sink.close();
        }
      });
    });
  }

  private async create(ctx: RequestContext, reg: GenericRegistry, ns: string | undefined): Promise<void> {
    const form = negotiateOutput(ctx.req.headers.accept);
    const dryRun = parseDryRun(ctx.url.searchParams);
    const validation = parseFieldValidation(ctx.url.searchParams);
    const body = await readBody(ctx.req);
    const obj = this.bodies.decode(body, ctx.req.headers['content-type'], reg.def) as ApiObject;
    addWarnings(ctx.res, enforceKnownFields(this.schemas, reg.def, obj, validation));
    const created = await reg.create(ns, obj, { dryRun });
    this.writeObject(ctx, reg, 201, created, form);
  }

  private async update(ctx: RequestContext, reg: GenericRegistry, ns: string | undefined): Promise<void> {
    const form = negotiateOutput(ctx.req.headers.accept);
    const dryRun = parseDryRun(ctx.url.searchParams);
    const validation = parseFieldValidation(ctx.url.searchParams);
    const body = await readBody(ctx.req);
    const obj = this.bodies.decode(body, ctx.req.headers['content-type'], reg.def) as ApiObject;
    addWarnings(ctx.res, enforceKnownFields(this.schemas, reg.def, obj, validation));
    const r = await reg.update(ns, ctx.info.name, obj, { dryRun });
    this.writeObject(ctx, reg, r.created ? 201 : 200, r.object, form);
  }

  private async patch(ctx: RequestContext, reg: GenericRegistry, ns: string | undefined): Promise<void> {
    const form = negotiateOutput(ctx.req.headers.accept);
    const dryRun = parseDryRun(ctx.url.searchParams);
    const type = mediaType(ctx.req.headers['content-type']);
    if (!PATCH_TYPES.includes(type)) throw unsupportedMediaType(type, PATCH_TYPES);
    const body = await readBody(ctx.req);
    const patch = decodeBody(body, 'application/json');
    let mutate: (cur: ApiObject) => ApiObject;
    if (type === 'application/json-patch+json') {
      if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
      mutate = (cur) => applyJsonPatch(cur, patch);
    } else if (type === 'application/strategic-merge-patch+json') {
      const schema = this.schemas.kind(reg.def.group, reg.def.version, reg.def.kind);
      if (!schema) throw unsupportedMediaType(type, PATCH_TYPES.slice(0, 2));
      mutate = (cur) => applyStrategicMergePatch(this.schemas, schema.name, cur, patch);
    } else {
      if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw badRequest('json: cannot unmarshal into a merge patch: the patch must be a JSON object');
      mutate = (cur) => applyMergePatch(cur, patch) as ApiObject;
    }
    const validation = parseFieldValidation(ctx.url.searchParams);
    let warnings: string[] = [];
    const obj = await reg.patch(ns, ctx.info.name, (cur) => {
      const next = mutate(cur);
      // The patched object is held to the type like a whole body; a retry replaces the warnings.
      warnings = enforceKnownFields(this.schemas, reg.def, next, validation);
      return next;
    }, { dryRun });
    addWarnings(ctx.res, warnings);
    this.writeObject(ctx, reg, 200, obj, form);
  }

  private async delete(ctx: RequestContext, reg: GenericRegistry, ns: string | undefined): Promise<void> {
    const form = negotiateOutput(ctx.req.headers.accept);
    const opts = await readDeleteOptions(ctx, this.bodies);
    const r = await reg.delete(ns, ctx.info.name, opts);
    if (!r.deleted || reg.def.returnDeletedObject) {
      this.writeObject(ctx, reg, 200, r.object, form);
      return;
    }
    writeJson(ctx.res, 200, successStatus(reg.qr, ctx.info.name, r.object.metadata.uid));
  }

  private async deleteCollection(ctx: RequestContext, reg: GenericRegistry, ns: string | undefined): Promise<void> {
    const opts = await readDeleteOptions(ctx, this.bodies);
    const answer = await reg.list(ns, parseListOptions(ctx.url.searchParams));
    const deleted: ApiObject[] = [];
    for (const item of answer.items) {
      try {
        deleted.push((await reg.delete(ns, item.object.metadata.name, { dryRun: opts.dryRun })).object);
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
    writeJson(ctx.res, 200, { kind: `${reg.def.kind}List`, apiVersion: apiVersionOf(reg.def), metadata: { resourceVersion: answer.resourceVersion }, items: deleted });
  }

  private writeObject(ctx: RequestContext, reg: GenericRegistry, code: number, obj: ApiObject, form: OutputForm): void {
    if (form.kind === 'table') {
      const include = parseIncludeObject(ctx.url.searchParams.get('includeObject'));
      writeJson(ctx.res, code, renderTable(reg.def, form.apiVersion, [obj], { resourceVersion: obj.metadata.resourceVersion }, include));
      return;
    }
    writeJson(ctx.res, code, obj);
  }
}

function listMeta(a: ListAnswer): Record<string, unknown> {
  const m: Record<string, unknown> = { resourceVersion: a.resourceVersion };
  if (a.continue) m.continue = a.continue;
  if (a.remainingItemCount !== undefined) m.remainingItemCount = a.remainingItemCount;
  return m;
}

function parseDryRun(q: URLSearchParams): boolean {
  const values = q.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All') throw badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  }
  return values.length > 0;
}

async function readDeleteOptions(ctx: RequestContext, bodies: ObjectBodyDecoder): Promise<{ dryRun: boolean; preconditions?: { uid?: string; resourceVersion?: string } }> {
  const body = await readBody(ctx.req);
  let dryRun = parseDryRun(ctx.url.searchParams);
  if (body.length === 0) return { dryRun };
  const o = bodies.decode(body, ctx.req.headers['content-type'], DELETE_OPTIONS) as Record<string, any>;
  if (o && typeof o === 'object') {
    if (Array.isArray(o.dryRun) && o.dryRun.includes('All')) dryRun = true;
    return { dryRun, preconditions: o.preconditions ?? undefined };
  }
  return { dryRun };
}

/** The most operations one JSON patch may hold, as upstream. */
const MAX_JSON_PATCH_OPERATIONS = 10_000;

function applyJsonPatch(doc: ApiObject, ops: unknown[]): ApiObject {
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
  }
  try {
    return jsonpatch.applyPatch(doc, ops as jsonpatch.Operation[], true, true).newDocument;
  } catch {
    // Upstream answers every failure to apply a well-formed patch with the same generic 422.
    throw unprocessablePatch();
  }
}
