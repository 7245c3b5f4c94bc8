/**
 * Namespace lifecycle as the API server alone handles it (no controllers run here): a delete only
 * marks the namespace Terminating; it stays while spec.finalizers is not empty, and `finalize`
 * (which the namespace controller calls once the namespace is empty) lets it go. Emptying the
 * namespace is the namespace controller's job: see test/controllers/namespace.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configMap, eventually, type WatchLine } from '../support/client.js';
import { startHarness, type Harness } from './harness.js';

const NS = '/api/v1/namespaces';

describe('namespace deletion without the namespace controller', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.stop(); });

  it('marks the namespace Terminating and keeps it, contents included, while spec.finalizers holds kubernetes', async () => {
    await h.client.request('POST', NS, { metadata: { name: 'marked' } });
    await h.client.request('POST', `${NS}/marked/configmaps`, configMap('kept'));
    const d = await h.client.request('DELETE', `${NS}/marked`);
    assert.equal(d.status, 200);
    assert.equal(d.json.kind, 'Namespace');
    assert.equal(d.json.status.phase, 'Terminating');
    assert.match(d.json.metadata.deletionTimestamp, /Z$/);
    const ns = await h.client.request('GET', `${NS}/marked`);
    assert.equal(ns.status, 200);
    assert.equal(ns.json.status.phase, 'Terminating');
    assert.deepEqual(ns.json.spec.finalizers, ['kubernetes']);
    assert.equal((await h.client.request('GET', `${NS}/marked/configmaps/kept`)).status, 200);
    // A second delete changes nothing while the finalizer remains.
    const again = await h.client.request('DELETE', `${NS}/marked`);
    assert.equal(again.status, 200);
    assert.equal(again.json.metadata.deletionTimestamp, d.json.metadata.deletionTimestamp);
    assert.equal((await h.client.request('GET', `${NS}/marked`)).status, 200);
  });

  it('refuses new content in a Terminating namespace', async () => {
    await h.client.request('POST', NS, { metadata: { name: 'closing' } });
    await h.client.request('DELETE', `${NS}/closing`);
    const refused = await h.client.request('POST', `${NS}/closing/configmaps`, configMap('late'));
    assert.equal(refused.status, 403);
    assert.equal(refused.json.message, 'configmaps "late" is forbidden: unable to create new content in namespace closing because it is being terminated');
    assert.deepEqual(refused.json.details.causes, [{ reason: 'NamespaceTerminating', message: 'namespace closing is being terminated', field: 'metadata.namespace' }]);
  });

  it('keeps a Terminating namespace through status and metadata updates', async () => {
    await h.client.request('POST', NS, { metadata: { name: 'updated' } });
    await h.client.request('DELETE', `${NS}/updated`);
    const cur = (await h.client.request('GET', `${NS}/updated`)).json;
    const cond = { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: 'x', lastTransitionTime: '2024-01-01T00:00:00Z' };
    const st = await h.client.request('PUT', `${NS}/updated/status`, { ...cur, status: { ...cur.status, conditions: [cond] } });
    assert.equal(st.status, 200);
    assert.deepEqual(st.json.status.conditions, [cond]);
    const labeled = await h.client.request('PATCH', `${NS}/updated`, { metadata: { labels: { a: 'b' } } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(labeled.status, 200);
    const ns = (await h.client.request('GET', `${NS}/updated`)).json;
    assert.equal(ns.status.phase, 'Terminating');
    assert.deepEqual(ns.status.conditions, [cond]);
    assert.deepEqual(ns.metadata.labels, { a: 'b', 'kubernetes.io/metadata.name': 'updated' });
  });

  it('checks the phase of a status update against deletionTimestamp, and keeps spec', async () => {
    await h.client.request('POST', NS, { metadata: { name: 'phased' } });
    const cur = (await h.client.request('GET', `${NS}/phased`)).json;
    const bad = await h.client.request('PUT', `${NS}/phased/status`, { ...cur, status: { phase: 'Terminating' } });
    assert.equal(bad.status, 422);
    assert.equal(bad.json.message, 'Namespace "phased" is invalid: status.Phase: Invalid value: "Terminating": may only be \'Active\' if `deletionTimestamp` is empty');
    const specless = await h.client.request('PUT', `${NS}/phased/status`, { ...cur, spec: { finalizers: [] } });
    assert.equal(specless.status, 200);
    assert.deepEqual(specless.json.spec.finalizers, ['kubernetes']);
    await h.client.request('DELETE', `${NS}/phased`);
    const marked = (await h.client.request('GET', `${NS}/phased`)).json;
    const active = await h.client.request('PUT', `${NS}/phased/status`, { ...marked, status: { phase: 'Active' } });
    assert.equal(active.status, 422);
    assert.equal(active.json.message, 'Namespace "phased" is invalid: status.Phase: Invalid value: "Active": may only be \'Terminating\' if `deletionTimestamp` is not empty');
  });

  it('does not change spec.finalizers through an update', async () => {
    await h.client.request('POST', NS, { metadata: { name: 'fixed' } });
    const cur = (await h.client.request('GET', `${NS}/fixed`)).json;
    const u = await h.client.request('PUT', `${NS}/fixed`, { ...cur, spec: { finalizers: [] } });
    assert.equal(u.status, 200);
    assert.deepEqual(u.json.spec.finalizers, ['kubernetes']);
  });

  it('refuses spec finalizers that are neither standard nor qualified', async () => {
    const r = await h.client.request('POST', NS, { metadata: { name: 'oddfin' }, spec: { finalizers: ['bogus'] } });
    assert.equal(r.status, 422);
    assert.equal(r.json.message, 'Namespace "oddfin" is invalid: spec.finalizers: Invalid value: "bogus": name is neither a standard finalizer name nor is it fully qualified');
    const ok = await h.client.request('POST', NS, { metadata: { name: 'oddfin' }, spec: { finalizers: ['example.com/hold'] } });
    assert.equal(ok.status, 201);
    assert.deepEqual(ok.json.spec.finalizers, ['example.com/hold', 'kubernetes']);
  });

  it('finalize writes spec.finalizers of an active namespace, and refuses bad names', async () => {
    await h.client.request('POST', NS, { metadata: { name: 'fin' } });
    const cur = (await h.client.request('GET', `${NS}/fin`)).json;
    const bad = await h.client.request('PUT', `${NS}/fin/finalize`, { ...cur, spec: { finalizers: ['kubernetes', 'bogus'] } });
    assert.equal(bad.status, 422);
    assert.equal(bad.json.message, 'Namespace "fin" is invalid: spec.finalizers[1]: Invalid value: "bogus": name is neither a standard finalizer name nor is it fully qualified');
    const f = await h.client.request('PUT', `${NS}/fin/finalize`, { ...cur, spec: { finalizers: ['example.com/x'] }, status: { phase: 'Terminating' } });
    assert.equal(f.status, 200);
    assert.deepEqual(f.json.spec.finalizers, ['example.com/x']);
    assert.equal(f.json.status.phase, 'Active');
    const stale = await h.client.request('PUT', `${NS}/fin/finalize`, { ...cur, spec: { finalizers: [] } });
    assert.equal(stale.status, 409);
    assert.equal((await h.client.request('GET', `${NS}/fin/status`)).status, 200);
    assert.equal((await h.client.request('POST', `${NS}/fin/finalize`, cur)).status, 405);
  });

  it('removes a Terminating namespace once finalize empties spec.finalizers, and it can be created again', async () => {
    await h.client.request('POST', NS, { metadata: { name: 'doomed' } });
    const rv = (await h.client.request('GET', NS)).json.metadata.resourceVersion;
    const seen: WatchLine[] = [];
    const w = await h.client.watch(`${NS}?watch=true&resourceVersion=${rv}&fieldSelector=metadata.name%3Ddoomed`, (e) => seen.push(e));
    await h.client.request('DELETE', `${NS}/doomed`);
    const cur = (await h.client.request('GET', `${NS}/doomed`)).json;
    const f = await h.client.request('PUT', `${NS}/doomed/finalize`, { ...cur, spec: { finalizers: [] } });
    assert.equal(f.status, 200);
    assert.deepEqual(f.json.spec, {});
    assert.equal((await h.client.request('GET', `${NS}/doomed`)).status, 404);
    await eventually(() => seen.length >= 2, 5000, 'namespace events');
    w.stop();
    assert.deepEqual(seen.map((e) => [e.type, e.object.status.phase]), [['MODIFIED', 'Terminating'], ['DELETED', 'Terminating']]);
    const again = await h.client.request('POST', NS, { metadata: { name: 'doomed' } });
    assert.equal(again.status, 201);
    assert.equal(again.json.status.phase, 'Active');
  });

  it('lists the status and finalize subresources in discovery', async () => {
    const r = (await h.client.request('GET', '/api/v1')).json;
    const subs = r.resources.filter((x: { name: string }) => x.name.startsWith('namespaces/'));
    assert.deepEqual(subs.map((x: { name: string; verbs: string[] }) => [x.name, x.verbs]), [
      ['namespaces/finalize', ['update']], ['namespaces/status', ['get', 'patch', 'update']],
    ]);
  });
});
