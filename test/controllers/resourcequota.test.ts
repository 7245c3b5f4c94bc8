import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startCluster, type Cluster } from '../../src/server/cluster.js';
import { KubeClient, type KubeObject } from '../../src/client/index.js';
import { formatQuantity, parseQuantity, add } from '../../src/controllers/resourcequota/quantity.js';
import { podUsage } from '../../src/controllers/resourcequota/pod-usage.js';
import { resourceListJson } from '../../src/controllers/resourcequota/resource-list.js';
import { waitFor } from '../support/wait.js';


let cluster: Cluster;
let client: KubeClient;

before(async () => {
  cluster = await startCluster({ leaderElect: false, controllers: ['resourcequota'], controllerOptions: { resourceQuotaSyncPeriodMs: 300 } });
  client = new KubeClient(cluster.adminConfig);
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

const container = (name: string, requests?: Record<string, string>, limits?: Record<string, string>) => ({
  name, image: 'nginx', ...(requests || limits ? { resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } } : {}),
});

async function pod(ns: string, name: string, containers: unknown[]): Promise<KubeObject> {
  return client.pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { containers } });
}

const HARD = {
  pods: '4', 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '2Gi',
  configmaps: '5', 'count/configmaps': '5', secrets: '10', services: '3', 'services.nodeports': '4', 'services.loadbalancers': '1',
  persistentvolumeclaims: '2', 'requests.storage': '10Gi', replicationcontrollers: '2', resourcequotas: '1', 'count/deployments.apps': '2',
};

const sorted = (m: Record<string, string> | undefined) => JSON.stringify(Object.entries(m ?? {}).sort());
const sameUsed = (want: Record<string, string>) => (q: KubeObject) => q.status?.used !== undefined && sorted(q.status.used) === sorted(want);

describe('resourcequota controller', () => {
  test('status.hard mirrors spec.hard and status.used counts what the namespace holds', async () => {
    const ns = await namespace('rq-usage');
    await client.resourceQuotas.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute', namespace: ns }, spec: { hard: HARD } });
    const empty = await waitFor(() => client.resourceQuotas.get('compute', ns), (q) => Object.keys(q.status?.used ?? {}).length === 16);
    assert.deepEqual(empty.status, {
      hard: HARD,
      used: {
        configmaps: '0', 'count/configmaps': '0', 'count/deployments.apps': '0', 'limits.cpu': '0', 'limits.memory': '0', persistentvolumeclaims: '0',
        pods: '0', replicationcontrollers: '0', 'requests.cpu': '0', 'requests.memory': '0', 'requests.storage': '0', resourcequotas: '1', secrets: '0',
        services: '0', 'services.loadbalancers': '0', 'services.nodeports': '0',
      },
    });
    await pod(ns, 'p1', [container('a', { cpu: '250m', memory: '64Mi' }, { cpu: '500m', memory: '128Mi' })]);
    await pod(ns, 'p2', [container('a', { cpu: '100m', memory: '192Mi' })]);
    await pod(ns, 'done', [container('a', { cpu: '1', memory: '1Gi' })]);
    const done = await client.pods.get('done', ns);
    done.status = { ...done.status, phase: 'Succeeded' };
    await client.pods.updateStatus(done);
    await client.services.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'cip', namespace: ns }, spec: { ports: [{ port: 80 }] } });
    await client.services.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'np', namespace: ns }, spec: { type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] } });
    await client.services.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb', namespace: ns }, spec: { type: 'LoadBalancer', ports: [{ port: 443 }] } });
    await client.configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1', namespace: ns }, data: { a: 'b' } });
    await client.configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c2', namespace: ns } });
    await client.secrets.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1', namespace: ns }, stringData: { k: 'v' } });
    await client.persistentVolumeClaims.create({
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: ns },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
    });
    await client.deployments.create({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: ns },
      spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [container('a')] } } },
    });
    const want = {
      configmaps: '2', 'count/configmaps': '2', 'count/deployments.apps': '1', 'limits.cpu': '500m', 'limits.memory': '128Mi', persistentvolumeclaims: '1',
      pods: '2', replicationcontrollers: '0', 'requests.cpu': '350m', 'requests.memory': '256Mi', 'requests.storage': '5Gi', resourcequotas: '1', secrets: '1',
      services: '3', 'services.loadbalancers': '1', 'services.nodeports': '3',
    };
    await waitFor(() => client.resourceQuotas.get('compute', ns), sameUsed(want));
    await client.pods.delete('p1', { namespace: ns, gracePeriodSeconds: 0 });
    await waitFor(() => client.resourceQuotas.get('compute', ns), sameUsed({ ...want, pods: '1', 'requests.cpu': '100m', 'requests.memory': '192Mi', 'limits.cpu': '0', 'limits.memory': '0' }));
  });

  test('a full resync corrects a status nobody else would touch again', async () => {
    const ns = await namespace('rq-resync');
    await client.resourceQuotas.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: ns }, spec: { hard: { secrets: '3' } } });
    const q = await waitFor(() => client.resourceQuotas.get('q', ns), sameUsed({ secrets: '0' }));
    q.status = { hard: { secrets: '3' }, used: { secrets: '2' } };
    await client.resourceQuotas.updateStatus(q);
    await waitFor(() => client.resourceQuotas.get('q', ns), sameUsed({ secrets: '0' }));
  });

  test('kubectl describe quota shows used against hard', async () => {
    const ns = await namespace('rq-describe');
    await client.resourceQuotas.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'small', namespace: ns }, spec: { hard: { pods: '2', 'requests.cpu': '500m' } } });
    await pod(ns, 'p', [container('a', { cpu: '200m' })]);
    await waitFor(() => client.resourceQuotas.get('small', ns), sameUsed({ pods: '1', 'requests.cpu': '200m' }));
    const { stdout } = await promisify(execFile)('/usr/lib/google-cloud-sdk/bin/kubectl.1.32', ['--kubeconfig', cluster.kubeconfigPath, 'describe', 'quota', 'small', '-n', ns]);
    assert.equal(stdout, [
      'Name:         small',
      `Namespace:    ${ns}`,
      'Resource      Used  Hard',
      '--------      ----  ----',
      'pods          1     2',
      'requests.cpu  200m  500m',
      '',
    ].join('\n'));
  });
});

describe('quota arithmetic (pure)', () => {
  test('quantities add in the first non-zero operand\'s format and print canonically', () => {
    const sum = (...xs: string[]) => formatQuantity(xs.map((x) => parseQuantity(x)!).reduce(add, parseQuantity('0')!));
    assert.equal(sum('64Mi', '192Mi'), '256Mi');
    assert.equal(sum('250m', '750m'), '1');
    assert.equal(sum('1.5Gi'), '1536Mi');
    assert.equal(sum('1024k', '64Mi'), '68132864');
    assert.equal(sum('64Mi', '1024k'), '66536Ki');
    assert.equal(sum('100M', '64Mi'), '167108864');
    assert.equal(sum('500', '524'), '1024');
    assert.equal(sum('1e3', '1e3'), '2e3');
  });

  test('a pod charges its containers, the larger of its init containers, and sidecars', () => {
    const p = {
      metadata: { name: 'p' },
      spec: {
        initContainers: [
          { name: 'init', resources: { requests: { cpu: '2' } } },
          { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '100m', memory: '10Mi' }, limits: { memory: '20Mi' } } },
        ],
        containers: [{ name: 'a', resources: { requests: { cpu: '200m', 'example.com/gpu': '1', 'hugepages-2Mi': '4Mi' } } }],
        overhead: { cpu: '10m' },
      },
      status: { phase: 'Running' },
    };
    assert.deepEqual(resourceListJson(podUsage(p as any, Date.now())), {
      'count/pods': '1', cpu: '2010m', 'hugepages-2Mi': '4Mi', 'limits.memory': '20Mi', memory: '10Mi', pods: '1',
      'requests.cpu': '2010m', 'requests.example.com/gpu': '1', 'requests.hugepages-2Mi': '4Mi', 'requests.memory': '10Mi',
    });
    assert.deepEqual(resourceListJson(podUsage({ ...p, status: { phase: 'Failed' } } as any, Date.now())), { 'count/pods': '1' });
  });
});
