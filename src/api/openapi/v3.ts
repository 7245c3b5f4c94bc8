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
  for (const name of [...used].sort()) components[name] = schemaOf(schemas.type(name));
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

function collectTypes(schemas: SchemaRegistry, name: string, into: Set<string>): void {
  if (into.has(name)) return;
  into.add(name);
  const visit = (s: Shape): void => {
    if (s.kind === 'ref') collectTypes(schemas, s.type, into);
    else if (s.kind === 'list') visit(s.item);
    else if (s.kind === 'map') visit(s.value);
  };
  for (const f of schemas.type(name).fields) visit(f.shape);
}

function schemaOf(t: TypeDef): Json {
  const properties: Json = {};
  for (const f of t.fields) properties[f.name] = { ...shapeSchema(f.shape), description: f.description };
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
    case 'microTime': return { type: 'string', format: 'date-time' };
    case 'quantity': return { type: 'string' };
    case 'intOrString': return { type: 'string', format: 'int-or-string' };
    case 'rawExtension': return { type: 'object' };
    case 'rawJson': return { allOf: [{ $ref: ref(FIELDS_V1) }] };
    case 'ref': return { allOf: [{ $ref: ref(s.type) }], default: {} };
    case 'map': return { type: 'object', additionalProperties: { ...shapeSchema(s.value), default: s.value.kind === 'string' ? '' : undefined } };
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
