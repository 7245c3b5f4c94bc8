import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configMap, eventually, type WatchLine } from '../support/client.js';
import { startHarness, type Harness } from './harness.js';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

describe('watch through the watch cache', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ bookmarkIntervalMs: 150, watchCacheCapacity: 50 });
    for (const ns of ['w1', 'w2', 'w3', 'w4', 'w5', 'w6']) await h.client.request('POST', '/api/v1/namespaces', { metadata: { name: ns } });
  });
  after(async () => { await h.stop(); });

  it('resumes from a resourceVersion: every later change once, in order', async () => {
    const CM = '/api/v1/namespaces/w1/configmaps';
    await h.client.request('POST', CM, configMap('before'));
    const rv = (await h.client.request('GET', CM)).json.metadata.resourceVersion;
    const seen: WatchLine[] = [];
    const w = await h.client.watch(`${CM}?watch=true&resourceVersion=${rv}`, (e) => seen.push(e));
    assert.equal(w.status, 200);
    const created = (await h.client.request('POST', CM, configMap('x', { a: '1' }))).json;
    await h.client.request('PATCH', `${CM}/x`, { data: { a: '2' } }, { 'Content-Type': 'application/merge-patch+json' });
    await h.client.request('DELETE', `${CM}/x`);
    await eventually(() => seen.length >= 3, 5000, 'three events');
    w.stop();
    assert.deepEqual(seen.map((e) => [e.type, e.object.metadata.name, e.object.data?.a]), [['ADDED', 'x', '1'], ['MODIFIED', 'x', '2'], ['DELETED', 'x', '2']]);
    const rvs = seen.map((e) => Number(e.object.metadata.resourceVersion));
    assert.equal(rvs[0], Number(created.metadata.resourceVersion));
    assert.ok(rvs[0] < rvs[1] && rvs[1] < rvs[2]);
  });

  it('starts with the current state as ADDED for resourceVersion=0, then a bookmark with sendInitialEvents', async () => {
    const CM = '/api/v1/namespaces/w2/configmaps';
    await h.client.request('POST', CM, configMap('one'));
    await h.client.request('POST', CM, configMap('two'));
    const seen: WatchLine[] = [];
    const w = await h.client.watch(`${CM}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`, (e) => seen.push(e));
    await eventually(() => seen.length >= 3, 5000, 'initial events');
    w.stop();
    assert.deepEqual(seen.slice(0, 2).map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'one'], ['ADDED', 'two']]);
    assert.equal(seen[2].type, 'BOOKMARK');
    assert.deepEqual(seen[2].object.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
    assert.equal(seen[2].object.kind, 'ConfigMap');
  });

  it('sends bookmarks only to watchers that ask', async () => {
    const CM = '/api/v1/namespaces/w3/configmaps';
    const rv = (await h.client.request('GET', CM)).json.metadata.resourceVersion;
    const withB: WatchLine[] = [];
    const without: WatchLine[] = [];
    const a = await h.client.watch(`${CM}?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`, (e) => withB.push(e));
    const b = await h.client.watch(`${CM}?watch=true&resourceVersion=${rv}`, (e) => without.push(e));
    await eventually(() => withB.some((e) => e.type === 'BOOKMARK'), 5000, 'a bookmark');
    await new Promise((r) => setTimeout(r, 300));
    a.stop();
    b.stop();
    assert.equal(without.length, 0);
    const bm = withB.find((e) => e.type === 'BOOKMARK')!;
    assert.ok(Number(bm.object.metadata.resourceVersion) >= Number(rv));
  });

  it('answers 410 Expired as an ERROR event when the resourceVersion is older than the window', async () => {
    const CM = '/api/v1/namespaces/w4/configmaps';
    const old = (await h.client.request('GET', CM)).json.metadata.resourceVersion;
    for (let i = 0; i < 60; i++) await h.client.request('POST', CM, configMap(`f${i}`));
    const seen: WatchLine[] = [];
    const w = await h.client.watch(`${CM}?watch=true&resourceVersion=${old}`, (e) => seen.push(e));
    await w.closed;
    assert.equal(w.status, 200);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].type, 'ERROR');
    assert.equal(seen[0].object.code, 410);
    assert.equal(seen[0].object.reason, 'Expired');
    assert.match(seen[0].object.message, new RegExp(`^too old resource version: ${old} \\(\\d+\\)$`));
  });

  it('turns selector transitions into ADDED and DELETED', async () => {
    const CM = '/api/v1/namespaces/w5/configmaps';
    const rv = (await h.client.request('GET', CM)).json.metadata.resourceVersion;
    const seen: WatchLine[] = [];
    const w = await h.client.watch(`${CM}?watch=true&resourceVersion=${rv}&labelSelector=tier%3Dweb`, (e) => seen.push(e));
    await h.client.request('POST', CM, configMap('s', {}, { labels: { tier: 'db' } }));
    await h.client.request('PATCH', `${CM}/s`, { metadata: { labels: { tier: 'web' } } }, { 'Content-Type': 'application/merge-patch+json' });
    await h.client.request('PATCH', `${CM}/s`, { data: { v: '1' } }, { 'Content-Type': 'application/merge-patch+json' });
    await h.client.request('PATCH', `${CM}/s`, { metadata: { labels: { tier: 'db' } } }, { 'Content-Type': 'application/merge-patch+json' });
    await eventually(() => seen.length >= 3, 5000, 'three events');
    await new Promise((r) => setTimeout(r, 100));
    w.stop();
    assert.deepEqual(seen.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
  });

  it('streams Tables with the column definitions in the first event only', async () => {
    const CM = '/api/v1/namespaces/w6/configmaps';
    const rv = (await h.client.request('GET', CM, undefined, { Accept: TABLE })).json.metadata.resourceVersion;
    const seen: WatchLine[] = [];
    const w = await h.client.watch(`${CM}?watch=true&resourceVersion=${rv}`, (e) => seen.push(e), { Accept: TABLE });
    await h.client.request('POST', CM, configMap('t', { a: '1' }));
    await h.client.request('PATCH', `${CM}/t`, { data: { b: '2' } }, { 'Content-Type': 'application/merge-patch+json' });
    await eventually(() => seen.length >= 2, 5000, 'two events');
    w.stop();
    assert.equal(seen[0].object.kind, 'Table');
    assert.deepEqual(seen[0].object.columnDefinitions.map((c: any) => c.name), ['Name', 'Data', 'Age']);
    assert.equal(seen[1].object.columnDefinitions, null);
    assert.deepEqual(seen.map((e) => e.object.rows[0].cells.slice(0, 2)), [['t', 1], ['t', 2]]);
  });

  it('serves all watchers from one storage watch per resource', async () => {
    const before = await h.client.request('GET', '/metrics');
    const stops: Array<() => void> = [];
    for (let i = 0; i < 20; i++) stops.push((await h.client.watch('/api/v1/configmaps?watch=true&resourceVersion=0', () => {})).stop);
    const m = await h.client.request('GET', '/metrics');
    for (const s of stops) s();
    assert.match(before.text, /^watch_cache_watchers\{resource="configmaps"\} \d+$/m);
    const watchers = Number(/^watch_cache_watchers\{resource="configmaps"\} (\d+)$/m.exec(m.text)![1]);
    assert.ok(watchers >= 20, `watchers ${watchers}`);
    assert.match(m.text, /^apiserver_request_total\{verb="WATCH",resource="configmaps",code="200"\} \d+$/m);
  });
});
