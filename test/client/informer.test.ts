import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from '../../src/client/kube-client.js';
import { CONFIGMAPS } from '../../src/client/kinds.js';
import { InformerFactory } from '../../src/client/cache/informer-factory.js';
import type { SharedInformer } from '../../src/client/cache/informer.js';
import type { ReflectorState } from '../../src/client/cache/reflector.js';
import { isNotFound, StatusError } from '../../src/client/errors.js';
import { startCluster, type Cluster } from '../../src/server/cluster.js';
import { freePort, removeDir, startServerProcess, type ServerProcess } from '../support/process.js';
import { eventually } from '../support/client.js';

const cm = (name: string, data: Record<string, string> = {}) => ({ metadata: { name, namespace: 'default' }, data });

/** Records what an informer's handlers hear, as `type name` lines. */
function record(inf: SharedInformer) {
  const heard: string[] = [];
  inf.addEventHandler({
    onAdd: (o) => heard.push(`add ${o.metadata.name}`),
    onUpdate: (a, b) => heard.push(`update ${b.metadata.name} ${a.data?.v ?? '-'}->${b.data?.v ?? '-'}`),
    onDelete: (o) => heard.push(`delete ${o.metadata.name}`),
  });
  return heard;
}

describe('client: resources and informers in-process', () => {
  let cluster: Cluster;
  let client: KubeClient;
  before(async () => {
    cluster = await startCluster();
    client = new KubeClient(cluster.adminConfig);
  });
  after(async () => { client.close(); await cluster.stop(); });

  it('does CRUD and answers failures as StatusErrors with upstream reasons', async () => {
    const made = await client.configMaps.create(cm('one', { v: '1' }));
    assert.equal(made.metadata.name, 'one');
    await client.configMaps.patch('one', { data: { v: '2' } }, { namespace: 'default' });
    assert.equal((await client.configMaps.get('one', 'default')).data.v, '2');
    await assert.rejects(client.configMaps.update({ ...made, data: { v: 'stale' } }), (e: unknown) => {
      assert.ok(e instanceof StatusError);
      assert.equal(e.code, 409);
      assert.equal(e.reason, 'Conflict');
      assert.equal(e.message, 'Operation cannot be fulfilled on configmaps "one": the object has been modified; please apply your changes to the latest version and try again');
      return true;
    });
    await client.configMaps.delete('one', { namespace: 'default' });
    await assert.rejects(client.configMaps.get('one', 'default'), (e) => isNotFound(e) && (e as Error).message === 'configmaps "one" not found');
  });

  it('lists, then hears adds, updates and deletes; a late handler hears every known object as added', async () => {
    await client.configMaps.create(cm('before', { v: '0' }));
    const factory = new InformerFactory(client);
    const inf = factory.informer(CONFIGMAPS, { namespace: 'default' });
    assert.equal(factory.informer(CONFIGMAPS, { namespace: 'default' }), inf, 'one informer per selection');
    const heard = record(inf);
    factory.start();
    await factory.waitForSync();
    assert.deepEqual(heard, ['add before']);
    await client.configMaps.create(cm('x', { v: '1' }));
    await client.configMaps.patch('x', { data: { v: '2' } }, { namespace: 'default' });
    await client.configMaps.delete('x', { namespace: 'default' });
    await eventually(() => heard.length === 4, 5000, 'four events');
    assert.deepEqual(heard, ['add before', 'add x', 'update x 1->2', 'delete x']);
    assert.deepEqual(inf.store.keys(), ['default/before']);
    assert.equal(inf.store.byIndex('namespace', 'default').length, 1);
    const late: string[] = [];
    inf.addEventHandler({ onAdd: (o) => late.push(o.metadata.name!) });
    assert.deepEqual(late, ['before']);
    await factory.stop();
    assert.equal(inf.state, 'stopped');
  });
});

describe('client: stopping', () => {
  let cluster: Cluster;
  let client: KubeClient;
  before(async () => {
    cluster = await startCluster();
    client = new KubeClient(cluster.adminConfig);
  });
  after(async () => { client.close(); await cluster.stop(); });

  it('an informer stopped while it lists never starts its watch, and its stop resolves', async () => {
    const states: string[] = [];
    const factory = new InformerFactory(client, { onState: (s: ReflectorState) => states.push(s) });
    const inf = factory.informer(CONFIGMAPS);
    factory.start();
    assert.equal(inf.state, 'listing');
    const stopped = await Promise.race([factory.stop().then(() => 'stopped'), new Promise((r) => setTimeout(() => r('still running after 5 s'), 5000))]);
    assert.equal(stopped, 'stopped');
    assert.deepEqual(states, ['listing', 'stopped']);
  });
});

describe('client: an informer survives its API server', () => {
  let dataDir: string;
  let port: number;
  let server: ServerProcess;
  let client: KubeClient;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tskube-informer-'));
    port = await freePort();
    server = await startServerProcess({ command: 'server', dataDir, port });
    const c = server.credentials;
    client = new KubeClient({ server: c.server, caPem: c.ca, certPem: c.cert, keyPem: c.key });
  });
  after(async () => {
    client.close();
    await server.stop();
    await removeDir(dataDir);
  });

  it('resumes after the server is killed mid-watch and restarted, and converges with no user code', async () => {
    for (const n of ['keep', 'change', 'drop']) await client.configMaps.create(cm(n, { v: '1' }));
    const states: string[] = [];
    const factory = new InformerFactory(client, { backoffInitialMs: 200, backoffMaxMs: 1000, log: () => {}, onState: (s: ReflectorState) => states.push(s) });
    try {
      const inf = factory.informer(CONFIGMAPS, { namespace: 'default' });
      const heard = record(inf);
      factory.start();
      await factory.waitForSync();
      await eventually(() => inf.state === 'watching', 5000, 'watching');
      await server.kill();
      await eventually(() => inf.state === 'backoff', 5000, 'the informer to notice');
      server = await startServerProcess({ command: 'server', dataDir, port });
      await client.configMaps.patch('change', { data: { v: '2' } }, { namespace: 'default' });
      await client.configMaps.delete('drop', { namespace: 'default' });
      await client.configMaps.create(cm('new', { v: '1' }));
      await eventually(() => inf.store.size === 3 && inf.store.get('default/change')?.data.v === '2', 15_000, 'convergence');
      assert.deepEqual(inf.store.keys().sort(), ['default/change', 'default/keep', 'default/new']);
      assert.deepEqual(heard.slice(0, 3), ['add change', 'add drop', 'add keep']);
      assert.deepEqual(heard.slice(3).sort(), ['add new', 'delete drop', 'update change 1->2']);
      assert.ok(states.includes('backoff'));
      assert.equal(inf.state, 'watching');
    } finally {
      await factory.stop();
    }
  });

  it('lists again when its resourceVersion was compacted away while it was disconnected', async () => {
    const reasons: string[] = [];
    const factory = new InformerFactory(client, {
      backoffInitialMs: 8000, backoffMaxMs: 8000, log: () => {},
      onState: (s: ReflectorState, reason: string) => reasons.push(`${s}: ${reason}`),
    });
    try {
      const inf = factory.informer(CONFIGMAPS, { namespace: 'default' });
      factory.start();
      await factory.waitForSync();
      await eventually(() => inf.state === 'watching', 5000, 'watching');
      const known = Number(inf.resourceVersion);
      await server.kill();
      await eventually(() => inf.state === 'backoff', 5000, 'the informer to notice');
      // While the informer waits, the server comes back, takes writes, compacts past the
      // informer's resourceVersion and restarts, so no watch can start from it any more.
      server = await startServerProcess({ command: 'server', dataDir, port, args: ['--etcd-compaction-interval', '100ms'] });
      for (let i = 0; i < 10; i++) await client.configMaps.create(cm(`late-${i}`));
      await eventually(async () => {
        const r = await client.configMaps.list({ namespace: 'default', resourceVersion: String(known), resourceVersionMatch: 'Exact' }).then(() => 'ok', (e) => e);
        return r instanceof StatusError && r.code === 410;
      }, 10_000, 'compaction past the informer');
      await server.kill();
      server = await startServerProcess({ command: 'server', dataDir, port });
      assert.equal(inf.state, 'backoff', 'still waiting to reconnect');
      await eventually(() => inf.store.size === 13, 20_000, 'convergence after a relist');
      assert.deepEqual(reasons.slice(0, 3), [
        'listing: start', `watching: from resourceVersion ${known}`, 'backoff: ECONNRESET: read ECONNRESET',
      ]);
      const relist = reasons.find((r) => r.startsWith('listing: resourceVersion expired'));
      assert.match(relist ?? reasons.join('\n'), /^listing: resourceVersion expired: too old resource version: \d+ \(\d+\)$/);
      assert.equal(inf.state, 'watching');
    } finally {
      await factory.stop();
    }
  });
});
