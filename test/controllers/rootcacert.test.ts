/**
 * The root CA publisher against an in-process API server: `kube-root-ca.crt` with the cluster
 * CA in every namespace, put back when changed or deleted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { InformerFactory } from '../../src/client/cache/informer-factory.js';
import { StatusError } from '../../src/client/errors.js';
import { CONFIGMAPS } from '../../src/client/kinds.js';
import { KubeClient } from '../../src/client/kube-client.js';
import type { KubeObject } from '../../src/client/object.js';
import { RootCaPublisher } from '../../src/controllers/rootcacert/index.js';
import { startCluster, type Cluster } from '../../src/server/cluster.js';

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const DESCRIPTION = 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

describe('root-ca-cert-publisher', () => {
  let cluster: Cluster;
  let c: KubeClient;
  let ca: string;

  before(async () => {
    cluster = await startCluster({ controllers: ['root-ca-cert-publisher'], leaderElect: false });
    ca = cluster.credentials.ca;
    await cluster.controllerManager!.synced();
    c = new KubeClient(cluster.adminConfig);
  });
  after(async () => {
    c.close();
    await cluster.stop();
  });

  const published = (ns: string) => until(`kube-root-ca.crt in ${ns}`, async () => {
    const cm = await c.configMaps.get('kube-root-ca.crt', ns).catch(() => undefined);
    return cm && isDeepStrictEqual(cm.data, { 'ca.crt': ca }) && cm.metadata.annotations?.['kubernetes.io/description'] === DESCRIPTION ? cm : undefined;
  });

  it('publishes the CA with its description in the system namespaces and in a new one', async () => {
    assert.match(ca, /^-----BEGIN CERTIFICATE-----\n/);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) await published(ns);
    await c.namespaces.create({ metadata: { name: 'fresh' } });
    const cm: KubeObject = await published('fresh');
    assert.deepEqual(cm.data, { 'ca.crt': ca });
    assert.deepEqual(cm.metadata.annotations, { 'kubernetes.io/description': DESCRIPTION });
  });

  it('puts back changed data, an extra key and a removed description', async () => {
    const before = await published('default');
    await c.configMaps.patch('kube-root-ca.crt', { data: { 'ca.crt': 'forged', extra: 'x' } }, { namespace: 'default' });
    const restored = await published('default');
    assert.notEqual(restored.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.deepEqual(restored.data, { 'ca.crt': ca });
    await c.configMaps.patch('kube-root-ca.crt', { metadata: { annotations: { 'kubernetes.io/description': null, mine: 'kept' } } }, { namespace: 'default' });
    const annotated = await until('the description back', async () => {
      const cm = await c.configMaps.get('kube-root-ca.crt', 'default');
      return cm.metadata.annotations?.['kubernetes.io/description'] ? cm : undefined;
    });
    assert.deepEqual(annotated.metadata.annotations, { 'kubernetes.io/description': DESCRIPTION, mine: 'kept' });
  });

  it('creates it again when it is deleted', async () => {
    const first = await published('kube-public');
    await c.configMaps.delete('kube-root-ca.crt', { namespace: 'kube-public' });
    const second = await until('recreated', async () => {
      const cm = await c.configMaps.get('kube-root-ca.crt', 'kube-public').catch(() => undefined);
      return cm && cm.metadata.uid !== first.metadata.uid ? cm : undefined;
    });
    assert.deepEqual(second.data, { 'ca.crt': ca });
    assert.deepEqual(second.metadata.annotations, { 'kubernetes.io/description': DESCRIPTION });
  });
});

describe('root-ca-cert-publisher sync', () => {
  /** A publisher over a hand-filled cache (never started) and a client that records writes. */
  const rig = (cm?: KubeObject, fail?: StatusError) => {
    const writes: Array<[string, KubeObject]> = [];
    const record = (verb: string) => async (obj: KubeObject) => {
      if (fail) throw fail;
      writes.push([verb, obj]);
      return obj;
    };
    const client = { configMaps: { create: record('create'), update: record('update') } } as unknown as KubeClient;
    const informers = new InformerFactory(new KubeClient({ server: 'https://127.0.0.1:9', caPem: '' }));
    const publisher = new RootCaPublisher({ client, informers, rootCaPem: 'PEM' });
    if (cm) informers.informer(CONFIGMAPS).store.set(cm);
    return { publisher, writes };
  };
  const refusal = (code: number, reason: string, causes: unknown[] = []) =>
    new StatusError(code, { kind: 'Status', status: 'Failure', code, reason, message: `refused (${reason})`, details: { causes: causes as never } });
  const cm = (data: Record<string, string>, annotations?: Record<string, string>): KubeObject =>
    ({ metadata: { name: 'kube-root-ca.crt', namespace: 'ns1', resourceVersion: '7', ...(annotations ? { annotations } : {}) }, data });

  it('creates the ConfigMap when the cache has none', async () => {
    const { publisher, writes } = rig();
    await publisher.sync('ns1');
    assert.deepEqual(writes, [['create', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'ns1', annotations: { 'kubernetes.io/description': DESCRIPTION } }, data: { 'ca.crt': 'PEM' },
    }]]);
  });

  it('leaves a matching ConfigMap alone and rewrites one that differs', async () => {
    const same = rig(cm({ 'ca.crt': 'PEM' }, { 'kubernetes.io/description': 'anything' }));
    await same.publisher.sync('ns1');
    assert.deepEqual(same.writes, []);
    const stale = rig(cm({ 'ca.crt': 'OLD', x: 'y' }, { other: 'z' }));
    await stale.publisher.sync('ns1');
    assert.deepEqual(stale.writes, [['update', cm({ 'ca.crt': 'PEM' }, { other: 'z', 'kubernetes.io/description': DESCRIPTION })]]);
  });

  it('gives up quietly when the namespace is gone or terminating, and fails on anything else', async () => {
    await rig(undefined, refusal(404, 'NotFound')).publisher.sync('ns1');
    await rig(undefined, refusal(403, 'Forbidden', [{ reason: 'NamespaceTerminating', message: 'namespace ns1 is being terminated', field: 'metadata.namespace' }])).publisher.sync('ns1');
    await assert.rejects(rig(undefined, refusal(403, 'Forbidden')).publisher.sync('ns1'), { message: 'refused (Forbidden)' });
  });
});
