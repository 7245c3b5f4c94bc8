import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configMap } from '../support/client.js';
import { startHarness, type Harness } from './harness.js';

const NS = '/api/v1/namespaces';

describe('the generic registry: create, get, list, update, patch, delete', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    assert.equal((await h.client.request('POST', NS, { metadata: { name: 'crud' } })).status, 201);
  });
  after(async () => { await h.stop(); });
  const CM = `${NS}/crud/configmaps`;

  it('creates with server-set metadata and reads it back', async () => {
    const r = await h.client.request('POST', CM, configMap('a', { k: 'v' }, { labels: { app: 'one' } }));
    assert.equal(r.status, 201);
    const m = r.json.metadata;
    assert.equal(m.namespace, 'crud');
    assert.match(m.uid, /^[0-9a-f-]{36}$/);
    assert.match(m.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(m.resourceVersion, /^\d+$/);
    const g = await h.client.request('GET', `${CM}/a`);
    assert.deepEqual(g.json, r.json);
  });

  it('namespaces get phase Active and the metadata.name label', async () => {
    const g = await h.client.request('GET', `${NS}/crud`);
    assert.equal(g.json.status.phase, 'Active');
    assert.equal(g.json.metadata.labels['kubernetes.io/metadata.name'], 'crud');
    assert.equal(g.json.kind, 'Namespace');
    assert.deepEqual(g.json.spec, { finalizers: ['kubernetes'] });
    const u = await h.client.request('PUT', `${NS}/crud`, { ...g.json, spec: { finalizers: [] }, status: { phase: 'Terminating' } });
    assert.equal(u.status, 200);
    assert.deepEqual(u.json.spec, { finalizers: ['kubernetes'] });
    assert.equal(u.json.status.phase, 'Active');
  });

  it('lists with limit and continue, consistently while writes go on', async () => {
    for (let i = 0; i < 7; i++) await h.client.request('POST', CM, configMap(`page-${i}`, { i: String(i) }, { labels: { set: 'paging' } }));
    const names: string[] = [];
    let cont = '';
    let first: any;
    for (let pageNo = 0; ; pageNo++) {
      const r = await h.client.request('GET', `${CM}?labelSelector=set%3Dpaging&limit=3${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      assert.equal(r.status, 200);
      first ??= r.json;
      names.push(...r.json.items.map((i: any) => i.metadata.name));
      // a write between pages does not show up in this list
      if (pageNo === 0) await h.client.request('POST', CM, configMap('page-0a', {}, { labels: { set: 'paging' } }));
      cont = r.json.metadata.continue;
      if (!cont) break;
      assert.equal(r.json.metadata.resourceVersion, first.metadata.resourceVersion);
    }
    assert.deepEqual(names, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'page-5', 'page-6']);
    assert.equal(first.kind, 'ConfigMapList');
    assert.equal(first.apiVersion, 'v1');
  });

  it('reports remainingItemCount on an unfiltered page', async () => {
    const r = await h.client.request('GET', `${CM}?limit=2`);
    const all = await h.client.request('GET', CM);
    assert.equal(r.json.items.length, 2);
    assert.equal(r.json.metadata.remainingItemCount, all.json.items.length - 2);
  });

  it('selects by label and by field, and refuses unknown fields', async () => {
    const byLabel = await h.client.request('GET', `${CM}?labelSelector=app%3Done`);
    assert.deepEqual(byLabel.json.items.map((i: any) => i.metadata.name), ['a']);
    const byField = await h.client.request('GET', `${CM}?fieldSelector=metadata.name%3Dpage-3`);
    assert.deepEqual(byField.json.items.map((i: any) => i.metadata.name), ['page-3']);
    const notIn = await h.client.request('GET', `${CM}?labelSelector=set%20notin%20(paging)`);
    assert.deepEqual(notIn.json.items.map((i: any) => i.metadata.name), ['a']);
    const bad = await h.client.request('GET', `${CM}?fieldSelector=spec.foo%3Dx`);
    assert.equal(bad.status, 400);
    assert.equal(bad.json.message, '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"');
    const nsBad = await h.client.request('GET', '/api/v1/namespaces?fieldSelector=spec.foo%3Dx');
    assert.equal(nsBad.json.message, 'field label not supported: spec.foo');
    const badLabel = await h.client.request('GET', `${CM}?labelSelector=a%20in`);
    assert.equal(badLabel.status, 400);
    assert.equal(badLabel.json.message, "unable to parse requirement: found '', expected: '('");
  });

  it('gets with resourceVersion unset (storage), 0 (the cache) or at least a given revision', async () => {
    const c = (await h.client.request('POST', CM, configMap('rvget', { a: '1' }))).json;
    const newest = await h.client.request('GET', `${CM}/rvget`);
    assert.equal(newest.json.metadata.resourceVersion, c.metadata.resourceVersion);
    const cached = await h.client.request('GET', `${CM}/rvget?resourceVersion=${c.metadata.resourceVersion}`);
    assert.equal(cached.status, 200);
    assert.deepEqual(cached.json, c);
    const any = await h.client.request('GET', `${CM}/rvget?resourceVersion=0`);
    assert.equal(any.status, 200);
    const bad = await h.client.request('GET', `${CM}/rvget?resourceVersion=abc`);
    assert.equal(bad.status, 400);
    const missing = await h.client.request('GET', `${CM}/nothing-here?resourceVersion=0`);
    assert.equal(missing.status, 404);
    assert.equal(missing.json.message, 'configmaps "nothing-here" not found');
  });

  it('lists across namespaces', async () => {
    const r = await h.client.request('GET', '/api/v1/configmaps');
    assert.ok(r.json.items.some((i: any) => i.metadata.namespace === 'crud' && i.metadata.name === 'a'));
  });

  it('applies a JSON merge patch (null removes a key)', async () => {
    await h.client.request('POST', CM, configMap('mp', { a: '1', b: '2' }));
    const r = await h.client.request('PATCH', `${CM}/mp`, { data: { a: null, c: '3' }, metadata: { labels: { x: 'y' } } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.data, { b: '2', c: '3' });
    assert.deepEqual(r.json.metadata.labels, { x: 'y' });
  });

  it('applies a JSON patch, and a failed test op changes nothing', async () => {
    await h.client.request('POST', CM, configMap('jp', { a: '1' }));
    const r = await h.client.request('PATCH', `${CM}/jp`, [{ op: 'add', path: '/data/b', value: '2' }, { op: 'replace', path: '/data/a', value: '9' }], { 'Content-Type': 'application/json-patch+json' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.data, { a: '9', b: '2' });
    const failed = await h.client.request('PATCH', `${CM}/jp`, [{ op: 'test', path: '/data/a', value: 'nope' }, { op: 'remove', path: '/data/a' }], { 'Content-Type': 'application/json-patch+json' });
    assert.equal(failed.status, 422);
    assert.deepEqual((await h.client.request('GET', `${CM}/jp`)).json.data, { a: '9', b: '2' });
  });

  it('a patch carrying a stale resourceVersion conflicts', async () => {
    const c = (await h.client.request('POST', CM, configMap('prv', { a: '1' }))).json;
    await h.client.request('PATCH', `${CM}/prv`, { data: { a: '2' } }, { 'Content-Type': 'application/merge-patch+json' });
    const r = await h.client.request('PATCH', `${CM}/prv`, { metadata: { resourceVersion: c.metadata.resourceVersion }, data: { a: '3' } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(r.status, 409);
    assert.equal(r.json.reason, 'Conflict');
  });

  it('an update that changes nothing keeps the resourceVersion', async () => {
    const c = (await h.client.request('POST', CM, configMap('noop', { a: '1' }))).json;
    const r = await h.client.request('PUT', `${CM}/noop`, c);
    assert.equal(r.status, 200);
    assert.equal(r.json.metadata.resourceVersion, c.metadata.resourceVersion);
  });

  it('keeps uid and creationTimestamp on update', async () => {
    const c = (await h.client.request('POST', CM, configMap('keep', { a: '1' }))).json;
    const r = await h.client.request('PUT', `${CM}/keep`, { ...c, metadata: { ...c.metadata, uid: 'forged', creationTimestamp: '2000-01-01T00:00:00Z' }, data: { a: '2' } });
    assert.equal(r.json.metadata.uid, c.metadata.uid);
    assert.equal(r.json.metadata.creationTimestamp, c.metadata.creationTimestamp);
  });

  it('deletes with a success Status, honouring preconditions', async () => {
    const c = (await h.client.request('POST', CM, configMap('del', { a: '1' }))).json;
    const pre = await h.client.request('DELETE', `${CM}/del`, { preconditions: { uid: 'other' } });
    assert.equal(pre.status, 409);
    assert.equal(pre.json.message, `Operation cannot be fulfilled on configmaps "del": Precondition failed: UID in precondition: other, UID in object meta: ${c.metadata.uid}`);
    const r = await h.client.request('DELETE', `${CM}/del`, { propagationPolicy: 'Background' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'del', kind: 'configmaps', uid: c.metadata.uid } });
    assert.equal((await h.client.request('GET', `${CM}/del`)).status, 404);
  });

  it('a finalizer holds an object until removed', async () => {
    await h.client.request('POST', CM, configMap('fin', {}, { finalizers: ['example.com/hold'] }));
    const d = await h.client.request('DELETE', `${CM}/fin`);
    assert.equal(d.status, 200);
    assert.match(d.json.metadata.deletionTimestamp, /Z$/);
    assert.equal((await h.client.request('GET', `${CM}/fin`)).status, 200);
    const r = await h.client.request('PATCH', `${CM}/fin`, { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(r.status, 200);
    assert.equal((await h.client.request('GET', `${CM}/fin`)).status, 404);
  });

  it('dryRun=All validates without writing', async () => {
    const r = await h.client.request('POST', `${CM}?dryRun=All`, configMap('dry', { a: '1' }));
    assert.equal(r.status, 201);
    assert.equal((await h.client.request('GET', `${CM}/dry`)).status, 404);
  });

  it('deletecollection removes the selected objects', async () => {
    for (const n of ['dc1', 'dc2']) await h.client.request('POST', CM, configMap(n, {}, { labels: { dc: 'yes' } }));
    const r = await h.client.request('DELETE', `${CM}?labelSelector=dc%3Dyes`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.items.map((i: any) => i.metadata.name).sort(), ['dc1', 'dc2']);
    assert.equal((await h.client.request('GET', `${CM}?labelSelector=dc%3Dyes`)).json.items.length, 0);
  });

  it('answers a Table when asked by the Accept header', async () => {
    const r = await h.client.request('GET', `${CM}?labelSelector=app%3Done`, undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    assert.equal(r.json.kind, 'Table');
    assert.equal(r.json.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(r.json.columnDefinitions.map((c: any) => [c.name, c.type, c.format, c.priority]), [['Name', 'string', 'name', 0], ['Data', 'string', '', 0], ['Age', 'string', '', 0]]);
    assert.equal(r.json.rows.length, 1);
    assert.deepEqual(r.json.rows[0].cells.slice(0, 2), ['a', 1]);
    assert.match(r.json.rows[0].cells[2], /^\d+s$/);
    assert.equal(r.json.rows[0].object.kind, 'PartialObjectMetadata');
    assert.equal(r.json.rows[0].object.metadata.name, 'a');
  });

  it('answers 406 when only an unknown form is acceptable', async () => {
    const r = await h.client.request('GET', `${CM}/a`, undefined, { Accept: 'application/x-nothing' });
    assert.equal(r.status, 406);
    assert.equal(r.json.reason, 'NotAcceptable');
  });
});
