import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configMap, eventually, type WatchLine } from '../support/client.js';
import { startHarness, type Harness } from './harness.js';

const NS = '/api/v1/namespaces';

describe('namespace deletion', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.stop(); });

  it('goes through Terminating, empties the namespace, then removes it', async () => {
    await h.client.request('POST', NS, { metadata: { name: 'doomed' } });
    for (const n of ['a', 'b']) await h.client.request('POST', `${NS}/doomed/configmaps`, configMap(n));
    const rv = (await h.client.request('GET', NS)).json.metadata.resourceVersion;
    const seen: WatchLine[] = [];
    const w = await h.client.watch(`${NS}?watch=true&resourceVersion=${rv}&fieldSelector=metadata.name%3Ddoomed`, (e) => seen.push(e));
    const d = await h.client.request('DELETE', `${NS}/doomed`);
    assert.equal(d.status, 200);
    assert.equal(d.json.kind, 'Namespace');
    assert.equal(d.json.status.phase, 'Terminating');
    assert.match(d.json.metadata.deletionTimestamp, /Z$/);
    assert.equal((await h.client.request('GET', `${NS}/doomed`)).status, 404);
    await eventually(() => seen.length >= 2, 5000, 'namespace events');
    w.stop();
    assert.deepEqual(seen.map((e) => [e.type, e.object.status.phase]), [['MODIFIED', 'Terminating'], ['DELETED', 'Terminating']]);
    await h.client.request('POST', NS, { metadata: { name: 'doomed' } });
    assert.deepEqual((await h.client.request('GET', `${NS}/doomed/configmaps`)).json.items, []);
  });

  it('stays Terminating while a finalizer holds an object, and refuses new content', async () => {
    await h.client.request('POST', NS, { metadata: { name: 'held' } });
    await h.client.request('POST', `${NS}/held/configmaps`, configMap('pinned', {}, { finalizers: ['example.com/keep'] }));
    await h.client.request('POST', `${NS}/held/configmaps`, configMap('loose'));
    const d = await h.client.request('DELETE', `${NS}/held`);
    assert.equal(d.status, 200);
    const ns = (await h.client.request('GET', `${NS}/held`)).json;
    assert.equal(ns.status.phase, 'Terminating');
    assert.equal((await h.client.request('GET', `${NS}/held/configmaps/loose`)).status, 404);
    const pinned = (await h.client.request('GET', `${NS}/held/configmaps/pinned`)).json;
    assert.match(pinned.metadata.deletionTimestamp, /Z$/);
    const refused = await h.client.request('POST', `${NS}/held/configmaps`, configMap('late'));
    assert.equal(refused.status, 403);
    assert.equal(refused.json.message, 'configmaps "late" is forbidden: unable to create new content in namespace held because it is being terminated');
  });
});
