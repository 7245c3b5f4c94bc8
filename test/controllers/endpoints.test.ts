import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster } from '../../src/server/cluster.js';
import { KubeClient, isNotFound, type KubeObject } from '../../src/client/index.js';
import { repackSubsets } from '../../src/controllers/endpoints/repack.js';
import { truncateSubsets } from '../../src/controllers/endpoints/capacity.js';
import { desiredSubsets } from '../../src/controllers/endpoints/desired.js';
import { waitFor } from '../support/wait.js';


let cluster: Cluster;
let client: KubeClient;

before(async () => {
  cluster = await startCluster({ leaderElect: false, controllers: ['endpoints'] });
  client = new KubeClient(cluster.adminConfig);
  await client.nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } });
  await cluster.controllerManager!.synced();
});

after(async () => {
  client?.close();
  await cluster?.stop();
});

async function namespace(name: string): Promise<string> {
  await client.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

/** Creates a pod `name` (label app=web, named port http=8080), binds it to node-1 and reports it Running. */
async function runPod(ns: string, name: string, ip: string, ready: boolean, labels: Record<string, string> = { app: 'web' }): Promise<KubeObject> {
  const pod = await client.pods.create({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels },
    spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
  });
  await client.pods.createSubresource(name, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } }, ns);
  return setReady(ns, name, ip, ready, pod);
}

/** Plays the kubelet: status Running with `ip` and the Ready condition `ready`. */
async function setReady(ns: string, name: string, ip: string, ready: boolean, _created?: KubeObject): Promise<KubeObject> {
  const pod = await client.pods.get(name, ns);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  pod.status = {
    ...pod.status, phase: 'Running', podIP: ip, podIPs: [{ ip }],
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }],
  };
  return client.pods.updateStatus(pod);
}

const addr = (pod: KubeObject, ip: string) => ({
  ip, nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
});

describe('endpoints controller', () => {
  test('a Service gets Endpoints: ready pods as addresses, unready as notReadyAddresses, named targetPort resolved', async () => {
    const ns = await namespace('ep-basic');
    const svc = await client.services.create({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns, labels: { team: 'a' } },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090, targetPort: 9100 }] },
    });
    const a = await runPod(ns, 'pod-a', '10.1.0.2', true);
    const b = await runPod(ns, 'pod-b', '10.1.0.10', true);
    const c = await runPod(ns, 'pod-c', '10.1.0.3', false);
    await runPod(ns, 'other', '10.1.0.4', true, { app: 'other' });
    const ep = await waitFor(() => client.endpoints.get('web', ns), (e) => e.subsets?.[0]?.addresses?.length === 2 && e.subsets?.[0]?.notReadyAddresses?.length === 1);
    assert.deepEqual(ep.subsets, [{
      addresses: [addr(b, '10.1.0.10'), addr(a, '10.1.0.2')],
      notReadyAddresses: [addr(c, '10.1.0.3')],
      ports: [{ name: 'metrics', port: 9100, protocol: 'TCP' }, { name: 'http', port: 8080, protocol: 'TCP' }],
    }]);
    assert.deepEqual(ep.metadata.labels, { team: 'a' });
    assert.match(ep.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(ep.metadata.ownerReferences, undefined);
    assert.equal(svc.spec.clusterIP !== 'None', true);
  });

  test('readiness changes move addresses between addresses and notReadyAddresses', async () => {
    const ns = await namespace('ep-ready');
    await client.services.create({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] },
    });
    const a = await runPod(ns, 'pod-a', '10.2.0.2', true);
    const b = await runPod(ns, 'pod-b', '10.2.0.3', false);
    await waitFor(() => client.endpoints.get('web', ns), (e) => e.subsets?.[0]?.notReadyAddresses?.length === 1 && e.subsets?.[0]?.addresses?.length === 1);
    await setReady(ns, 'pod-b', '10.2.0.3', true);
    let ep = await waitFor(() => client.endpoints.get('web', ns), (e) => e.subsets?.[0]?.addresses?.length === 2);
    assert.deepEqual(ep.subsets, [{ addresses: [addr(a, '10.2.0.2'), addr(b, '10.2.0.3')], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    await setReady(ns, 'pod-a', '10.2.0.2', false);
    ep = await waitFor(() => client.endpoints.get('web', ns), (e) => e.subsets?.[0]?.notReadyAddresses?.length === 1);
    assert.deepEqual(ep.subsets, [{ addresses: [addr(b, '10.2.0.3')], notReadyAddresses: [addr(a, '10.2.0.2')], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    await client.pods.delete('pod-b', { namespace: ns, gracePeriodSeconds: 0 });
    ep = await waitFor(() => client.endpoints.get('web', ns), (e) => !e.subsets?.[0]?.addresses);
    assert.deepEqual(ep.subsets, [{ notReadyAddresses: [addr(a, '10.2.0.2')], ports: [{ port: 8080, protocol: 'TCP' }] }]);
  });

  test('publishNotReadyAddresses lists unready pods as addresses; a headless service is labelled', async () => {
    const ns = await namespace('ep-headless');
    await client.services.create({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: ns },
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: { app: 'web' }, ports: [{ name: 'sql', port: 5432, targetPort: 5432 }] },
    });
    const a = await runPod(ns, 'pod-a', '10.3.0.2', false);
    const ep = await waitFor(() => client.endpoints.get('db', ns), (e) => e.subsets?.[0]?.addresses?.length === 1);
    assert.deepEqual(ep.subsets, [{ addresses: [addr(a, '10.3.0.2')], ports: [{ name: 'sql', port: 5432, protocol: 'TCP' }] }]);
    assert.deepEqual(ep.metadata.labels, { 'service.kubernetes.io/headless': '' });
  });

  test('Services without a selector are left alone; deleting a Service deletes its Endpoints', async () => {
    const ns = await namespace('ep-delete');
    await client.services.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual', namespace: ns }, spec: { ports: [{ port: 80 }] } });
    await client.endpoints.create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'manual', namespace: ns }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80 }] }] });
    await client.services.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    await waitFor(() => client.endpoints.get('web', ns), (e) => e.metadata.name === 'web');
    await client.services.delete('web', { namespace: ns });
    await waitFor(async () => { try { await client.endpoints.get('web', ns); return false; } catch (err) { if (isNotFound(err)) return true; throw err; } }, (gone) => gone);
    const manual = await client.endpoints.get('manual', ns);
    assert.deepEqual(manual.subsets, [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80, protocol: 'TCP' }] }]);
    const kube = await client.endpoints.get('kubernetes', 'default');
    assert.equal(kube.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], undefined);
  });
});

describe('endpoints subsets (pure)', () => {
  test('ports are ordered by the md5 of their Go rendering, as kube-dns shows: dns-tcp, dns, metrics', () => {
    const out = repackSubsets([{ addresses: [{ ip: '10.244.0.2' }], ports: [
      { name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, protocol: 'TCP' },
    ] }]);
    assert.deepEqual(out[0].ports?.map((p) => p.name), ['dns-tcp', 'dns', 'metrics']);
  });

  test('repacking merges per-pod subsets; not ready wins over ready for the same address and port', () => {
    const ref = (uid: string) => ({ uid });
    const out = repackSubsets([
      { addresses: [{ ip: '5.6.7.8' }], ports: [{ port: 111 }] },
      { notReadyAddresses: [{ ip: '5.6.7.8', targetRef: ref('uid-1') }], ports: [{ port: 111 }] },
      { notReadyAddresses: [{ ip: '1.2.3.4', targetRef: ref('uid-1') }], ports: [{ port: 111 }] },
      { notReadyAddresses: [{ ip: '1.2.3.4' }], ports: [{ port: 111 }] },
      { addresses: [{ ip: '9.9.9.9' }], notReadyAddresses: [{ ip: '9.9.9.9' }], ports: [{ port: 222 }] },
    ]);
    assert.deepEqual(out.length, 2);
    const p111 = out.find((s) => s.ports?.[0].port === 111)!;
    assert.deepEqual(p111, {
      addresses: [{ ip: '5.6.7.8' }],
      notReadyAddresses: [{ ip: '1.2.3.4' }, { ip: '1.2.3.4', targetRef: ref('uid-1') }, { ip: '5.6.7.8', targetRef: ref('uid-1') }],
      ports: [{ port: 111 }],
    });
    assert.deepEqual(out.find((s) => s.ports?.[0].port === 222), { addresses: undefined, notReadyAddresses: [{ ip: '9.9.9.9' }], ports: [{ port: 222 }] });
  });

  test('a headless service without ports keeps its addresses', () => {
    const svc = { metadata: { name: 'h', namespace: 'ns' }, spec: { clusterIP: 'None', selector: { a: 'b' } } };
    const pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec: { nodeName: 'n1' }, status: { phase: 'Running', podIPs: [{ ip: '10.0.0.1' }], conditions: [{ type: 'Ready', status: 'True' }] } };
    const { subsets } = desiredSubsets(svc, [pod]);
    assert.deepEqual(subsets, [{ addresses: [{ ip: '10.0.0.1', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'ns', name: 'p', uid: 'u1' } }], notReadyAddresses: undefined, ports: undefined }]);
  });

  test('over 1000 addresses are truncated in proportion, ready ones first', () => {
    const many = (n: number, base: number) => Array.from({ length: n }, (_, i) => ({ ip: `10.${base}.${Math.floor(i / 256)}.${i % 256}` }));
    const subsets = [
      { addresses: many(600, 1), notReadyAddresses: many(100, 2), ports: [{ port: 1 }] },
      { addresses: many(300, 3), notReadyAddresses: many(300, 4), ports: [{ port: 2 }] },
    ];
    assert.equal(truncateSubsets(subsets), true);
    assert.deepEqual(subsets.map((s) => [s.addresses.length, s.notReadyAddresses.length]), [[600, 25], [300, 75]]);
    const ready = [{ addresses: many(700, 1), ports: [{ port: 1 }] }, { addresses: many(500, 2), notReadyAddresses: many(5, 3), ports: [{ port: 2 }] }];
    assert.equal(truncateSubsets(ready), true);
    assert.deepEqual(ready.map((s) => [s.addresses.length, (s as any).notReadyAddresses.length]), [[584, 0], [416, 0]]);
  });
});
