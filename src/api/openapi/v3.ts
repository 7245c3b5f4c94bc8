import type { SchemaRegistry } from '../schema/registry.js';
import type { Shape, TypeDef } from '../schema/shapes.js';

/** What OpenAPI needs to know of a served resource, beyond its type. */
export interface OpenApiResource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  verbs: string[];
}

type Json = Record<string, unknown>;

const TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';
const FIELDS_V1 = 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1';
const MICRO_TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const RAW_EXTENSION = 'io.k8s.apimachinery.pkg.runtime.RawExtension';

/** The components of shapes that upstream publishes as named schemas, in upstream's v3 form. */
const SHAPE_COMPONENTS: Record<string, Json> = {
  [MICRO_TIME]: { description: 'A point in time with microseconds, as an RFC 3339 timestamp with six fractional digits.', type: 'string', format: 'date-time' },
  [QUANTITY]: { description: 'An amount of a resource: a decimal or binary-suffixed number such as 500m, 2 or 1Gi.', oneOf: [{ type: 'string' }, { type: 'number' }] },
  [INT_OR_STRING]: { description: 'A value that is either an integer or a string, such as a port number or a port name.', oneOf: [{ type: 'integer' }, { type: 'string' }], format: 'int-or-string' },
  [RAW_EXTENSION]: { description: 'An embedded object of any kind, in its JSON form.', type: 'object' },
};
const ref = (name: string) => `#/components/schemas/${name}`;

/** The patch bodies the server reads. */
const PATCH_MEDIA_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

/**
 * The OpenAPI v3 document of one group-version, derived from the schema registry: one path per
 * collection and per object with their operations (each PATCH carrying the `fieldValidation`
 * parameter, so kubectl leaves field validation to the server), and `components.schemas` with every
 * type those operations use, its descriptions and its list and patch metadata.
 */
export function openApiV3Document(schemas: SchemaRegistry, group: string, version: string, resources: OpenApiResource[], serverVersion: string): Json {
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const paths: Json = {};
  const used = new Set<string>();
  for (const r of resources) {
    const type = schemas.kind(r.group, r.version, r.kind);
    if (!type) continue;
    collectTypes(schemas, type.name, used);
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const scoped = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.plural}` : `${prefix}/${r.plural}`;
    const collection: Json = { parameters: pathParams(r.namespaced, false) };
    if (r.verbs.includes('list')) collection.get = operation('list', r, gvk, { $ref: ref(type.name) }, 'list or watch objects of kind ' + r.kind);
    if (r.verbs.includes('create')) collection.post = withBody(operation('create', r, gvk, { $ref: ref(type.name) }, `create a ${r.kind}`), ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'], type.name);
    if (r.verbs.includes('deletecollection')) collection.delete = operation('deletecollection', r, gvk, { $ref: ref('io.k8s.apimachinery.pkg.apis.meta.v1.Status') }, `delete a collection of ${r.kind}`);
    paths[scoped] = collection;
    const item: Json = { parameters: pathParams(r.namespaced, true) };
    if (r.verbs.includes('get')) item.get = operation('read', r, gvk, { $ref: ref(type.name) }, `read the specified ${r.kind}`);
    if (r.verbs.includes('update')) item.put = withBody(operation('replace', r, gvk, { $ref: ref(type.name) }, `replace the specified ${r.kind}`), ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'], type.name);
    if (r.verbs.includes('patch')) item.patch = withBody(operation('patch', r, gvk, { $ref: ref(type.name) }, `partially update the specified ${r.kind}`), PATCH_MEDIA_TYPES, 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
    if (r.verbs.includes('delete')) item.delete = operation('delete', r, gvk, { $ref: ref('io.k8s.apimachinery.pkg.apis.meta.v1.Status') }, `delete a ${r.kind}`);
    paths[`${scoped}/{name}`] = item;
    if (r.namespaced && r.verbs.includes('list')) {
      paths[`${prefix}/${r.plural}`] = { get: operation('listForAllNamespaces', r, gvk, { $ref: ref(type.name) }, `list or watch objects of kind ${r.kind} in every namespace`) };
    }
  }
  const components: Json = {};
  for (const name of [...used].sort()) if (!SHAPE_COMPONENTS[name]) components[name] = schemaOf(schemas, schemas.type(name));
  for (const [name, schema] of Object.entries(SHAPE_COMPONENTS)) if (used.has(name)) components[name] = schema;
  components[TIME] = { description: 'A point in time, as an RFC 3339 timestamp with whole seconds.', type: 'string', format: 'date-time' };
  components[FIELDS_V1] = { description: 'A set of field paths, as a trie in JSON.', type: 'object' };
  components['io.k8s.apimachinery.pkg.apis.meta.v1.Patch'] = { description: 'A patch document, in the form its content type names.', type: 'object' };
  components['io.k8s.apimachinery.pkg.apis.meta.v1.Status'] = { description: 'The outcome of an operation that returns no object.', type: 'object' };
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: serverVersion },
    paths,
    components: { schemas: components },
  };
}

function pathParams(namespaced: boolean, named: boolean): Json[] {
  const out: Json[] = [];
  if (named) out.push({ name: 'name', in: 'path', description: 'name of the object', required: true, schema: { type: 'string', uniqueItems: true } });
  if (namespaced) out.push({ name: 'namespace', in: 'path', description: 'object name and auth scope, such as for teams and projects', required: true, schema: { type: 'string', uniqueItems: true } });
  out.push({ name: 'pretty', in: 'query', description: 'If true, the output is pretty printed.', schema: { type: 'string', uniqueItems: true } });
  return out;
}

function operation(action: string, r: OpenApiResource, gvk: Json, response: Json, description: string): Json {
  const op: Json = {
    description,
    operationId: `${action}${r.namespaced && action !== 'listForAllNamespaces' ? 'Namespaced' : ''}${r.kind}`,
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: response } } }, '401': { description: 'Unauthorized' } },
    'x-kubernetes-action': actionOf(action),
    'x-kubernetes-group-version-kind': gvk,
  };
  if (action === 'patch' || action === 'create' || action === 'replace') {
    op.parameters = [
      { name: 'dryRun', in: 'query', description: 'When present (All), the request is checked but not persisted.', schema: { type: 'string', uniqueItems: true } },
      { name: 'fieldManager', in: 'query', description: 'The name of the actor making the change.', schema: { type: 'string', uniqueItems: true } },
      { name: 'fieldValidation', in: 'query', description: 'What to do with unknown fields: Ignore, Warn (the default) or Strict.', schema: { type: 'string', uniqueItems: true } },
    ];
  }
  return op;
}

function actionOf(action: string): string {
  switch (action) {
    case 'read': return 'get';
    case 'replace': return 'put';
    case 'create': return 'post';
    case 'listForAllNamespaces': return 'list';
    default: return action;
  }
}

function withBody(op: Json, mediaTypes: string[], typeName: string): Json {
  op.requestBody = { content: Object.fromEntries(mediaTypes.map((m) => [m, { schema: { $ref: ref(typeName) } }])), required: true };
  return op;
}

/** Notes `name` and every type it reaches (inline members by their own fields, as JSON sees them). */
function collectTypes(schemas: SchemaRegistry, name: string, into: Set<string>): void {
  if (into.has(name)) return;
  into.add(name);
  const visit = (s: Shape): void => {
    if (s.kind === 'ref') collectTypes(schemas, s.type, into);
    else if (s.kind === 'list') visit(s.item);
    else if (s.kind === 'map') visit(s.value);
    else if (s.kind === 'microTime') into.add(MICRO_TIME);
    else if (s.kind === 'quantity') into.add(QUANTITY);
    else if (s.kind === 'intOrString') into.add(INT_OR_STRING);
    else if (s.kind === 'rawExtension') into.add(RAW_EXTENSION);
  };
  for (const f of schemas.jsonFields(name)) visit(f.shape);
}

function schemaOf(schemas: SchemaRegistry, t: TypeDef): Json {
  const properties: Json = {};
  for (const f of schemas.jsonFields(t.name)) {
    const p: Json = { ...shapeSchema(f.shape), description: f.description };
    // Upstream gives a default only to members that are never nil (not Go pointers).
    if (f.pointer) delete p.default;
    properties[f.name] = p;
  }
  if (t.gvk) {
    properties.apiVersion = { type: 'string', description: 'The versioned schema of this representation of an object.' };
    properties.kind = { type: 'string', description: 'The kind of resource this object represents.' };
  }
  const out: Json = { description: t.description, type: 'object', properties };
  if (t.gvk) out['x-kubernetes-group-version-kind'] = [{ group: t.gvk.group, kind: t.gvk.kind, version: t.gvk.version }];
  return out;
}

function shapeSchema(s: Shape): Json {
  switch (s.kind) {
    case 'string': return { type: 'string' };
    case 'bool': return { type: 'boolean' };
    case 'int32': return { type: 'integer', format: 'int32' };
    case 'int64': return { type: 'integer', format: 'int64' };
    case 'double': return { type: 'number', format: 'double' };
    case 'bytes': return { type: 'string', format: 'byte' };
    case 'time': return { allOf: [{ $ref: ref(TIME) }] };
    case 'microTime': return { allOf: [{ $ref: ref(MICRO_TIME) }] };
    case 'quantity': return { allOf: [{ $ref: ref(QUANTITY) }] };
    case 'intOrString': return { allOf: [{ $ref: ref(INT_OR_STRING) }] };
    case 'rawExtension': return { allOf: [{ $ref: ref(RAW_EXTENSION) }] };
    case 'rawJson': return { allOf: [{ $ref: ref(FIELDS_V1) }] };
    case 'ref': return { allOf: [{ $ref: ref(s.type) }], default: {} };
    case 'map': {
      if (s.value.kind === 'quantity') return { type: 'object', additionalProperties: { $ref: ref(QUANTITY) } };
      return { type: 'object', additionalProperties: { ...shapeSchema(s.value), default: s.value.kind === 'string' ? '' : undefined } };
    }
    case 'list': {
      const out: Json = { type: 'array', items: { ...shapeSchema(s.item), default: s.item.kind === 'string' ? '' : {} } };
      if (s.listType) out['x-kubernetes-list-type'] = s.listType;
      if (s.listMapKeys) out['x-kubernetes-list-map-keys'] = s.listMapKeys;
      if (s.patchStrategy) out['x-kubernetes-patch-strategy'] = s.patchStrategy;
      if (s.patchMergeKey) out['x-kubernetes-patch-merge-key'] = s.patchMergeKey;
      return out;
    }
  }
}
