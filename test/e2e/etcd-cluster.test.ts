/**
 * Clusters that outgrow one machine: two `tskube server` processes on one 3-member etcd cluster
 * serve the same data; a watch on one sees writes made through the other; with one etcd member
 * killed, writes are still acknowledged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configMap, eventually, TestClient, type WatchLine } from '../support/client.js';
import { removeDir, startServerProcess, type ServerProcess } from '../support/process.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd.js';

const CM = '/api/v1/namespaces/default/configmaps';

describe('two API servers on a 3-member etcd cluster', () => {
  let etcd: EtcdCluster;
  let a: ServerProcess;
  let b: ServerProcess;
  let ca: TestClient;
  let cb: TestClient;

  before(async () => {
    etcd = await startEtcdCluster(3);
    const args = ['--storage', 'etcd', '--etcd-servers', etcd.endpoints.join(',')];
    a = await startServerProcess({ command: 'server', args });
    // The second server shares the first one's data directory, so both use the same cluster CA.
    b = await startServerProcess({ command: 'server', args, dataDir: a.dataDir });
    ca = new TestClient(a.credentials);
    cb = new TestClient(b.credentials);
  });
  after(async () => {
    ca?.close();
    cb?.close();
    await a?.stop();
    await b?.stop();
    await etcd?.stop();
    if (a) await removeDir(a.dataDir);
  });

  it('serves the same objects from both servers', async () => {
    const created = await ca.request('POST', CM, configMap('shared', { from: 'a' }));
    assert.equal(created.status, 201);
    const got = await cb.request('GET', `${CM}/shared`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.json, created.json);
  });

  it('a watch on one server sees writes made through the other, in order', async () => {
    const rv = (await cb.request('GET', CM)).json.metadata.resourceVersion;
    const seen: WatchLine[] = [];
    const w = await cb.watch(`${CM}?watch=true&resourceVersion=${rv}`, (e) => seen.push(e));
    const rvs: string[] = [];
    for (let i = 0; i < 5; i++) rvs.push((await ca.request('POST', CM, configMap(`via-a-${i}`))).json.metadata.resourceVersion);
    await eventually(() => seen.length >= 5, 10_000, 'five events on the other server');
    w.stop();
    assert.deepEqual(seen.map((e) => [e.type, e.object.metadata.name]), [0, 1, 2, 3, 4].map((i) => ['ADDED', `via-a-${i}`]));
    assert.deepEqual(seen.map((e) => e.object.metadata.resourceVersion), rvs);
  });

  it('an update through one server conflicts with a stale update through the other', async () => {
    const cur = (await ca.request('GET', `${CM}/shared`)).json;
    assert.equal((await cb.request('PUT', `${CM}/shared`, { ...cur, data: { from: 'b' } })).status, 200);
    const stale = await ca.request('PUT', `${CM}/shared`, { ...cur, data: { from: 'a again' } });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.reason, 'Conflict');
  });

  it('keeps acknowledging writes with one etcd member killed', async () => {
    etcd.members[0].kill();
    for (let i = 0; i < 10; i++) {
      const client = i % 2 === 0 ? ca : cb;
      const r = await client.request('POST', CM, configMap(`after-kill-${i}`));
      assert.equal(r.status, 201, r.text);
    }
    const list = await cb.request('GET', CM);
    assert.equal(list.json.items.filter((x: any) => x.metadata.name.startsWith('after-kill-')).length, 10);
  });
});
