import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { builtinSchemas } from '../../src/api/index.js';
import { ProtobufCodec } from '../../src/api/protobuf/codec.js';
import { startHarness, type Harness } from './harness.js';

const NS = '/api/v1/namespaces/sub';
const DEPLOYS = '/apis/apps/v1/namespaces/sub/deployments';
const MERGE = { 'Content-Type': 'application/merge-patch+json' };

function deployment(name: string, replicas = 1): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  };
}

function pod(name: string, nodeName?: string): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'nginx' }] } };
}

describe('generation, status, scale, binding and deletion', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    assert.equal((await h.client.request('POST', '/api/v1/namespaces', { metadata: { name: 'sub' } })).status, 201);
  });
  after(async () => { await h.stop(); });

  it('counts generations of the spec only', async () => {
    const c = await h.client.request('POST', DEPLOYS, deployment('gen'));
    assert.equal(c.status, 201, c.text);
    assert.equal(c.json.metadata.generation, 1);
    const labelled = await h.client.request('PATCH', `${DEPLOYS}/gen`, { metadata: { labels: { x: 'y' } } }, MERGE);
    assert.equal(labelled.json.metadata.generation, 1);
    const scaled = await h.client.request('PATCH', `${DEPLOYS}/gen`, { spec: { replicas: 4 } }, MERGE);
    assert.equal(scaled.json.metadata.generation, 2);
    const ignored = await h.client.request('PATCH', `${DEPLOYS}/gen`, { status: { replicas: 9 } }, MERGE);
    assert.equal(ignored.json.status?.replicas, undefined, 'the main resource does not write status');
    assert.equal(ignored.json.metadata.resourceVersion, scaled.json.metadata.resourceVersion, 'a write that changes nothing is not stored');
  });

  it('writes status only through /status, keeping the spec', async () => {
    const s = await h.client.request('PATCH', `${DEPLOYS}/gen/status`, { spec: { replicas: 7 }, status: { replicas: 3, observedGeneration: 2 } }, MERGE);
    assert.equal(s.status, 200, s.text);
    assert.equal(s.json.status.replicas, 3);
    assert.equal(s.json.spec.replicas, 4);
    assert.equal(s.json.metadata.generation, 2);
    const g = await h.client.request('GET', `${DEPLOYS}/gen/status`);
    assert.equal(g.json.status.observedGeneration, 2);
    const none = await h.client.request('GET', '/api/v1/namespaces/sub/configmaps/x/status');
    assert.equal(none.status, 404);
  });

  it('serves the scale subresource as autoscaling/v1 Scale', async () => {
    const g = await h.client.request('GET', `${DEPLOYS}/gen/scale`);
    assert.equal(g.status, 200, g.text);
    assert.deepEqual({ ...g.json, metadata: { name: g.json.metadata.name, namespace: g.json.metadata.namespace } }, {
      kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'gen', namespace: 'sub' },
      spec: { replicas: 4 }, status: { replicas: 3, selector: 'app=gen' },
    });
    const p = await h.client.request('PATCH', `${DEPLOYS}/gen/scale`, { spec: { replicas: 2 } }, MERGE);
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json.spec.replicas, 2);
    const d = await h.client.request('GET', `${DEPLOYS}/gen`);
    assert.equal(d.json.spec.replicas, 2);
    assert.equal(d.json.metadata.generation, 3);
    const neg = await h.client.request('PUT', `${DEPLOYS}/gen/scale`, { ...g.json, metadata: { name: 'gen' }, spec: { replicas: -1 } });
    assert.equal(neg.status, 422);
    assert.equal(neg.json.message, 'Scale.autoscaling "gen" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    const stale = await h.client.request('PUT', `${DEPLOYS}/gen/scale`, { ...g.json, spec: { replicas: 5 } });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.message, 'Operation cannot be fulfilled on deployments.apps "gen": the object has been modified; please apply your changes to the latest version and try again');
  });

  it('binds a pod to a node once', async () => {
    assert.equal((await h.client.request('POST', `${NS}/pods`, pod('b'))).status, 201);
    const bind = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'b' }, target: { kind: 'Node', name: 'n1' } };
    const r = await h.client.request('POST', `${NS}/pods/b/binding`, bind);
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const p = await h.client.request('GET', `${NS}/pods/b`);
    assert.equal(p.json.spec.nodeName, 'n1');
    assert.equal(p.json.status.conditions.find((c: { type: string }) => c.type === 'PodScheduled').status, 'True');
    const noNode = await h.client.request('POST', `${NS}/pods/b/binding`, { ...bind, target: { kind: 'Node' } });
    assert.equal(noNode.status, 422);
    assert.equal(noNode.json.message, 'Binding "b" is invalid: target.name: Required value');
    const again = await h.client.request('POST', `${NS}/pods/b/binding`, { ...bind, target: { kind: 'Node', name: 'n2' } });
    assert.equal(again.status, 409);
    assert.equal(again.json.message, 'Operation cannot be fulfilled on pods/binding "b": pod b is already assigned to node "n1"');
  });

  it('deletes a scheduled pod gracefully, and at once with gracePeriodSeconds=0', async () => {
    const d = await h.client.request('DELETE', `${NS}/pods/b`);
    assert.equal(d.status, 200);
    assert.equal(d.json.metadata.deletionGracePeriodSeconds, 30);
    const left = Date.parse(d.json.metadata.deletionTimestamp) - Date.now();
    assert.ok(left > 25_000 && left <= 30_000, `deletionTimestamp is about 30 s ahead (${left} ms)`);
    assert.equal((await h.client.request('GET', `${NS}/pods/b`)).status, 200);
    const shorter = await h.client.request('DELETE', `${NS}/pods/b`, { gracePeriodSeconds: 5 });
    assert.equal(shorter.json.metadata.deletionGracePeriodSeconds, 5);
    const now = await h.client.request('DELETE', `${NS}/pods/b?gracePeriodSeconds=0`);
    assert.equal(now.status, 200);
    assert.equal((await h.client.request('GET', `${NS}/pods/b`)).status, 404);
    assert.equal((await h.client.request('POST', `${NS}/pods`, pod('u'))).status, 201);
    assert.equal((await h.client.request('DELETE', `${NS}/pods/u`)).status, 200);
    assert.equal((await h.client.request('GET', `${NS}/pods/u`)).status, 404, 'an unscheduled pod goes at once');
  });

  it('hands propagation to the garbage collector through finalizers', async () => {
    assert.equal((await h.client.request('POST', DEPLOYS, deployment('orph'))).status, 201);
    const o = await h.client.request('DELETE', `${DEPLOYS}/orph`, { propagationPolicy: 'Orphan' });
    assert.equal(o.status, 200);
    assert.deepEqual(o.json.metadata.finalizers, ['orphan']);
    assert.ok(o.json.metadata.deletionTimestamp);
    const bad = await h.client.request('DELETE', `${DEPLOYS}/orph`, { propagationPolicy: 'Sideways' });
    assert.equal(bad.status, 422);
    assert.equal(bad.json.message, 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Sideways": propagationPolicy must be one of Orphan, Background, Foreground');
    const done = await h.client.request('PATCH', `${DEPLOYS}/orph`, { metadata: { finalizers: null } }, MERGE);
    assert.equal(done.status, 200);
    assert.equal((await h.client.request('GET', `${DEPLOYS}/orph`)).status, 404, 'the last finalizer gone, the object goes');
  });

  it('answers PartialObjectMetadata for get, list and watch', async () => {
    const accept = { Accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1' };
    const g = await h.client.request('GET', `${DEPLOYS}/gen`, undefined, accept);
    assert.deepEqual(Object.keys(g.json), ['kind', 'apiVersion', 'metadata']);
    assert.equal(g.json.kind, 'PartialObjectMetadata');
    assert.equal(g.json.metadata.name, 'gen');
    const l = await h.client.request('GET', DEPLOYS, undefined, { Accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' });
    assert.equal(l.json.kind, 'PartialObjectMetadataList');
    assert.equal(l.json.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(l.json.items.map((i: { kind: string; metadata: { name: string } }) => [i.kind, i.metadata.name]), [['PartialObjectMetadata', 'gen']]);
    const events: Array<{ type: string; object: { kind: string } }> = [];
    const w = await h.client.watch(`${DEPLOYS}?watch=true`, (e) => events.push(e), accept);
    while (events.length === 0) await new Promise((r) => setTimeout(r, 10));
    w.stop();
    assert.equal(events[0].type, 'ADDED');
    assert.equal(events[0].object.kind, 'PartialObjectMetadata');
  });

  it('answers protobuf when asked first', async () => {
    const r = await h.client.request('GET', `${DEPLOYS}/gen`, undefined, { Accept: 'application/vnd.kubernetes.protobuf,application/json' });
    assert.equal(r.headers['content-type'], 'application/vnd.kubernetes.protobuf');
    const raw = r.raw;
    const codec = new ProtobufCodec(builtinSchemas());
    const env = codec.unwrap(raw);
    assert.equal(env.apiVersion, 'apps/v1');
    assert.equal(env.kind, 'Deployment');
    const json = await h.client.request('GET', `${DEPLOYS}/gen`);
    const { apiVersion: _a, kind: _k, ...rest } = json.json;
    // Protobuf cannot tell an empty struct or a zero time from an absent one; the codec leaves them out.
    assert.deepEqual(withoutEmptyObjects(codec.decode('io.k8s.api.apps.v1.Deployment', env.raw)), withoutEmptyObjects(rest));
  });

  it('checks a dry run without storing it', async () => {
    const r = await h.client.request('POST', `${DEPLOYS}?dryRun=All`, deployment('dry'));
    assert.equal(r.status, 201);
    assert.equal(r.json.metadata.generation, 1);
    assert.equal(r.json.metadata.resourceVersion, undefined);
    assert.equal((await h.client.request('GET', `${DEPLOYS}/dry`)).status, 404);
  });

  it('lists subresources in discovery', async () => {
    const d = await h.client.request('GET', '/apis/apps/v1');
    const scale = d.json.resources.find((r: { name: string }) => r.name === 'deployments/scale');
    assert.deepEqual(scale, { name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    const core = await h.client.request('GET', '/api/v1');
    const binding = core.json.resources.find((r: { name: string }) => r.name === 'pods/binding');
    assert.deepEqual(binding, { name: 'pods/binding', singularName: '', namespaced: true, kind: 'Binding', verbs: ['create'] });
  });
});

function withoutEmptyObjects(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutEmptyObjects);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const y = withoutEmptyObjects(x);
    if (y === null) continue; // a zero timestamp: null in JSON, absent in protobuf
    if (typeof y === 'object' && !Array.isArray(y) && Object.keys(y).length === 0) continue;
    out[k] = y;
  }
  return out;
}

describe('deployment generations count annotations too', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.stop(); });

  it('bumps generation when only an annotation changes', async () => {
    const path = '/apis/apps/v1/namespaces/default/deployments';
    assert.equal((await h.client.request('POST', path, deployment('ann'))).status, 201);
    const r = await h.client.request('PATCH', `${path}/ann`, { metadata: { annotations: { 'kubernetes.io/change-cause': 'x' } } }, MERGE);
    assert.equal(r.json.metadata.generation, 2);
    const l = await h.client.request('PATCH', `${path}/ann`, { metadata: { labels: { only: 'label' } } }, MERGE);
    assert.equal(l.json.metadata.generation, 2);
  });
});

describe('resources that are not stored: bindings and componentstatuses', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.stop(); });

  it('binds a pod through POST …/bindings', async () => {
    assert.equal((await h.client.request('POST', '/api/v1/namespaces/default/pods', pod('lb'))).status, 201);
    const r = await h.client.request('POST', '/api/v1/namespaces/default/bindings', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'lb' }, target: { kind: 'Node', name: 'n9' } });
    assert.equal(r.status, 201, r.text);
    assert.equal((await h.client.request('GET', '/api/v1/namespaces/default/pods/lb')).json.spec.nodeName, 'n9');
    assert.equal((await h.client.request('GET', '/api/v1/namespaces/default/bindings')).status, 404);
  });

  it('answers componentstatuses with the storage health and upstream\'s deprecation warning', async () => {
    const r = await h.client.request('GET', '/api/v1/componentstatuses');
    assert.equal(r.status, 200);
    assert.equal(r.headers.warning, '299 - "v1 ComponentStatus is deprecated in v1.19+"');
    assert.deepEqual(r.json, {
      kind: 'ComponentStatusList', apiVersion: 'v1', metadata: {},
      items: [{ kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name: 'etcd-0' }, conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }] }],
    });
    const t = await h.client.request('GET', '/api/v1/componentstatuses/etcd-0', undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    assert.deepEqual(t.json.rows[0].cells, ['etcd-0', 'Healthy', 'ok', '']);
    assert.equal((await h.client.request('GET', '/api/v1/componentstatuses/nope')).status, 404);
  });
});
