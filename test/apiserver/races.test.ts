/** Concurrency and hostile-request cases: each once made the server misbehave. */
import assert from 'node:assert/strict';
import { connect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { configMap, eventually, type WatchLine } from '../support/client.js';
import { startHarness, type Harness } from './harness.js';

const NS = '/api/v1/namespaces';
const MERGE = { 'Content-Type': 'application/merge-patch+json' };

describe('races and hostile requests', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.stop(); });

  it('answers 400 to a request target that is not a path, and keeps serving', async () => {
    const u = new URL(h.cluster.server);
    const answer = await new Promise<string>((resolve, reject) => {
      const s = connect({ host: u.hostname, port: Number(u.port), ca: h.cluster.credentials.ca }, () => {
        s.write('GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      });
      let data = '';
      s.on('data', (d) => { data += d; });
      s.on('end', () => resolve(data));
      s.on('error', reject);
    });
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.match(answer, /"message":"the request target is not a valid path"/);
    assert.equal((await h.client.request('GET', '/readyz')).text, 'ok');
  });

  it('retries concurrent patches that do not name a resourceVersion: every one lands', async () => {
    const CM = `${NS}/default/configmaps`;
    await h.client.request('POST', CM, configMap('hot'));
    const codes = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      h.client.request('PATCH', `${CM}/hot`, { data: { [`k${i}`]: String(i) } }, MERGE).then((r) => r.status)));
    assert.deepEqual(codes, Array(30).fill(200));
    assert.equal(Object.keys((await h.client.request('GET', `${CM}/hot`)).json.data).length, 30);
  });

  it('resumes a watch from a paged list revision when another resource was written since', async () => {
    const CM = `${NS}/default/configmaps`;
    const rv = (await h.client.request('GET', `${CM}?limit=1`)).json.metadata.resourceVersion;
    await h.client.request('POST', NS, { metadata: { name: 'between' } });
    await h.client.request('POST', CM, configMap('after-page'));
    const seen: WatchLine[] = [];
    const w = await h.client.watch(`${CM}?watch=true&resourceVersion=${rv}`, (e) => seen.push(e));
    await eventually(() => seen.length >= 1, 5000, 'the event');
    w.stop();
    assert.deepEqual([seen[0].type, seen[0].object.metadata.name], ['ADDED', 'after-page']);
  });

  it('a watcher for whom an object leaves the selection gets its previous state', async () => {
    const CM = `${NS}/default/configmaps`;
    await h.client.request('POST', CM, configMap('sel', { v: 'old' }, { labels: { a: '1' } }));
    const rv = (await h.client.request('GET', CM)).json.metadata.resourceVersion;
    const seen: WatchLine[] = [];
    const w = await h.client.watch(`${CM}?watch=true&resourceVersion=${rv}&labelSelector=a%3D1`, (e) => seen.push(e));
    const changed = (await h.client.request('PATCH', `${CM}/sel`, { metadata: { labels: { a: '2' } }, data: { v: 'new' } }, MERGE)).json;
    await eventually(() => seen.length >= 1, 5000, 'the event');
    w.stop();
    assert.equal(seen[0].type, 'DELETED');
    assert.deepEqual(seen[0].object.metadata.labels, { a: '1' });
    assert.deepEqual(seen[0].object.data, { v: 'old' });
    assert.equal(seen[0].object.metadata.resourceVersion, changed.metadata.resourceVersion);
  });

  it('refuses a watch with a bad selector with a 400, not a stream', async () => {
    const r = await h.client.request('GET', `${NS}/default/configmaps?watch=true&fieldSelector=spec.foo%3Dx`);
    assert.equal(r.status, 400);
    assert.equal(r.json.message, '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });

  it('sends the whole initial state and the initial-events-end bookmark even when it is large', async () => {
    await h.client.request('POST', NS, { metadata: { name: 'big' } });
    for (let i = 0; i < 20; i++) await h.client.request('POST', `${NS}/big/configmaps`, configMap(`b${i}`, { blob: 'x'.repeat(900 * 1024) }));
    const seen: WatchLine[] = [];
    const w = await h.client.watch(`${NS}/big/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`, (e) => seen.push(e));
    await eventually(() => seen.some((e) => e.type === 'BOOKMARK'), 20_000, 'the bookmark');
    w.stop();
    assert.equal(seen.filter((e) => e.type === 'ADDED').length, 20);
    assert.equal(seen[20].object.metadata.annotations['k8s.io/initial-events-end'], 'true');
  });
});
