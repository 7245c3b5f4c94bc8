import { createHash } from 'node:crypto';
import type { SchemaRegistry } from '../schema/registry.js';
import type { Field, Shape, TypeDef } from '../schema/shapes.js';
import type { OpenApiResource } from './v3.js';

/** A served resource as the v2 document needs it: the v3 facts plus the subresources it serves. */
export interface OpenApiV2Resource extends OpenApiResource {
  /** Subresources served besides the object (`status`, `scale`, `binding`); each gets its paths. */
  subresources?: ReadonlyArray<'status' | 'scale' | 'binding' | 'finalize'>;
  /** Whether DELETE answers with the deleted object rather than a Status. */
  returnDeletedObject?: boolean;
}

type Json = Record<string, unknown>;

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
/** The definition names upstream gives the values that are not plain structs. */
const V2_SPECIAL_TYPES = {
  time: `${META}.Time`,
  microTime: `${META}.MicroTime`,
  rawJson: `${META}.FieldsV1`,
  quantity: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
  intOrString: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  rawExtension: 'io.k8s.apimachinery.pkg.runtime.RawExtension',
} as const;
const STATUS = `${META}.Status`;
const PATCH = `${META}.Patch`;
const DELETE_OPTIONS = `${META}.DeleteOptions`;

/** Definitions of the values that have no fields of their own, in tskube's words. */
const SPECIAL_DEFINITIONS: Record<string, Json> = {
  [V2_SPECIAL_TYPES.time]: { description: 'A point in time, as an RFC 3339 timestamp with whole seconds.', type: 'string', format: 'date-time' },
  [V2_SPECIAL_TYPES.microTime]: { description: 'A point in time with microsecond precision, as an RFC 3339 timestamp with six fractional digits.', type: 'string', format: 'date-time' },
  [V2_SPECIAL_TYPES.rawJson]: { description: 'A set of field paths, as a trie in JSON.', type: 'object' },
  [V2_SPECIAL_TYPES.quantity]: { description: 'An amount with an optional suffix: a decimal SI (k, M, G, m), binary SI (Ki, Mi, Gi) or decimal exponent (e3) form, such as 500m, 1.5 or 2Gi.', type: 'string' },
  [V2_SPECIAL_TYPES.intOrString]: { description: 'A value that is either a 32-bit integer or a string, such as 8080 or "http" or "25%".', type: 'string', format: 'int-or-string' },
  [V2_SPECIAL_TYPES.rawExtension]: { description: 'An embedded object of any kind, as its own JSON.', type: 'object' },
  [PATCH]: { description: 'A patch document, in the form its content type names.', type: 'object' },
  [STATUS]: { description: 'The outcome of an operation that returns no object.', type: 'object' },
};

const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const WATCH_MEDIA_TYPES = ['application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];
/** The patch bodies the server reads. */
const PATCH_MEDIA_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

/** A query or path parameter. */
function param(name: string, where: 'query' | 'path', type: 'string' | 'boolean' | 'integer', description: string, required = false): Json {
  const p: Json = { name, in: where, description, type, uniqueItems: true };
  if (required) p.required = true;
  return p;
}

/** The parameters operations share; the document lists them once under `parameters`. */
const SHARED = {
  pretty: param('pretty', 'query', 'string', 'When true, the answer is indented for people to read.'),
  namespace: param('namespace', 'path', 'string', 'The namespace the objects live in.', true),
  allowWatchBookmarks: param('allowWatchBookmarks', 'query', 'boolean', 'For a watch: also send BOOKMARK events that only carry a newer resourceVersion.'),
  continue: param('continue', 'query', 'string', 'The token of a previous list answer, to fetch its next page.'),
  fieldSelector: param('fieldSelector', 'query', 'string', 'Only objects whose fields match these conditions (metadata.name=x,...).'),
  labelSelector: param('labelSelector', 'query', 'string', 'Only objects whose labels match this selector.'),
  limit: param('limit', 'query', 'integer', 'The most items one answer holds; the rest come through continue.'),
  resourceVersion: param('resourceVersion', 'query', 'string', 'The version of the collection to read at, or to watch from.'),
  resourceVersionMatch: param('resourceVersionMatch', 'query', 'string', 'How resourceVersion is understood: Exact or NotOlderThan.'),
  sendInitialEvents: param('sendInitialEvents', 'query', 'boolean', 'For a watch: start with ADDED events for every existing object.'),
  timeoutSeconds: param('timeoutSeconds', 'query', 'integer', 'How long a list or watch may run, in seconds.'),
  watch: param('watch', 'query', 'boolean', 'Stream changes instead of listing.'),
  fieldManager: param('fieldManager', 'query', 'string', 'The name of the actor making the change, recorded in managedFields.'),
  force: param('force', 'query', 'boolean', 'For apply patches: take fields over from other managers.'),
  gracePeriodSeconds: param('gracePeriodSeconds', 'query', 'integer', 'Seconds the object is given to terminate; 0 deletes at once.'),
  orphanDependents: param('orphanDependents', 'query', 'boolean', 'Deprecated: use propagationPolicy.'),
  propagationPolicy: param('propagationPolicy', 'query', 'string', 'What happens to dependents: Orphan, Background or Foreground.'),
  ignoreStoreReadError: param('ignoreStoreReadErrorWithClusterBreakingPotential', 'query', 'boolean', 'Delete even an object that cannot be read from storage.'),
  deleteBody: { name: 'body', in: 'body', schema: { $ref: `#/definitions/${DELETE_OPTIONS}` } },
} satisfies Record<string, Json>;
type SharedName = keyof typeof SHARED;

/** Parameters kubectl looks for on the operation itself, so they are never shared. */
const DRY_RUN = param('dryRun', 'query', 'string', 'When present (All), the request is checked but not persisted.');
const FIELD_VALIDATION = param('fieldValidation', 'query', 'string', 'What to do with unknown or duplicate fields: Ignore, Warn (the default) or Strict.');

const LIST_PARAMS: SharedName[] = ['allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch'];
const DELETE_PARAMS: SharedName[] = ['gracePeriodSeconds', 'ignoreStoreReadError', 'orphanDependents', 'propagationPolicy'];

/** The key under `parameters` of a shared parameter: its name and a digest of its content, as upstream names them. */
function sharedKey(p: Json): string {
  const digest = createHash('sha256').update(JSON.stringify(p)).digest('base64url').slice(0, 8);
  return `${String(p.name)}-${digest}`;
}

const definitionRef = (name: string): Json => ({ $ref: `#/definitions/${name}` });

/**
 * The Swagger 2.0 document `/openapi/v2` serves, derived from the schema registry: for each served
 * resource its collection, object and subresource paths with their operations (operationId,
 * consumes/produces, parameters, including `fieldValidation` and `dryRun` on each write, responses,
 * `x-kubernetes-action` and `x-kubernetes-group-version-kind`), and `definitions` with every type
 * those operations reach: descriptions, `required`, `$ref`s to `#/definitions/...`, list and patch
 * metadata, the group-version-kind of top-level kinds, and the special values (Time, MicroTime,
 * Quantity, IntOrString, RawExtension, FieldsV1) under upstream's names. Inline members are
 * flattened into the type that holds them. Resources whose kind is not described are left out.
 * Throws when a type refers to one the registry does not describe (a programming error).
 */
export function openApiV2Document(schemas: SchemaRegistry, resources: readonly OpenApiV2Resource[], serverVersion: string): Json {
  const defs = new Definitions(schemas);
  const shared = new Map<string, Json>();
  const use = (name: SharedName): Json => {
    const p: Json = SHARED[name];
    const key = sharedKey(p);
    if (!shared.has(key)) {
      shared.set(key, p);
      const target = (p.schema as Json | undefined)?.$ref;
      if (typeof target === 'string') defs.ref(target.slice('#/definitions/'.length));
    }
    return { $ref: `#/parameters/${key}` };
  };
  const paths: Json = {};
  for (const r of resources) {
    const type = schemas.kind(r.group, r.version, r.kind);
    if (!type) continue;
    new ResourcePaths(r, type.name, defs, use, schemas).addTo(paths);
  }
  const sortedPaths: Json = {};
  for (const k of Object.keys(paths).sort()) sortedPaths[k] = paths[k];
  const parameters: Json = {};
  for (const k of [...shared.keys()].sort()) parameters[k] = shared.get(k);
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: serverVersion },
    paths: sortedPaths,
    definitions: defs.build(),
    parameters,
    securityDefinitions: { BearerToken: { type: 'apiKey', name: 'authorization', in: 'header', description: 'A bearer token in the Authorization header.' } },
    security: [{ BearerToken: [] }],
  };
}

/** The definitions a document needs, collected as operations and types refer to them. */
class Definitions {
  private readonly wanted = new Set<string>();
  private readonly described: Set<string>;

  constructor(private readonly schemas: SchemaRegistry) {
    this.described = new Set(schemas.all().map((t) => t.name));
  }

  /** Records that `name` is used, and answers a `$ref` to it. */
  ref(name: string): Json {
    this.wanted.add(name);
    return definitionRef(name);
  }

  /** Every wanted definition and those they reach, sorted by name. */
  build(): Json {
    const out = new Map<string, Json>();
    const pending = [...this.wanted];
    while (pending.length > 0) {
      const name = pending.pop()!;
      if (out.has(name)) continue;
      const special = SPECIAL_DEFINITIONS[name];
      // The registry's own Status, when it describes one, wins over the placeholder.
      if (special && (name !== STATUS || !this.described.has(name))) {
        out.set(name, special);
        continue;
      }
      const refs: string[] = [];
      out.set(name, this.typeSchema(this.schemas.type(name), refs));
      pending.push(...refs);
    }
    const sorted: Json = {};
    for (const k of [...out.keys()].sort()) sorted[k] = out.get(k);
    return sorted;
  }

  private typeSchema(t: TypeDef, refs: string[]): Json {
    const props = new Map<string, Json>();
    const required: string[] = [];
    this.collectFields(t.fields, props, required, refs, new Set([t.name]));
    if (t.gvk) {
      if (!props.has('apiVersion')) props.set('apiVersion', { description: 'The versioned schema of this representation of an object.', type: 'string' });
      if (!props.has('kind')) props.set('kind', { description: 'The kind of resource this object represents.', type: 'string' });
    }
    const out: Json = { description: t.description, type: 'object' };
    if (props.size > 0) {
      const properties: Json = {};
      for (const k of [...props.keys()].sort()) properties[k] = props.get(k);
      out.properties = properties;
    }
    if (required.length > 0) out.required = required;
    if (t.gvk) out['x-kubernetes-group-version-kind'] = [{ group: t.gvk.group, kind: t.gvk.kind, version: t.gvk.version }];
    return out;
  }

  /** Adds the JSON members of `fields`, flattening inline members into the same object. */
  private collectFields(fields: readonly Field[], props: Map<string, Json>, required: string[], refs: string[], inlined: Set<string>): void {
    for (const f of fields) {
      if (f.inline && f.shape.kind === 'ref') {
        if (inlined.has(f.shape.type)) throw new Error(`type ${f.shape.type} inlines itself`);
        this.collectFields(this.schemas.type(f.shape.type).fields, props, required, refs, new Set([...inlined, f.shape.type]));
        continue;
      }
      props.set(f.name, { description: f.description, ...shapeSchema(f.shape, refs) });
      // Upstream lists a field as required when Go neither omits it when empty nor makes it a pointer.
      if (f.keepZero && !f.pointer) required.push(f.name);
    }
  }
}

/** The schema of one value; the types it refers to are appended to `refs`. */
function shapeSchema(s: Shape, refs: string[]): Json {
  switch (s.kind) {
    case 'string': return { type: 'string' };
    case 'bool': return { type: 'boolean' };
    case 'int32': return { type: 'integer', format: 'int32' };
    case 'int64': return { type: 'integer', format: 'int64' };
    case 'double': return { type: 'number', format: 'double' };
    case 'bytes': return { type: 'string', format: 'byte' };
    case 'time': case 'microTime': case 'rawJson': case 'quantity': case 'intOrString': case 'rawExtension': {
      const name = V2_SPECIAL_TYPES[s.kind];
      refs.push(name);
      return definitionRef(name);
    }
    case 'ref':
      refs.push(s.type);
      return definitionRef(s.type);
    case 'map': return { type: 'object', additionalProperties: shapeSchema(s.value, refs) };
    case 'list': {
      const out: Json = { type: 'array', items: shapeSchema(s.item, refs) };
      if (s.listMapKeys) out['x-kubernetes-list-map-keys'] = s.listMapKeys;
      if (s.listType) out['x-kubernetes-list-type'] = s.listType;
      if (s.patchMergeKey) out['x-kubernetes-patch-merge-key'] = s.patchMergeKey;
      if (s.patchStrategy) out['x-kubernetes-patch-strategy'] = s.patchStrategy;
      return out;
    }
  }
}

/** `Core` for the core group, `RbacAuthorization` for rbac.authorization.k8s.io: how upstream names groups in operation ids. */
function groupWord(group: string): string {
  if (!group) return 'Core';
  return group.replace(/\.k8s\.io$/, '').split('.').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The paths and operations of one resource. */
class ResourcePaths {
  private readonly gv: string;
  private readonly tag: string;
  private readonly gvk: Json;
  private readonly prefix: string;

  constructor(
    private readonly r: OpenApiV2Resource,
    private readonly typeName: string,
    private readonly defs: Definitions,
    private readonly use: (name: SharedName) => Json,
    private readonly schemas: SchemaRegistry,
  ) {
    const word = groupWord(r.group);
    this.gv = `${word}${capitalize(r.version)}`;
    this.tag = `${word.charAt(0).toLowerCase()}${word.slice(1)}_${r.version}`;
    this.gvk = { group: r.group, kind: r.kind, version: r.version };
    this.prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  }

  addTo(paths: Json): void {
    const { r } = this;
    const verbs = new Set(r.verbs);
    const ns = r.namespaced ? 'Namespaced' : '';
    const collectionPath = r.namespaced ? `${this.prefix}/namespaces/{namespace}/${r.plural}` : `${this.prefix}/${r.plural}`;
    const scopeParams = r.namespaced ? [this.use('namespace'), this.use('pretty')] : [this.use('pretty')];
    const self = this.defs.ref(this.typeName);
    const listType = this.schemas.kind(r.group, r.version, `${r.kind}List`);
    const list = listType ? this.defs.ref(listType.name) : undefined;
    const status = this.defs.ref(STATUS);

    const collection: Json = {};
    if (verbs.has('list')) {
      collection.get = this.op('list', `list${this.gv}${ns}${r.kind}`, `list or watch objects of kind ${r.kind}`, {
        produces: [...OBJECT_MEDIA_TYPES, ...WATCH_MEDIA_TYPES],
        parameters: LIST_PARAMS.map((p) => this.use(p)),
        responses: { '200': response('OK', list) },
      });
    }
    if (verbs.has('create')) {
      collection.post = this.op('post', `create${this.gv}${ns}${r.kind}`, `create a ${r.kind}`, {
        parameters: [body(self), DRY_RUN, this.use('fieldManager'), FIELD_VALIDATION],
        responses: { '200': response('OK', self), '201': response('Created', self), '202': response('Accepted', self) },
      });
    }
    if (verbs.has('deletecollection')) {
      collection.delete = this.op('deletecollection', `delete${this.gv}Collection${ns}${r.kind}`, `delete a collection of ${r.kind}`, {
        parameters: [this.use('deleteBody'), this.use('continue'), DRY_RUN, this.use('fieldSelector'), this.use('gracePeriodSeconds'), this.use('ignoreStoreReadError'),
          this.use('labelSelector'), this.use('limit'), this.use('orphanDependents'), this.use('propagationPolicy'), this.use('resourceVersion'),
          this.use('resourceVersionMatch'), this.use('sendInitialEvents'), this.use('timeoutSeconds')],
        responses: { '200': response('OK', status) },
      });
    }
    if (Object.keys(collection).length > 0) paths[collectionPath] = { ...collection, parameters: scopeParams };

    const namePath = `${collectionPath}/{name}`;
    const nameParams = [nameParam(r.kind), ...scopeParams];
    const item: Json = {};
    if (verbs.has('get')) {
      item.get = this.op('get', `read${this.gv}${ns}${r.kind}`, `read the specified ${r.kind}`, { responses: { '200': response('OK', self) } });
    }
    if (verbs.has('update')) item.put = this.replace(`replace${this.gv}${ns}${r.kind}`, `replace the specified ${r.kind}`, self);
    if (verbs.has('patch')) item.patch = this.patch(`patch${this.gv}${ns}${r.kind}`, `partially update the specified ${r.kind}`, self);
    if (verbs.has('delete')) {
      const deleted = r.returnDeletedObject ? self : status;
      item.delete = this.op('delete', `delete${this.gv}${ns}${r.kind}`, `delete a ${r.kind}`, {
        parameters: [this.use('deleteBody'), DRY_RUN, ...DELETE_PARAMS.map((p) => this.use(p))],
        responses: { '200': response('OK', deleted), '202': response('Accepted', deleted) },
      });
    }
    if (Object.keys(item).length > 0) paths[namePath] = { ...item, parameters: nameParams };

    if (r.namespaced && verbs.has('list')) {
      paths[`${this.prefix}/${r.plural}`] = {
        get: this.op('list', `list${this.gv}${r.kind}ForAllNamespaces`, `list or watch objects of kind ${r.kind}`, {
          produces: [...OBJECT_MEDIA_TYPES, ...WATCH_MEDIA_TYPES],
          parameters: LIST_PARAMS.map((p) => this.use(p)),
          responses: { '200': response('OK', list) },
        }),
        parameters: [this.use('pretty')],
      };
    }

    for (const sub of r.subresources ?? []) this.addSubresource(paths, sub, namePath, nameParams, ns);
  }

  private addSubresource(paths: Json, sub: 'status' | 'scale' | 'binding' | 'finalize', namePath: string, nameParams: Json[], ns: string): void {
    const { r } = this;
    if (sub === 'status') {
      const self = this.defs.ref(this.typeName);
      paths[`${namePath}/status`] = {
        get: this.op('get', `read${this.gv}${ns}${r.kind}Status`, `read status of the specified ${r.kind}`, { responses: { '200': response('OK', self) } }),
        put: this.replace(`replace${this.gv}${ns}${r.kind}Status`, `replace status of the specified ${r.kind}`, self),
        patch: this.patch(`patch${this.gv}${ns}${r.kind}Status`, `partially update status of the specified ${r.kind}`, self),
        parameters: nameParams,
      };
    } else if (sub === 'finalize') {
      const self = this.defs.ref(this.typeName);
      paths[`${namePath}/finalize`] = {
        put: this.replace(`replace${this.gv}${ns}${r.kind}Finalize`, `replace finalize of the specified ${r.kind}`, self),
        parameters: nameParams,
      };
    } else if (sub === 'scale') {
      const scale = this.schemas.kind('autoscaling', 'v1', 'Scale');
      if (!scale) return;
      const self = this.defs.ref(scale.name);
      const gvk = { group: 'autoscaling', kind: 'Scale', version: 'v1' };
      paths[`${namePath}/scale`] = {
        get: this.op('get', `read${this.gv}${ns}${r.kind}Scale`, `read scale of the specified ${r.kind}`, { responses: { '200': response('OK', self) } }, gvk),
        put: this.replace(`replace${this.gv}${ns}${r.kind}Scale`, `replace scale of the specified ${r.kind}`, self, gvk),
        patch: this.patch(`patch${this.gv}${ns}${r.kind}Scale`, `partially update scale of the specified ${r.kind}`, self, gvk),
        parameters: nameParams,
      };
    } else {
      const binding = this.schemas.kind('', 'v1', 'Binding');
      if (!binding) return;
      const self = this.defs.ref(binding.name);
      const gvk = { group: '', kind: 'Binding', version: 'v1' };
      paths[`${namePath}/binding`] = {
        post: this.op('post', `create${this.gv}${ns}${r.kind}Binding`, `create binding of a ${r.kind}`, {
          parameters: [body(self), DRY_RUN, this.use('fieldManager'), FIELD_VALIDATION],
          responses: { '200': response('OK', self), '201': response('Created', self), '202': response('Accepted', self) },
        }, gvk),
        parameters: nameParams,
      };
    }
  }

  private replace(id: string, description: string, self: Json, gvk?: Json): Json {
    return this.op('put', id, description, {
      parameters: [body(self), DRY_RUN, this.use('fieldManager'), FIELD_VALIDATION],
      responses: { '200': response('OK', self), '201': response('Created', self) },
    }, gvk);
  }

  private patch(id: string, description: string, self: Json, gvk?: Json): Json {
    return this.op('patch', id, description, {
      consumes: PATCH_MEDIA_TYPES,
      parameters: [body(this.defs.ref(PATCH)), DRY_RUN, this.use('fieldManager'), FIELD_VALIDATION, this.use('force')],
      responses: { '200': response('OK', self), '201': response('Created', self) },
    }, gvk);
  }

  private op(action: string, operationId: string, description: string, parts: { consumes?: string[]; produces?: string[]; parameters?: Json[]; responses: Record<string, Json> }, gvk = this.gvk): Json {
    const op: Json = {
      description,
      consumes: parts.consumes ?? ['*/*'],
      produces: parts.produces ?? OBJECT_MEDIA_TYPES,
      schemes: ['https'],
      tags: [this.tag],
      operationId,
    };
    if (parts.parameters) op.parameters = parts.parameters;
    op.responses = { ...parts.responses, '401': { description: 'Unauthorized' } };
    op['x-kubernetes-action'] = action;
    op['x-kubernetes-group-version-kind'] = gvk;
    return op;
  }
}

function response(description: string, schema: Json | undefined): Json {
  return schema ? { description, schema } : { description };
}

function body(schema: Json): Json {
  return { name: 'body', in: 'body', required: true, schema };
}

function nameParam(kind: string): Json {
  return param('name', 'path', 'string', `The name of the ${kind}.`, true);
}
