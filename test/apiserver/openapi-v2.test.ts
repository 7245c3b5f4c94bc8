/**
 * `/openapi/v2`: the Swagger 2.0 document derived from the schema registry, in JSON and in
 * gnostic's protobuf. The protobuf is decoded with protobufjs from the vendored, unmodified
 * OpenAPIv2.proto (not from the descriptor the server encodes with) and mapped back to JSON by a
 * reader written here, which must give the JSON document again.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:https';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import protobuf from 'protobufjs';
import { parse as parseYaml } from 'yaml';
import { builtinSchemas } from '../../src/api/index.js';
import { encodeGnosticV2, GnosticError, toYaml } from '../../src/api/openapi/gnostic.js';
import { OPENAPI_V2_DESCRIPTOR } from '../../src/api/openapi/proto/openapi-v2-descriptor.js';
import { openApiV2Document, type OpenApiV2Resource } from '../../src/api/openapi/v2.js';
import { SchemaRegistry } from '../../src/api/schema/registry.js';
import { f64, field, i32, intOrString, listOf, mapOf, microTime, quantity, rawExtension, ref, str, time } from '../../src/api/schema/shapes.js';
import { startHarness, type Harness } from './harness.js';

type Json = Record<string, any>;

const PROTO_ACCEPT = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
const PROTO_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
/** The vendored .proto, read from the source tree (dist/test/apiserver → src/api/openapi/proto). */
const PROTO_FILE = fileURLToPath(new URL('../../../src/api/openapi/proto/OpenAPIv2.proto', import.meta.url));
const CM = 'io.k8s.api.core.v1.ConfigMap';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

let protoRoot: protobuf.Root | undefined;
function protoDocument(): protobuf.Type {
  protoRoot ??= new protobuf.Root().loadSync(PROTO_FILE, { keepCase: true });
  return protoRoot.lookupType('openapi.v2.Document');
}

/** Raw bytes of a GET (the TestClient decodes text as UTF-8, which protobuf is not). */
async function getBytes(h: Harness, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Json; body: Buffer }> {
  const url = new URL(h.cluster.server);
  const creds = h.cluster.credentials;
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET', headers, ca: creds.ca, cert: creds.cert, key: creds.key, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

// --- gnostic protobuf back to Swagger JSON, message by message -----------------------------------

/** Takes the fields of a decoded message; anything left unread fails the test. */
function reader(msg: Json, what: string) {
  const left = new Set(Object.keys(msg));
  return {
    take(name: string): any {
      left.delete(name);
      return msg[name];
    },
    done(): void {
      assert.deepEqual([...left], [], `${what}: fields not read back`);
    },
  };
}

function extensions(into: Json, list: Json[] | undefined): void {
  for (const e of list ?? []) into[e.name] = parseYaml(e.value.yaml, { version: '1.1' });
}

function copy(into: Json, r: ReturnType<typeof reader>, pairs: Array<[string, string]>): void {
  for (const [protoName, jsonName] of pairs) {
    const v = r.take(protoName);
    if (v !== undefined) into[jsonName] = v;
  }
}

function schemaBack(m: Json): Json {
  const r = reader(m, 'Schema');
  const out: Json = {};
  copy(out, r, [['_ref', '$ref'], ['description', 'description'], ['format', 'format'], ['required', 'required'], ['unique_items', 'uniqueItems']]);
  const type = r.take('type');
  if (type) { assert.equal(type.value.length, 1); out.type = type.value[0]; }
  const items = r.take('items');
  if (items) { assert.equal(items.schema.length, 1); out.items = schemaBack(items.schema[0]); }
  const ap = r.take('additional_properties');
  if (ap) out.additionalProperties = schemaBack(ap.schema);
  const props = r.take('properties');
  if (props) out.properties = Object.fromEntries(props.additional_properties.map((p: Json) => [p.name, schemaBack(p.value)]));
  extensions(out, r.take('vendor_extension'));
  r.done();
  return out;
}

function parameterBack(m: Json): Json {
  if (m.json_reference) return { $ref: m.json_reference._ref };
  const p = m.parameter;
  if (p.body_parameter) {
    const r = reader(p.body_parameter, 'BodyParameter');
    const out: Json = {};
    copy(out, r, [['name', 'name'], ['in', 'in'], ['required', 'required'], ['description', 'description']]);
    out.schema = schemaBack(r.take('schema'));
    r.done();
    return out;
  }
  const [sub] = Object.values(p.non_body_parameter) as Json[];
  const r = reader(sub, 'NonBodyParameter');
  const out: Json = {};
  copy(out, r, [['name', 'name'], ['in', 'in'], ['description', 'description'], ['type', 'type'], ['unique_items', 'uniqueItems'], ['required', 'required']]);
  r.done();
  return out;
}

function operationBack(m: Json): Json {
  const r = reader(m, 'Operation');
  const out: Json = {};
  copy(out, r, [['description', 'description'], ['consumes', 'consumes'], ['produces', 'produces'], ['schemes', 'schemes'], ['tags', 'tags'], ['operation_id', 'operationId']]);
  const params = r.take('parameters');
  if (params) out.parameters = params.map(parameterBack);
  out.responses = Object.fromEntries(r.take('responses').response_code.map((c: Json) => {
    const resp: Json = { description: c.value.response.description };
    if (c.value.response.schema) resp.schema = schemaBack(c.value.response.schema.schema);
    return [c.name, resp];
  }));
  extensions(out, r.take('vendor_extension'));
  r.done();
  return out;
}

function documentBack(m: Json): Json {
  const r = reader(m, 'Document');
  const out: Json = { swagger: r.take('swagger'), info: r.take('info') };
  out.paths = Object.fromEntries(r.take('paths').path.map((p: Json) => {
    const item: Json = {};
    for (const [k, v] of Object.entries(p.value as Json)) item[k] = k === 'parameters' ? (v as Json[]).map(parameterBack) : operationBack(v as Json);
    return [p.name, item];
  }));
  out.definitions = Object.fromEntries(r.take('definitions').additional_properties.map((d: Json) => [d.name, schemaBack(d.value)]));
  out.parameters = Object.fromEntries(r.take('parameters').additional_properties.map((d: Json) => [d.name, parameterBack({ parameter: d.value })]));
  out.securityDefinitions = Object.fromEntries(r.take('security_definitions').additional_properties.map((d: Json) => [d.name, d.value.api_key_security]));
  out.security = r.take('security').map((s: Json) => Object.fromEntries(s.additional_properties.map((a: Json) => [a.name, a.value.value ?? []])));
  r.done();
  return out;
}

function decodeDocument(bytes: Uint8Array): Json {
  const type = protoDocument();
  return documentBack(type.toObject(type.decode(bytes), { defaults: false, arrays: false }) as Json);
}

/** Every `$ref` in the document names a definition or a shared parameter that exists. */
function assertRefsResolve(doc: Json): void {
  const walk = (v: unknown, where: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${where}[${i}]`));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref') {
          const m = /^#\/(definitions|parameters)\/(.+)$/.exec(String(x));
          assert.ok(m && doc[m[1]][m[2]], `${where}: dangling $ref ${String(x)}`);
        } else walk(x, `${where}.${k}`);
      }
    }
  };
  walk(doc, '');
}

/**
 * The rules kubectl's OpenAPI v2 reader (k8s.io/kube-openapi/pkg/util/proto) enforces on every
 * definition, any breach of which makes kubectl 1.27/1.28 apply and explain fail.
 */
function assertKubectlReadable(doc: Json): void {
  const check = (s: Json, where: string): void => {
    if (s.$ref !== undefined) {
      assert.equal(s.type, undefined, `${where}: a $ref with a type`);
      assert.equal(s.properties, undefined, `${where}: a $ref with properties`);
      assert.match(s.$ref, /^#\/definitions\//, where);
      return;
    }
    if (s.type === 'array') {
      assert.ok(s.items && !Array.isArray(s.items), `${where}: an array needs exactly one item schema`);
      check(s.items, `${where}[]`);
    } else if (s.type === 'object' || s.type === undefined) {
      assert.ok(s.type === 'object' || s.properties !== undefined, `${where}: neither a type nor properties`);
      for (const [k, p] of Object.entries(s.properties ?? {})) check(p as Json, `${where}.${k}`);
      if (s.additionalProperties) check(s.additionalProperties, `${where}{}`);
    } else {
      assert.ok(['string', 'number', 'integer', 'boolean'].includes(s.type), `${where}: unknown type ${String(s.type)}`);
    }
  };
  for (const [name, s] of Object.entries(doc.definitions)) check(s as Json, name);
}

/** Every described kind served with every verb and all subresources: the largest document the registry gives. */
function everyKind(): OpenApiV2Resource[] {
  const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
  return builtinSchemas().all()
    .filter((t) => t.gvk && !t.gvk.kind.endsWith('List') && t.gvk.group !== 'meta.k8s.io')
    .map((t) => ({ ...t.gvk!, plural: `${t.gvk!.kind.toLowerCase()}s`, namespaced: true, verbs, subresources: ['status', 'scale', 'binding'] as const }));
}

describe('OpenAPI v2 derivation', () => {
  const registry = new SchemaRegistry().define(
    {
      name: 'io.test.v1.Widget', description: 'A widget.', gvk: { group: 'test.example.com', version: 'v1', kind: 'Widget' },
      fields: [
        field('metadata', 1, ref(`${META}.ObjectMeta`), 'Metadata.'),
        field('size', 2, quantity, 'How big.'),
        field('port', 3, intOrString, 'Where.', { keepZero: true }),
        field('ratio', 4, f64, 'How much.'),
        field('seen', 5, microTime, 'When seen.'),
        field('made', 6, time, 'When made.', { keepZero: true, pointer: true }),
        field('extra', 7, rawExtension, 'Anything.'),
        field('source', 8, ref('io.test.v1.Source'), 'The source members.', { inline: true }),
        field('parts', 9, listOf(ref('io.test.v1.Part'), { listType: 'map', listMapKeys: ['name'], patchStrategy: 'merge', patchMergeKey: 'name' }), 'The parts.'),
        field('limits', 10, mapOf(quantity), 'Limits by name.'),
      ],
    },
    {
      name: 'io.test.v1.Source', description: 'Where a widget comes from.',
      fields: [field('origin', 1, str, 'The origin.', { keepZero: true }), field('inner', 2, ref('io.test.v1.Inner'), 'Deeper members.', { inline: true })],
    },
    { name: 'io.test.v1.Inner', description: 'Deeper.', fields: [field('depth', 1, i32, 'How deep.')] },
    { name: 'io.test.v1.Part', description: 'A part.', fields: [field('name', 1, str, 'Its name.', { keepZero: true })] },
    { name: `${META}.ObjectMeta`, description: 'Metadata.', fields: [field('name', 1, str, 'The name.')] },
    { name: `${META}.DeleteOptions`, description: 'Options.', fields: [field('dryRun', 5, listOf(str), 'Dry run.')] },
  );
  const doc: Json = openApiV2Document(registry, [{ group: 'test.example.com', version: 'v1', kind: 'Widget', plural: 'widgets', namespaced: false, verbs: ['get', 'patch', 'delete'], subresources: ['status'] }], 'v1.32.5');

  it('maps every shape to upstream\'s schema and special definitions, and flattens inline members', () => {
    const w = doc.definitions['io.test.v1.Widget'];
    assert.deepEqual(w.properties.size, { description: 'How big.', $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' });
    assert.deepEqual(w.properties.port, { description: 'Where.', $ref: '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString' });
    assert.deepEqual(w.properties.ratio, { description: 'How much.', type: 'number', format: 'double' });
    assert.deepEqual(w.properties.seen, { description: 'When seen.', $ref: `#/definitions/${META}.MicroTime` });
    assert.deepEqual(w.properties.made, { description: 'When made.', $ref: `#/definitions/${META}.Time` });
    assert.deepEqual(w.properties.extra, { description: 'Anything.', $ref: '#/definitions/io.k8s.apimachinery.pkg.runtime.RawExtension' });
    assert.deepEqual(w.properties.limits, { description: 'Limits by name.', type: 'object', additionalProperties: { $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' } });
    assert.deepEqual(w.properties.parts, {
      description: 'The parts.', type: 'array', items: { $ref: '#/definitions/io.test.v1.Part' },
      'x-kubernetes-list-map-keys': ['name'], 'x-kubernetes-list-type': 'map', 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge',
    });
    // Inline members: their fields (and nested inline ones) sit in the parent; the member itself is gone.
    assert.deepEqual(Object.keys(w.properties), ['apiVersion', 'depth', 'extra', 'kind', 'limits', 'made', 'metadata', 'origin', 'parts', 'port', 'ratio', 'seen', 'size']);
    assert.deepEqual(w.properties.origin, { description: 'The origin.', type: 'string' });
    assert.equal(doc.definitions['io.test.v1.Source'], undefined);
    assert.equal(doc.definitions['io.test.v1.Inner'], undefined);
    // Required: kept when empty and not a pointer, inline members' own included.
    assert.deepEqual(w.required, ['port', 'origin']);
    assert.deepEqual(w['x-kubernetes-group-version-kind'], [{ group: 'test.example.com', kind: 'Widget', version: 'v1' }]);
    assert.deepEqual(doc.definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'].type, 'string');
    assert.deepEqual(doc.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].format, 'int-or-string');
    assert.deepEqual(doc.definitions[`${META}.MicroTime`].format, 'date-time');
    assert.deepEqual(doc.definitions['io.k8s.apimachinery.pkg.runtime.RawExtension'].type, 'object');
    assertRefsResolve(doc);
    assertKubectlReadable(doc);
  });

  it('names operations as upstream does, for cluster-scoped kinds and their status', () => {
    assert.deepEqual(Object.keys(doc.paths), ['/apis/test.example.com/v1/widgets/{name}', '/apis/test.example.com/v1/widgets/{name}/status']);
    const item = doc.paths['/apis/test.example.com/v1/widgets/{name}'];
    assert.deepEqual(Object.keys(item), ['get', 'patch', 'delete', 'parameters']);
    assert.equal(item.get.operationId, 'readTestExampleComV1Widget');
    assert.equal(item.patch.operationId, 'patchTestExampleComV1Widget');
    assert.deepEqual(item.get.tags, ['testExampleCom_v1']);
    assert.deepEqual(item.delete.responses['200'], { description: 'OK', schema: { $ref: `#/definitions/${META}.Status` } });
    const status = doc.paths['/apis/test.example.com/v1/widgets/{name}/status'];
    assert.equal(status.put.operationId, 'replaceTestExampleComV1WidgetStatus');
    assert.equal(status.patch['x-kubernetes-action'], 'patch');
    assert.deepEqual(status.patch['x-kubernetes-group-version-kind'], { group: 'test.example.com', kind: 'Widget', version: 'v1' });
  });

  it('the largest document the registry gives is one kubectl reads, and its protobuf decodes back to it', () => {
    const big: Json = openApiV2Document(builtinSchemas(), everyKind(), 'v1.32.5');
    assertRefsResolve(big);
    assertKubectlReadable(big);
    assert.deepEqual(decodeDocument(encodeGnosticV2(big)), big);
  });

  it('writes vendor extensions as the block YAML gnostic re-marshals them to, quoting what YAML 1.1 would misread', () => {
    const cases: Array<[unknown, string]> = [
      [[{ group: '', kind: 'ConfigMap', version: 'v1' }], '- group: ""\n  kind: ConfigMap\n  version: v1\n'],
      [{ group: 'apps', kind: 'Deployment', version: 'v1' }, 'group: apps\nkind: Deployment\nversion: v1\n'],
      ['merge,retainKeys', 'merge,retainKeys\n'],
      [['containerPort', 'protocol'], '- containerPort\n- protocol\n'],
      [{ keys: ['a'] }, 'keys:\n    - a\n'],
      ['yes', '"yes"\n'],
      ['1', '"1"\n'],
      [{}, '{}\n'],
      ['two\nlines', '"two\\nlines"\n'],
    ];
    for (const [value, yaml] of cases) {
      assert.equal(toYaml(value), yaml);
      assert.deepEqual(parseYaml(yaml, { version: '1.1' }), value);
    }
  });

  it('refuses members OpenAPI v2 has no place for rather than dropping them', () => {
    assert.throws(() => encodeGnosticV2({ swagger: '2.0', definitions: { X: { type: 'object', nullable: true } } }), GnosticError);
  });

  it('the protobufjs descriptor declares what the vendored OpenAPIv2.proto declares', () => {
    const fromProto = new protobuf.Root().loadSync(PROTO_FILE, { keepCase: true }).toJSON() as Json;
    delete fromProto.nested.openapi.nested.v2.options;
    assert.deepEqual(OPENAPI_V2_DESCRIPTOR, fromProto);
  });
});

describe('/openapi/v2', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.stop(); });

  it('answers JSON by default, with the SHA-512 of that JSON as its ETag', async () => {
    for (const accept of ['application/json', '*/*']) {
      const r = await getBytes(h, '/openapi/v2', { Accept: accept });
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(r.headers.etag, `"${createHash('sha512').update(r.body).digest('hex').toUpperCase()}"`);
      assert.equal(r.headers['cache-control'], 'no-cache, private');
      assert.equal(r.headers.vary, 'Accept, Accept-Encoding');
      const doc = JSON.parse(r.body.toString('utf8'));
      assert.equal(doc.swagger, '2.0');
      assert.deepEqual(doc.info, { title: 'Kubernetes', version: 'v1.32.5' });
      assert.deepEqual(doc.security, [{ BearerToken: [] }]);
      assert.deepEqual(Object.keys(doc.securityDefinitions.BearerToken).sort(), ['description', 'in', 'name', 'type']);
      assert.equal(doc.securityDefinitions.BearerToken.type, 'apiKey');
      assert.equal(doc.securityDefinitions.BearerToken.in, 'header');
      assert.equal(doc.securityDefinitions.BearerToken.name, 'authorization');
    }
    const none = await getBytes(h, '/openapi/v2', {});
    assert.equal(none.headers['content-type'], 'application/json');
  });

  it('the ConfigMap definition carries its kind, descriptions and patch metadata', async () => {
    const doc = (await h.client.request('GET', '/openapi/v2')).json;
    const described = builtinSchemas().type(CM);
    const cm = doc.definitions[CM];
    assert.deepEqual(cm['x-kubernetes-group-version-kind'], [{ group: '', kind: 'ConfigMap', version: 'v1' }]);
    assert.equal(cm.description, described.description);
    assert.equal(cm.type, 'object');
    assert.deepEqual(cm.properties.data, { description: described.fields.find((f) => f.name === 'data')!.description, type: 'object', additionalProperties: { type: 'string' } });
    assert.deepEqual(cm.properties.binaryData.additionalProperties, { type: 'string', format: 'byte' });
    assert.equal(cm.properties.metadata.$ref, `#/definitions/${META}.ObjectMeta`);
    assert.equal(cm.properties.metadata.type, undefined);
    assert.equal(cm.properties.kind.type, 'string');
    assert.equal(cm.properties.apiVersion.type, 'string');
    const meta = doc.definitions[`${META}.ObjectMeta`];
    assert.deepEqual(meta.properties.ownerReferences.items, { $ref: `#/definitions/${META}.OwnerReference` });
    assert.equal(meta.properties.ownerReferences['x-kubernetes-patch-strategy'], 'merge');
    assert.equal(meta.properties.ownerReferences['x-kubernetes-patch-merge-key'], 'uid');
    assert.equal(meta.properties.ownerReferences['x-kubernetes-list-type'], 'map');
    assert.deepEqual(meta.properties.ownerReferences['x-kubernetes-list-map-keys'], ['uid']);
    assert.equal(meta.properties.finalizers['x-kubernetes-list-type'], 'set');
    assert.equal(meta.properties.finalizers['x-kubernetes-patch-strategy'], 'merge');
    assert.equal(meta.properties.creationTimestamp.$ref, `#/definitions/${META}.Time`);
    assert.deepEqual(doc.definitions[`${META}.Time`].type, 'string');
    assert.deepEqual(doc.definitions[`${META}.Time`].format, 'date-time');
    assert.deepEqual(doc.definitions[`${META}.OwnerReference`].required, ['apiVersion', 'kind', 'name', 'uid']);
    assert.deepEqual(doc.definitions['io.k8s.api.core.v1.ConfigMapList'].required, ['items']);
    assertRefsResolve(doc);
    assertKubectlReadable(doc);
  });

  it('ConfigMap paths carry upstream\'s operation ids, actions, kinds and the fieldValidation parameter', async () => {
    const doc = (await h.client.request('GET', '/openapi/v2')).json;
    const gvk = { group: '', kind: 'ConfigMap', version: 'v1' };
    const collection = doc.paths['/api/v1/namespaces/{namespace}/configmaps'];
    const item = doc.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'];
    const all = doc.paths['/api/v1/configmaps'];
    const ops: Array<[Json, string, string]> = [
      [collection.get, 'listCoreV1NamespacedConfigMap', 'list'],
      [collection.post, 'createCoreV1NamespacedConfigMap', 'post'],
      [collection.delete, 'deleteCoreV1CollectionNamespacedConfigMap', 'deletecollection'],
      [item.get, 'readCoreV1NamespacedConfigMap', 'get'],
      [item.put, 'replaceCoreV1NamespacedConfigMap', 'put'],
      [item.patch, 'patchCoreV1NamespacedConfigMap', 'patch'],
      [item.delete, 'deleteCoreV1NamespacedConfigMap', 'delete'],
      [all.get, 'listCoreV1ConfigMapForAllNamespaces', 'list'],
    ];
    for (const [op, id, action] of ops) {
      assert.equal(op.operationId, id);
      assert.equal(op['x-kubernetes-action'], action, id);
      assert.deepEqual(op['x-kubernetes-group-version-kind'], gvk, id);
      assert.deepEqual(op.tags, ['core_v1'], id);
      assert.deepEqual(op.schemes, ['https'], id);
      assert.deepEqual(op.responses['401'], { description: 'Unauthorized' }, id);
    }
    // kubectl 1.27/1.28 look for fieldValidation among the PATCH parameters themselves, not behind a $ref.
    for (const op of [item.patch, item.put, collection.post]) {
      const fv = op.parameters.filter((p: Json) => p.name === 'fieldValidation');
      assert.deepEqual(fv.map((p: Json) => [p.in, p.type]), [['query', 'string']]);
    }
    assert.deepEqual(item.patch.consumes, ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']);
    assert.deepEqual(item.patch.parameters[0], { name: 'body', in: 'body', required: true, schema: { $ref: `#/definitions/${META}.Patch` } });
    assert.deepEqual(collection.post.parameters[0], { name: 'body', in: 'body', required: true, schema: { $ref: `#/definitions/${CM}` } });
    assert.deepEqual(collection.get.responses['200'], { description: 'OK', schema: { $ref: '#/definitions/io.k8s.api.core.v1.ConfigMapList' } });
    assert.deepEqual(collection.get.produces, ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf', 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch']);
    assert.deepEqual(item.parameters.map((p: Json) => p.name ?? doc.parameters[p.$ref.split('/').pop()].name), ['name', 'namespace', 'pretty']);
    const watch = doc.parameters[collection.get.parameters.find((p: Json) => p.$ref?.startsWith('#/parameters/watch-')).$ref.split('/').pop()];
    assert.deepEqual([watch.in, watch.type, watch.uniqueItems], ['query', 'boolean', true]);
    const ns = doc.paths['/api/v1/namespaces/{name}'];
    assert.equal(ns.patch.operationId, 'patchCoreV1Namespace');
    assert.equal(doc.paths['/api/v1/namespaces'].get.operationId, 'listCoreV1Namespace');
  });

  it('serves gnostic protobuf for either protobuf media type, decoding back to the JSON document', async () => {
    const json = await getBytes(h, '/openapi/v2', { Accept: 'application/json' });
    for (const accept of [PROTO_ACCEPT, 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', `${PROTO_ACCEPT}, application/json;q=0.5`]) {
      const pb = await getBytes(h, '/openapi/v2', { Accept: accept });
      assert.equal(pb.status, 200);
      assert.equal(pb.headers['content-type'], PROTO_TYPE);
      assert.equal(pb.headers.etag, json.headers.etag, 'one ETag for both forms, as upstream');
      assert.deepEqual(decodeDocument(pb.body), JSON.parse(json.body.toString('utf8')));
    }
    // A vendor extension is YAML inside `Any`, as gnostic writes it.
    const raw = protoDocument().toObject(protoDocument().decode((await getBytes(h, '/openapi/v2', { Accept: PROTO_ACCEPT })).body)) as Json;
    const cm = raw.definitions.additional_properties.find((d: Json) => d.name === CM).value;
    assert.deepEqual(cm.vendor_extension, [{ name: 'x-kubernetes-group-version-kind', value: { yaml: '- group: ""\n  kind: ConfigMap\n  version: v1\n' } }]);
  });

  it('answers 304 to a matching If-None-Match or If-Modified-Since, and 406 to what it cannot produce', async () => {
    const first = await getBytes(h, '/openapi/v2', { Accept: PROTO_ACCEPT });
    const etag = first.headers.etag as string;
    assert.match(etag, /^"[0-9A-F]{128}"$/);
    for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await getBytes(h, '/openapi/v2', { Accept: PROTO_ACCEPT, 'If-None-Match': inm });
      assert.equal(again.status, 304, inm);
      assert.equal(again.body.length, 0);
      assert.equal(again.headers.etag, etag);
      assert.equal(again.headers['content-type'], undefined);
    }
    const changed = await getBytes(h, '/openapi/v2', { Accept: PROTO_ACCEPT, 'If-None-Match': '"other"' });
    assert.equal(changed.status, 200);
    assert.ok(changed.body.equals(first.body));
    const since = await getBytes(h, '/openapi/v2', { Accept: 'application/json', 'If-Modified-Since': first.headers['last-modified'] as string });
    assert.equal(since.status, 304);
    const older = await getBytes(h, '/openapi/v2', { Accept: 'application/json', 'If-Modified-Since': 'Thu, 01 Jan 2015 00:00:00 GMT' });
    assert.equal(older.status, 200);
    const html = await getBytes(h, '/openapi/v2', { Accept: 'text/html' });
    assert.equal(html.status, 406);
    assert.equal(html.body.length, 0);
  });

  it('compresses with gzip when the client accepts it, as Go clients always do', async () => {
    const plain = await getBytes(h, '/openapi/v2', { Accept: PROTO_ACCEPT });
    const gz = await getBytes(h, '/openapi/v2', { Accept: PROTO_ACCEPT, 'Accept-Encoding': 'gzip' });
    assert.equal(gz.status, 200);
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.ok(gunzipSync(gz.body).equals(plain.body));
    assert.ok(gz.body.length < plain.body.length);
  });
});
