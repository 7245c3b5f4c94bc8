import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster } from '../../src/server/cluster.js';
import { KubeClient, type KubeObject } from '../../src/client/index.js';
import { planReconcile, reuseDeletedSlices } from '../../src/controllers/endpointslice/reconciler.js';
import { sortPorts } from '../../src/controllers/endpointslice/desired.js';
import { waitFor } from '../support/wait.js';


let cluster: Cluster;
let client: KubeClient;

before(async () => {
  cluster = await startCluster({ leaderElect: false, controllers: ['endpointslice', 'garbagecollector'] });
  client = new KubeClient(cluster.adminConfig);
  await client.nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'topology.kubernetes.io/zone': 'zone-a' } } });
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

/** Creates a pod (label app=web, named port http=8080), binds it to `node` and reports it Running with `ip`. */
async function runPod(ns: string, name: string, ip: string, ready: boolean, node = 'node-1'): Promise<KubeObject> {
  await client.pods.create({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
  });
  await client.pods.createSubresource(name, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: node } }, ns);
  return setReady(ns, name, ip, ready);
}

/** Plays the kubelet: status Running with `ip` and the Ready condition `ready`. */
async function setReady(ns: string, name: string, ip: string, ready: boolean): Promise<KubeObject> {
  const pod = await client.pods.get(name, ns);
  pod.status = {
    ...pod.status, phase: 'Running', podIP: ip, podIPs: [{ ip }],
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }],
  };
  return client.pods.updateStatus(pod);
}

async function slicesOf(ns: string, svc: string): Promise<KubeObject[]> {
  return (await client.endpointSlices.list({ namespace: ns, labelSelector: `kubernetes.io/service-name=${svc}` })).items;
}

const endpoint = (pod: KubeObject, ip: string, ready: boolean) => ({
  addresses: [ip], conditions: { ready, serving: ready, terminating: false },
  targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  nodeName: 'node-1', zone: 'zone-a',
});

const byPodName = (a: any, b: any) => (a.targetRef.name < b.targetRef.name ? -1 : 1);

describe('endpointslice controller', () => {
  test('a Service gets one EndpointSlice owned by it, with conditions, node, zone and resolved ports', async () => {
    const ns = await namespace('es-basic');
    const svc = await client.services.create({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns, labels: { team: 'a' } },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090, targetPort: 9100 }] },
    });
    const a = await runPod(ns, 'pod-a', '10.1.0.2', true);
    const b = await runPod(ns, 'pod-b', '10.1.0.3', false);
    const [slice] = await waitFor(() => slicesOf(ns, 'web'), (s) => s.length === 1 && s[0].endpoints?.length === 2 && s[0].endpoints.every((e: any) => e.addresses?.length === 1));
    assert.match(slice.metadata.name!, /^web-[a-z0-9]{5}$/);
    assert.equal(slice.metadata.generateName, 'web-');
    assert.deepEqual(slice.metadata.labels, {
      team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    assert.deepEqual(slice.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal(slice.addressType, 'IPv4');
    assert.deepEqual(slice.ports, [{ name: 'http', protocol: 'TCP', port: 8080 }, { name: 'metrics', protocol: 'TCP', port: 9100 }]);
    assert.deepEqual([...slice.endpoints].sort(byPodName), [endpoint(a, '10.1.0.2', true), endpoint(b, '10.1.0.3', false)]);
    assert.match(slice.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test('readiness flips update the same slice in place; a deleted pod leaves it', async () => {
    const ns = await namespace('es-ready');
    await client.services.create({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] },
    });
    const a = await runPod(ns, 'pod-a', '10.2.0.2', true);
    const b = await runPod(ns, 'pod-b', '10.2.0.3', false);
    const [first] = await waitFor(() => slicesOf(ns, 'web'), (s) => s.length === 1 && s[0].endpoints?.length === 2 && s[0].endpoints.some((e: any) => e.conditions.ready === false));
    await setReady(ns, 'pod-b', '10.2.0.3', true);
    await setReady(ns, 'pod-a', '10.2.0.2', false);
    let [slice] = await waitFor(() => slicesOf(ns, 'web'), (s) => s.length === 1 && s[0].endpoints?.find((e: any) => e.targetRef.name === 'pod-a')?.conditions.ready === false
      && s[0].endpoints?.find((e: any) => e.targetRef.name === 'pod-b')?.conditions.ready === true);
    assert.equal(slice.metadata.name, first.metadata.name);
    assert.deepEqual([...slice.endpoints].sort(byPodName), [endpoint(a, '10.2.0.2', false), endpoint(b, '10.2.0.3', true)]);
    assert.deepEqual(slice.ports, [{ name: '', protocol: 'TCP', port: 8080 }]);
    await client.pods.delete('pod-a', { namespace: ns, gracePeriodSeconds: 0 });
    [slice] = await waitFor(() => slicesOf(ns, 'web'), (s) => s.length === 1 && s[0].endpoints?.length === 1);
    assert.equal(slice.metadata.name, first.metadata.name);
    assert.deepEqual(slice.endpoints, [endpoint(b, '10.2.0.3', true)]);
  });

  test('a Service without pods gets one empty placeholder slice; one without a selector gets none', async () => {
    const ns = await namespace('es-empty');
    await client.services.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'lonely', namespace: ns }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } });
    await client.services.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual', namespace: ns }, spec: { ports: [{ port: 80 }] } });
    const [slice] = await waitFor(() => slicesOf(ns, 'lonely'), (s) => s.length === 1);
    assert.equal(slice.addressType, 'IPv4');
    assert.equal((slice.endpoints ?? []).length, 0);
    assert.equal((slice.ports ?? []).length, 0);
    // The placeholder is kept, not recreated, on later syncs.
    await client.services.patch('lonely', { metadata: { labels: { tier: 'x' } } }, { namespace: ns });
    const [relabelled] = await waitFor(() => slicesOf(ns, 'lonely'), (s) => s[0]?.metadata.labels?.tier === 'x');
    assert.equal(relabelled.metadata.name, slice.metadata.name);
    assert.deepEqual(await slicesOf(ns, 'manual'), []);
  });

  test('deleting the Service removes its slices through their owner reference', async () => {
    const ns = await namespace('es-delete');
    await client.services.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    await runPod(ns, 'pod-a', '10.4.0.2', true);
    await waitFor(() => slicesOf(ns, 'web'), (s) => s.length === 1 && s[0].endpoints?.length === 1);
    await client.services.delete('web', { namespace: ns });
    assert.deepEqual(await waitFor(() => slicesOf(ns, 'web'), (s) => s.length === 0), []);
  });
});

describe('endpointslice reconciler (pure)', () => {
  const svc = { metadata: { name: 'big', namespace: 'ns', uid: 'svc-uid' }, spec: { selector: { app: 'big' }, clusterIP: '10.96.0.10', ipFamilies: ['IPv4'], ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } };
  const pod = (i: number) => ({
    metadata: { name: `p${i}`, namespace: 'ns', uid: `u${i}`, labels: { app: 'big' } },
    spec: { nodeName: 'n1' },
    status: { phase: 'Running', podIPs: [{ ip: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}` }], conditions: [{ type: 'Ready', status: 'True' }] },
  });
  const node = () => ({ metadata: { name: 'n1' } });

  test('250 endpoints fill slices of 100, 100 and 50', () => {
    const plan = planReconcile({ service: svc, pods: Array.from({ length: 250 }, (_, i) => pod(i)), slices: [], node, maxEndpointsPerSlice: 100 });
    assert.equal(plan.byAddressType.length, 1);
    assert.deepEqual(plan.byAddressType[0].create.map((s) => s.endpoints.length), [100, 100, 50]);
    assert.deepEqual(plan.byAddressType[0].errors, []);
  });

  test('pods on a missing node are skipped with upstream\'s message', () => {
    const plan = planReconcile({ service: svc, pods: [pod(1), pod(2)], slices: [], node: () => undefined, maxEndpointsPerSlice: 100 });
    assert.deepEqual(plan.byAddressType[0].errors, ['skipping Pod p1 for Service ns/big: Node n1 Not Found', 'skipping Pod p2 for Service ns/big: Node n1 Not Found']);
    assert.deepEqual(plan.byAddressType[0].create.map((s) => s.endpoints.length), [0]);
  });

  test('new endpoints go into the unchanged slice closest to full; a replaced slice is reused by name', () => {
    const existing = planReconcile({ service: svc, pods: Array.from({ length: 130 }, (_, i) => pod(i)), slices: [], node, maxEndpointsPerSlice: 100 }).byAddressType[0].create
      .map((s, i) => ({ ...s, metadata: { ...s.metadata, name: `big-${i}`, uid: `s${i}` } }));
    const plan = planReconcile({ service: svc, pods: Array.from({ length: 135 }, (_, i) => pod(i)), slices: existing, node, maxEndpointsPerSlice: 100 }).byAddressType[0];
    assert.deepEqual(plan.create, []);
    assert.deepEqual(plan.update.map((s) => [s.metadata.name, s.endpoints.length]), [['big-1', 35]]);
    const other = { ...existing[0], metadata: { ...existing[0].metadata, name: 'old-port' }, ports: [{ name: '', protocol: 'TCP', port: 9 }] };
    const replaced = reuseDeletedSlices(planReconcile({ service: svc, pods: [pod(0)], slices: [other], node, maxEndpointsPerSlice: 100 }).byAddressType[0], svc);
    assert.deepEqual([replaced.create.length, replaced.delete.length, replaced.update.map((s) => s.metadata.name)], [0, 0, ['old-port']]);
  });

  test('slice ports are ordered by the FNV-128a of their Go rendering', () => {
    const ports = sortPorts([{ name: 'metrics', protocol: 'TCP', port: 9153 }, { name: 'dns-tcp', protocol: 'TCP', port: 53 }, { name: 'dns', protocol: 'UDP', port: 53 }]);
    assert.deepEqual(ports.map((p) => p.name), ['dns', 'dns-tcp', 'metrics']);
  });
});
