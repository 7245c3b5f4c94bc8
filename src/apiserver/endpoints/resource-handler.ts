import {
  ApiError, badRequest, invalid, notFound, methodNotSupported, pathNotFound, successStatus, unsupportedMediaType,
} from '../../machinery/status.js';
import { applyMergePatch } from '../../machinery/merge-patch.js';
import { applyJsonPatch } from '../../api/patch/json-patch.js';
import type { GenericRegistry, ListAnswer, WriteOptions } from '../registry/generic-registry.js';
import { objectFilter, parseListOptions } from '../registry/list-options.js';
import { apiVersionOf, type ApiObject, type ResourceDefinition } from '../registry/resource.js';
import { resourceKey } from '../registry/builtin.js';
import { applyScale, toScale } from '../registry/scale.js';
import { bindPod } from '../registry/core/pod-binding.js';
import { finalizeNamespace } from '../registry/core/namespaces.js';
import { COMPONENT_STATUS_WARNING, componentStatuses } from '../registry/core/componentstatuses.js';
import { parseBoolParam } from '../../machinery/selectors.js';
import { checkAppliedObject, decodeApplyPatch, validateWriteOptions } from '../../api/apply/index.js';
import { APPLY_PATCH, readDeleteOptions, writeOptions } from '../request/write-options.js';
import { decodeBody, mediaType, readBody } from '../request/body.js';
import { PROTOBUF_MEDIA_TYPE } from '../../api/protobuf/codec.js';
import type { ObjectBodyDecoder } from '../request/object-body.js';
import { addWarnings, enforceKnownFields, parseFieldValidation } from '../request/field-validation.js';
import type { SchemaRegistry } from '../../api/schema/registry.js';
import { applyStrategicMergePatch } from '../../api/patch/strategic-merge.js';
import { writeJson, type RequestContext } from '../request/context.js';
import { negotiateOutput, type OutputForm } from './negotiation.js';
import { parseIncludeObject, type IncludeObject } from './table.js';
import type { OutputWriter } from './output.js';
import { HttpWatchSink, type WatchForm } from './watch-stream.js';

/** The patch types accepted besides server-side apply. */
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

/** Minimum watch duration before the server ends it, as upstream's --min-request-timeout (1800 s). */
const MIN_REQUEST_TIMEOUT_S = 1800;

/**
 * Server-side apply of one request: merges `patch` (a full typed object) into `live` (null when the
 * object does not exist) for `manager`, answering the object to write with its managedFields;
 * conflicts throw ApiError 409.
 */
export type Applier = (def: ResourceDefinition, live: ApiObject | null, patch: ApiObject, manager: string, force: boolean, subresource: string) => ApiObject;

/** One served resource: its definition, the registry storing it, and the conversions between the two. */
interface Served {
  def: ResourceDefinition;
  reg: GenericRegistry;
  /** Stored form → served form (identity unless the resource is stored in another version). */
  out(obj: ApiObject): ApiObject;
  /** Served form → stored form. */
  in(obj: ApiObject): ApiObject;
}

/**
 * Answers the resource requests (`/api/v1/...`, `/apis/<g>/<v>/...`) of the resources it is given,
 * one method per verb, and their `status`, `scale` and `binding` subresources.
 */
export class ResourceHandler {
  private readonly byPath = new Map<string, Served>();
  /** Server-side apply, when available. */
  applier?: Applier;
  /** The health of the control plane's parts, for `componentstatuses`. */
  componentHealth?: () => Promise<ComponentHealth[]>;

  constructor(defs: ResourceDefinition[], registries: Map<string, GenericRegistry>, private readonly bodies: ObjectBodyDecoder,
    private readonly schemas: SchemaRegistry, private readonly output: OutputWriter) {
    for (const def of defs) {
      const conv = def.storedAs;
      const reg = registries.get(resourceKey(conv?.group ?? def.group, conv?.plural ?? def.plural));
      if (!reg) continue;
      const served: Served = conv
        ? { def, reg, out: (o) => conv.fromStored(o), in: (o) => conv.toStored(o) }
        : { def, reg, out: (o) => o, in: (o) => o };
      this.byPath.set(`${apiVersionOf(def)}/${def.plural}`, served);
    }
  }

  /** The registry serving a group-version-resource, if any. */
  registryFor(group: string, version: string, resource: string): GenericRegistry | undefined {
    return this.byPath.get(`${group ? `${group}/` : ''}${version}/${resource}`)?.reg;
  }

  /** Routes a resource request by verb and subresource. */
  async handle(ctx: RequestContext): Promise<void> {
    const { info } = ctx;
    const served = this.byPath.get(`${info.apiGroup ? `${info.apiGroup}/` : ''}${info.apiVersion}/${info.resource}`);
    if (!served) {
      if (!info.apiGroup && info.apiVersion === 'v1' && !info.subresource) {
        if (info.resource === 'bindings' && info.namespace && !info.name && info.verb === 'create') return this.legacyBind(ctx, info.namespace);
        if (info.resource === 'componentstatuses' && (info.verb === 'list' || info.verb === 'get')) return this.componentStatuses(ctx);
      }
      throw pathNotFound();
    }
    const { def } = served;
    const ns = def.namespaced ? info.namespace || undefined : undefined;
    if (def.namespaced && info.name && !ns) throw pathNotFound();
    const storedGroup = def.storedAs?.group;
    if (storedGroup !== undefined && storedGroup !== def.group) {
      try {
        return await this.dispatch(ctx, served, ns);
      } catch (err) {
        throw err instanceof ApiError ? inServedGroup(err, storedGroup, def) : err;
      }
    }
    return this.dispatch(ctx, served, ns);
  }

  private async dispatch(ctx: RequestContext, served: Served, ns: string | undefined): Promise<void> {
    const { info } = ctx;
    if (info.subresource) return this.handleSubresource(ctx, served, ns);
    if (!served.def.verbs.includes(info.verb)) throw methodNotSupported(served.reg.qr, info.verb);
    switch (info.verb) {
      case 'get': return this.get(ctx, served, ns);
      case 'list': return this.list(ctx, served, ns);
      case 'watch': return this.watch(ctx, served, ns);
      case 'create': return this.create(ctx, served, ns);
      case 'update': return this.update(ctx, served, ns, '');
      case 'patch': return this.patch(ctx, served, ns, '');
      case 'delete': return this.delete(ctx, served, ns);
      case 'deletecollection': return this.deleteCollection(ctx, served, ns);
      default: throw methodNotSupported(served.reg.qr, info.verb);
    }
  }

  private async handleSubresource(ctx: RequestContext, served: Served, ns: string | undefined): Promise<void> {
    const { info } = ctx;
    const sub = info.subresource as 'status' | 'scale' | 'binding' | 'finalize';
    if (!served.def.subresources?.includes(sub)) throw pathNotFound();
    const qr = { group: served.def.group, resource: `${served.def.plural}/${sub}` };
    if (sub === 'status') {
      switch (info.verb) {
        case 'get': return this.get(ctx, served, ns);
        case 'update': return this.update(ctx, served, ns, 'status');
        case 'patch': return this.patch(ctx, served, ns, 'status');
        default: throw methodNotSupported(qr, info.verb);
      }
    }
    if (sub === 'scale') {
      switch (info.verb) {
        case 'get': return this.getScale(ctx, served, ns);
        case 'update': return this.updateScale(ctx, served, ns);
        case 'patch': return this.patchScale(ctx, served, ns);
        default: throw methodNotSupported(qr, info.verb);
      }
    }
    if (sub === 'finalize') {
      if (info.verb !== 'update') throw methodNotSupported(qr, info.verb);
      return this.finalize(ctx, served);
    }
    if (info.verb !== 'create') throw methodNotSupported(qr, info.verb);
    return this.bind(ctx, served, ns);
  }

  /** PUT /api/v1/namespaces/<name>/finalize: writes the namespace's spec.finalizers. */
  private async finalize(ctx: RequestContext, served: Served): Promise<void> {
    const form = this.form(ctx, served);
    const opts = writeOptions(ctx);
    const body = await this.readObject(ctx, served.def);
    const obj = await served.reg.patch(undefined, ctx.info.name, (cur) => finalizeNamespace(cur, body), { ...opts, subresource: 'finalize' });
    this.send(ctx, served, 200, obj, form);
  }

  private form(ctx: RequestContext, served: Served, transforms = true): OutputForm {
    return negotiateOutput(ctx.req.headers.accept, { transforms, protobuf: this.output.canProtobuf(served.def) });
  }

  private include(ctx: RequestContext): IncludeObject {
    return parseIncludeObject(ctx.url.searchParams.get('includeObject'));
  }

  private send(ctx: RequestContext, served: Served, code: number, obj: ApiObject, form: OutputForm): void {
    this.output.object(ctx.res, served.def, code, served.out(obj), form, this.include(ctx));
  }

  private async get(ctx: RequestContext, served: Served, ns: string | undefined): Promise<void> {
    const form = this.form(ctx, served);
    const obj = await served.reg.get(ns, ctx.info.name, ctx.url.searchParams.get('resourceVersion') ?? undefined);
    this.send(ctx, served, 200, obj, form);
  }

  private async list(ctx: RequestContext, served: Served, ns: string | undefined): Promise<void> {
    const form = this.form(ctx, served);
    const opts = listOptions(ctx, served);
    const answer = await served.reg.list(ns, opts);
    const items = served.def.storedAs ? answer.items.map((i) => ({ object: served.out(i.object), encoded: new Map() })) : answer.items;
    this.output.list(ctx.res, served.def, listMeta(answer), items, form, this.include(ctx));
  }

  private async watch(ctx: RequestContext, served: Served, ns: string | undefined): Promise<void> {
    ctx.longRunning = true;
    const { reg } = served;
    const negotiated = negotiateOutput(ctx.req.headers.accept, { transforms: true });
    const form: WatchForm = negotiated.kind === 'protobuf' ? { kind: 'json' } : negotiated;
    const opts = listOptions(ctx, served);
    const include = this.include(ctx);
    objectFilter(reg.def, ns, opts); // refuses bad selectors with a 400 before the stream starts
    if (ctx.req.method === 'HEAD') {
      ctx.res.writeHead(200, { 'Content-Type': 'application/json' });
      ctx.res.end();
      return;
    }
    const sink = new HttpWatchSink(ctx.res, served.def, form, include, served.def.storedAs ? served.out : undefined);
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

  /** Reads an object body for `def`, holding it to the type as `fieldValidation` asks. */
  private async readObject(ctx: RequestContext, def: { group: string; version: string; kind: string }): Promise<ApiObject> {
    const validation = parseFieldValidation(ctx.url.searchParams);
    const body = await readBody(ctx.req);
    const contentType = ctx.req.headers['content-type'];
    const obj = this.bodies.decode(body, contentType, def) as ApiObject;
    // A protobuf body holds only fields the type has, each of its type: nothing to look for.
    if (mediaType(contentType) !== PROTOBUF_MEDIA_TYPE) addWarnings(ctx.res, enforceKnownFields(this.schemas, def, obj, validation));
    return obj;
  }

  private async create(ctx: RequestContext, served: Served, ns: string | undefined): Promise<void> {
    const form = this.form(ctx, served);
    const opts = writeOptions(ctx);
    const obj = await this.readObject(ctx, served.def);
    if (served.def.storedAs) {
      if (served.def.namespaced && ns) (obj.metadata ??= {}).namespace = ns;
      checkServedForm(served.def, obj, null);
    }
    const created = await served.reg.create(ns, served.in(obj), opts);
    this.send(ctx, served, 201, created, form);
  }

  private async update(ctx: RequestContext, served: Served, ns: string | undefined, subresource: '' | 'status'): Promise<void> {
    const form = this.form(ctx, served);
    const opts = writeOptions(ctx);
    const obj = await this.readObject(ctx, served.def);
    const r = served.def.storedAs
      ? await served.reg.upsert(ns, ctx.info.name, (cur) => {
        if (!cur && (subresource || !served.def.allowCreateOnUpdate)) throw notFound(served.reg.qr, ctx.info.name);
        const next = structuredClone(obj);
        if (served.def.namespaced && ns) (next.metadata ??= {}).namespace = ns;
        checkServedForm(served.def, next, cur && served.out(cur), subresource);
        return served.in(next);
      }, { ...opts, subresource })
      : await served.reg.update(ns, ctx.info.name, served.in(obj), { ...opts, subresource });
    this.send(ctx, served, r.created ? 201 : 200, r.object, form);
  }

  private async patch(ctx: RequestContext, served: Served, ns: string | undefined, subresource: '' | 'status'): Promise<void> {
    const form = this.form(ctx, served);
    const opts = writeOptions(ctx);
    const type = mediaType(ctx.req.headers['content-type']);
    if (type === APPLY_PATCH) return this.apply(ctx, served, ns, subresource, form, opts);
    const mutateServed = await this.patchMutator(ctx, type, served.def);
    const validation = parseFieldValidation(ctx.url.searchParams);
    let warnings: string[] = [];
    const obj = await served.reg.patch(ns, ctx.info.name, (cur) => {
      const old = served.out(cur);
      const next = mutateServed(structuredClone(old));
      if (served.def.storedAs) checkServedForm(served.def, next, old, subresource);
      // The patched object is held to the type like a whole body; a retry replaces the warnings.
      warnings = enforceKnownFields(this.schemas, served.def, next, validation);
      return served.in(next);
    }, { ...opts, subresource });
    addWarnings(ctx.res, warnings);
    this.send(ctx, served, 200, obj, form);
  }

  /** Server-side apply (PATCH with application/apply-patch+yaml). */
  private async apply(ctx: RequestContext, served: Served, ns: string | undefined, subresource: '' | 'status', form: OutputForm, opts: WriteOptions): Promise<void> {
    if (!this.applier) throw unsupportedMediaType(APPLY_PATCH, PATCH_TYPES);
    const applier = this.applier;
    const q = ctx.url.searchParams;
    const force = parseBoolParam(q, 'force');
    const bad = validateWriteOptions('PatchOptions', { isApply: true, fieldManager: q.get('fieldManager') ?? '', force: q.has('force') ? force : undefined });
    if (bad) throw bad;
    const patch = decodeApplyPatch(await readBody(ctx.req)) as ApiObject;
    const name = ctx.info.name;
    const r = await served.reg.upsert(ns, name, (cur) => {
      const out = applier(served.def, cur && served.out(cur), structuredClone(patch), opts.fieldManager!, force, subresource);
      const err = checkAppliedObject(out, { resource: served.reg.qr, name, namespace: ns, creating: cur === null });
      if (err) throw err;
      return served.in(out);
    }, { ...opts, subresource, managedFieldsSet: true });
    this.send(ctx, served, r.created ? 201 : 200, r.object, form);
  }

  /** The function a JSON, merge or strategic merge patch applies to the current object. */
  private async patchMutator(ctx: RequestContext, type: string, def: { group: string; version: string; kind: string }): Promise<(cur: ApiObject) => ApiObject> {
    if (!PATCH_TYPES.includes(type)) throw unsupportedMediaType(type, [...PATCH_TYPES, APPLY_PATCH]);
    const body = await readBody(ctx.req);
    const patch = decodeBody(body, 'application/json');
    if (type === 'application/json-patch+json') {
      if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
      return (cur) => applyJsonPatch(cur, patch);
    }
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw badRequest('json: cannot unmarshal into a merge patch: the patch must be a JSON object');
    if (type === 'application/strategic-merge-patch+json') {
      const schema = this.schemas.kind(def.group, def.version, def.kind);
      if (!schema) throw unsupportedMediaType(type, PATCH_TYPES.slice(0, 2));
      return (cur) => applyStrategicMergePatch(this.schemas, schema.name, cur, patch);
    }
    return (cur) => applyMergePatch(cur, patch) as ApiObject;
  }

  private async getScale(ctx: RequestContext, served: Served, ns: string | undefined): Promise<void> {
    const obj = await served.reg.get(ns, ctx.info.name);
    writeJson(ctx.res, 200, toScale(served.def, served.out(obj)));
  }

  private async updateScale(ctx: RequestContext, served: Served, ns: string | undefined): Promise<void> {
    const opts = writeOptions(ctx);
    const scale = await this.readObject(ctx, SCALE_KIND);
    if (scale.metadata?.name !== undefined && scale.metadata.name !== ctx.info.name) {
      throw badRequest(`the name of the object (${scale.metadata.name}) does not match the name on the URL (${ctx.info.name})`);
    }
    const obj = await served.reg.patch(ns, ctx.info.name, (cur) => {
      const next = served.out(cur);
      applyScale(served.def, next, scale);
      return served.in(next);
    }, opts);
    writeJson(ctx.res, 200, toScale(served.def, served.out(obj)));
  }

  private async patchScale(ctx: RequestContext, served: Served, ns: string | undefined): Promise<void> {
    const opts = writeOptions(ctx);
    const mutate = await this.patchMutator(ctx, mediaType(ctx.req.headers['content-type']), SCALE_KIND);
    const obj = await served.reg.patch(ns, ctx.info.name, (cur) => {
      const next = served.out(cur);
      const scale = mutate(toScale(served.def, next));
      applyScale(served.def, next, scale);
      return served.in(next);
    }, opts);
    writeJson(ctx.res, 200, toScale(served.def, served.out(obj)));
  }

  private async bind(ctx: RequestContext, served: Served, ns: string | undefined): Promise<void> {
    const opts = writeOptions(ctx);
    const binding = await this.readObject(ctx, BINDING_KIND);
    await served.reg.patch(ns, ctx.info.name, (cur) => bindPod(cur, binding), { ...opts, subresource: 'binding' });
    writeJson(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  }

  /** POST /api/v1/namespaces/<ns>/bindings: binds the pod the Binding is named after. */
  private async legacyBind(ctx: RequestContext, ns: string): Promise<void> {
    const pods = this.byPath.get('v1/pods');
    if (!pods) throw pathNotFound();
    const opts = writeOptions(ctx);
    const binding = await this.readObject(ctx, BINDING_KIND);
    const name = binding.metadata?.name;
    if (typeof name !== 'string' || name === '') {
      throw invalid('Binding', '', '', [{ type: 'FieldValueRequired', field: 'metadata.name', detail: 'Required value: name or generateName is required' }]);
    }
    await pods.reg.patch(ns, name, (cur) => bindPod(cur, binding), { ...opts, subresource: 'binding' });
    writeJson(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  }

  /** GET /api/v1/componentstatuses[/<name>]: computed, never stored. */
  private async componentStatuses(ctx: RequestContext): Promise<void> {
    const parts = this.componentHealth ? await this.componentHealth() : [];
    const items = parts.map((p) => ({
      kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name: p.name },
      conditions: [{ type: 'Healthy', status: p.healthy ? 'True' : 'False', ...(p.message ? { message: p.message } : {}), ...(p.error ? { error: p.error } : {}) }],
    }));
    addWarnings(ctx.res, [COMPONENT_STATUS_WARNING]);
    const form = negotiateOutput(ctx.req.headers.accept, { transforms: true });
    const include = this.include(ctx);
    if (ctx.info.name) {
      const one = items.find((i) => i.metadata.name === ctx.info.name);
      if (!one) throw notFound({ group: '', resource: 'componentstatuses' }, ctx.info.name);
      this.output.object(ctx.res, componentStatuses, 200, one, form.kind === 'protobuf' ? { kind: 'json' } : form, include);
      return;
    }
    const list = items.map((object) => ({ object, encoded: new Map() }));
    this.output.list(ctx.res, componentStatuses, {}, list, form.kind === 'protobuf' ? { kind: 'json' } : form, include);
  }

  private async delete(ctx: RequestContext, served: Served, ns: string | undefined): Promise<void> {
    const form = this.form(ctx, served);
    const opts = await readDeleteOptions(ctx, this.bodies);
    const r = await served.reg.delete(ns, ctx.info.name, opts);
    if (!r.deleted || served.def.returnDeletedObject) {
      this.send(ctx, served, 200, r.object, form);
      return;
    }
    writeJson(ctx.res, 200, successStatus(served.reg.qr, ctx.info.name, r.object.metadata.uid));
  }

  private async deleteCollection(ctx: RequestContext, served: Served, ns: string | undefined): Promise<void> {
    const opts = await readDeleteOptions(ctx, this.bodies);
    const answer = await served.reg.list(ns, listOptions(ctx, served));
    const deleted: ApiObject[] = [];
    for (const item of answer.items) {
      try {
        const itemNs = served.def.namespaced ? item.object.metadata.namespace : undefined;
        deleted.push(served.out((await served.reg.delete(itemNs, item.object.metadata.name, opts)).object));
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
    writeJson(ctx.res, 200, { kind: `${served.def.kind}List`, apiVersion: apiVersionOf(served.def), metadata: { resourceVersion: answer.resourceVersion }, items: deleted });
  }
}

/**
 * An error of the registry of another group, reworded for the group the client asked
 * (`events "x" not found` → `events.events.k8s.io "x" not found`).
 */
function inServedGroup(err: ApiError, storedGroup: string, def: ResourceDefinition): ApiError {
  const d = err.details;
  if (!d || (d.group ?? '') !== storedGroup) return err;
  const from = (q: string) => (storedGroup ? `${q}.${storedGroup}` : q);
  let message = err.message;
  for (const q of [def.plural, def.kind]) {
    if (message.includes(`${from(q)} "`)) { message = message.replace(`${from(q)} "`, `${q}.${def.group} "`); break; }
  }
  const e = new ApiError(err.code, err.reason, message, { ...d, group: def.group });
  e.listMeta = err.listMeta;
  return e;
}

/**
 * The list options of a request; for a resource served in another form than it is stored in, field
 * selectors are translated to the stored form's names.
 */
function listOptions(ctx: RequestContext, served: Served): ReturnType<typeof parseListOptions> {
  const opts = parseListOptions(ctx.url.searchParams);
  const labels = served.def.storedAs?.fieldLabels;
  if (labels && opts.fieldSelector) opts.fieldSelector = opts.fieldSelector.map((r) => ({ ...r, field: labels[r.field] ?? r.field }));
  return opts;
}

/**
 * Defaults and validates what a client sent through a served form that is stored in another
 * (events.k8s.io events), with that form's rules and names, as upstream validates by the version
 * asked for. `old` is the stored object in the served form, null on create.
 */
function checkServedForm(def: ResourceDefinition, obj: ApiObject, old: ApiObject | null, subresource: string = ''): void {
  def.strategy.defaults?.(obj);
  if (subresource) return;
  const errs = old ? def.strategy.validateUpdate(obj, old) : def.strategy.validate(obj);
  if (errs.length > 0) throw invalid(def.kind, def.group, String(obj.metadata?.name ?? ''), errs);
}

/** The health of one part of the control plane. */
export interface ComponentHealth {
  name: string;
  healthy: boolean;
  message?: string;
  error?: string;
}

/** The type the `scale` subresource reads and writes. */
const SCALE_KIND = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
/** The type `pods/binding` reads. */
const BINDING_KIND = { group: '', version: 'v1', kind: 'Binding' };

function listMeta(a: ListAnswer): Record<string, unknown> {
  const m: Record<string, unknown> = { resourceVersion: a.resourceVersion };
  if (a.continue) m.continue = a.continue;
  if (a.remainingItemCount !== undefined) m.remainingItemCount = a.remainingItemCount;
  return m;
}
