import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster } from '../../src/server/cluster.js';
import { KubeClient, type KubeObject } from '../../src/client/index.js';
import { buildDisruptedPodMap, countHealthyPods, DELETION_TIMEOUT_MS } from '../../src/controllers/disruption/status.js';
import { labelSelectorString } from '../../src/controllers/disruption/messages.js';
import { scaledValue } from '../../src/controllers/disruption/int-or-percent.js';
import { resetDisruptionCondition, staleDisruptionCondition } from '../../src/controllers/disruption/stale-condition.js';
import { waitFor } from '../support/wait.js';


let cluster: Cluster;
let client: KubeClient;

before(async () => {
  cluster = await startCluster({ leaderElect: false, controllers: ['disruption'] });
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

/** Creates a pod labelled app=web (owned by `owner` if given) and reports it Running with the Ready condition `ready`. */
async function runPod(ns: string, name: string, ready: boolean, owner?: KubeObject): Promise<KubeObject> {
  const ownerReferences = owner
    ? [{ apiVersion: owner.apiVersion as string, kind: owner.kind as string, name: owner.metadata.name as string, uid: owner.metadata.uid as string, controller: true }]
    : undefined;
  await client.pods.create({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { app: 'web' }, ...(ownerReferences ? { ownerReferences } : {}) },
    spec: { containers: [{ name: 'app', image: 'nginx' }] },
  });
  return setReady(ns, name, ready);
}

async function setReady(ns: string, name: string, ready: boolean): Promise<KubeObject> {
  const pod = await client.pods.get(name, ns);
  pod.status = { ...pod.status, phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] };
  return client.pods.updateStatus(pod);
}

async function pdb(ns: string, name: string, spec: Record<string, unknown>): Promise<KubeObject> {
  return client.podDisruptionBudgets.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: ns }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } });
}

const getPdb = (ns: string, name: string) => () => client.podDisruptionBudgets.get(name, ns);
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** The status with the condition's transition time checked and taken out. */
function statusOf(p: KubeObject): any {
  const s = structuredClone(p.status);
  for (const c of s.conditions ?? []) {
    assert.match(c.lastTransitionTime, TIME);
    delete c.lastTransitionTime;
  }
  return s;
}

async function eventsOf(ns: string, name: string): Promise<Array<[string, string, string, string]>> {
  const list = await client.events.list({ namespace: ns });
  return list.items.filter((e) => e.involvedObject?.name === name).map((e) => [e.type, e.reason, e.message, e.source?.component]);
}

const rs = (ns: string, name: string, replicas: number, owner?: KubeObject) => client.replicaSets.create({
  apiVersion: 'apps/v1', kind: 'ReplicaSet',
  metadata: { name, namespace: ns, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: owner.metadata.name as string, uid: owner.metadata.uid as string, controller: true }] } : {}) },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
});

describe('disruption controller', () => {
  test('minAvailable 2 with 3 ready pods allows 1 disruption; one pod turning unready allows 0', async () => {
    const ns = await namespace('pdb-min');
    await runPod(ns, 'a', true);
    await runPod(ns, 'b', true);
    await runPod(ns, 'c', true);
    await pdb(ns, 'web', { minAvailable: 2 });
    let p = await waitFor(getPdb(ns, 'web'), (x) => x.status?.observedGeneration === 1 && x.status?.currentHealthy === 3);
    assert.deepEqual(statusOf(p), {
      observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3,
      conditions: [{ type: 'DisruptionAllowed', status: 'True', observedGeneration: 1, reason: 'SufficientPods', message: '' }],
    });
    await setReady(ns, 'b', false);
    p = await waitFor(getPdb(ns, 'web'), (x) => x.status?.currentHealthy === 2);
    assert.deepEqual(statusOf(p), {
      observedGeneration: 1, disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 3,
      conditions: [{ type: 'DisruptionAllowed', status: 'False', observedGeneration: 1, reason: 'InsufficientPods', message: '' }],
    });
    await client.podDisruptionBudgets.patch('web', { spec: { minAvailable: 1 } }, { namespace: ns });
    p = await waitFor(getPdb(ns, 'web'), (x) => x.status?.observedGeneration === 2);
    assert.deepEqual(statusOf(p), {
      observedGeneration: 2, disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 3,
      conditions: [{ type: 'DisruptionAllowed', status: 'True', observedGeneration: 2, reason: 'SufficientPods', message: '' }],
    });
  });

  test('maxUnavailable and percentages scale against the pods\' controllers (ReplicaSet, Deployment)', async () => {
    const ns = await namespace('pdb-scale');
    const dep = await client.deployments.create({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: ns },
      spec: { replicas: 5, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
    });
    const owned = await rs(ns, 'd-abc', 5, dep);
    const bare = await rs(ns, 'bare', 4);
    await runPod(ns, 'a', true, owned);
    await runPod(ns, 'b', true, owned);
    await runPod(ns, 'c', true, bare);
    await runPod(ns, 'd', false, bare);
    await pdb(ns, 'max', { maxUnavailable: '50%' });
    const p = await waitFor(getPdb(ns, 'max'), (x) => x.status?.observedGeneration === 1);
    // 5 (Deployment) + 4 (ReplicaSet) expected; 50% of 9 rounds up to 5 unavailable.
    assert.deepEqual(statusOf(p), {
      observedGeneration: 1, disruptionsAllowed: 0, currentHealthy: 3, desiredHealthy: 4, expectedPods: 9,
      conditions: [{ type: 'DisruptionAllowed', status: 'False', observedGeneration: 1, reason: 'InsufficientPods', message: '' }],
    });
    await pdb(ns, 'pct', { minAvailable: '20%' });
    const q = await waitFor(getPdb(ns, 'pct'), (x) => x.status?.observedGeneration === 1);
    assert.deepEqual([q.status.expectedPods, q.status.desiredHealthy, q.status.disruptionsAllowed], [9, 2, 1]);
  });

  test('pods without a scalable controller fail safe with SyncFailed; no pods is reported', async () => {
    const ns = await namespace('pdb-fail');
    const ds = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', uid: '0d4f0a2e-0000-4000-8000-000000000001' } };
    await runPod(ns, 'a', true, ds as KubeObject);
    await pdb(ns, 'web', { maxUnavailable: 1 });
    const p = await waitFor(getPdb(ns, 'web'), (x) => (x.status?.conditions ?? []).length === 1);
    assert.deepEqual(statusOf(p), {
      disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0,
      conditions: [{ type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: 'daemonsets.apps does not implement the scale subresource' }],
    });
    await waitFor(() => eventsOf(ns, 'web'), (e) => e.length === 1);
    assert.deepEqual(await eventsOf(ns, 'web'), [['Warning', 'CalculateExpectedPodCountFailed', 'Failed to calculate the number of expected pods: daemonsets.apps does not implement the scale subresource', 'controllermanager']]);
    await client.podDisruptionBudgets.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'none', namespace: ns }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'nothing' } } } });
    const none = await waitFor(getPdb(ns, 'none'), (x) => x.status?.observedGeneration === 1);
    assert.deepEqual([none.status.expectedPods, none.status.disruptionsAllowed, none.status.conditions[0].reason], [0, 0, 'InsufficientPods']);
    await waitFor(() => eventsOf(ns, 'none'), (e) => e.length === 1);
    assert.deepEqual(await eventsOf(ns, 'none'), [['Normal', 'NoPods', 'No matching pods found', 'controllermanager']]);
  });
});

describe('disruption arithmetic (pure)', () => {
  test('percentages round up; other strings fail with upstream\'s message', () => {
    assert.equal(scaledValue('50%', 9, true), 5);
    assert.equal(scaledValue('20%', 9, true), 2);
    assert.equal(scaledValue(3, 9, true), 3);
    assert.throws(() => scaledValue('5', 9, true), { message: 'invalid value for IntOrString: invalid type: string is not a percentage' });
  });

  test('disrupted pods count as unhealthy until their deletion is overdue', () => {
    const now = Date.parse('2024-05-01T10:00:00Z');
    const ready = (name: string) => ({ metadata: { name }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    const pods = [ready('a'), ready('b'), ready('c')];
    const pdbObj = { metadata: { name: 'p' }, status: { disruptedPods: { a: '2024-05-01T09:59:00Z', b: '2024-05-01T09:57:00Z' } } };
    const { disrupted, overdue, recheckAt } = buildDisruptedPodMap(pods, pdbObj, now);
    assert.deepEqual(disrupted, { a: '2024-05-01T09:59:00Z' });
    assert.deepEqual(overdue.map((p) => p.metadata.name), ['b']);
    assert.equal(recheckAt, Date.parse('2024-05-01T09:59:00Z') + DELETION_TIMEOUT_MS);
    assert.equal(countHealthyPods(pods, disrupted, now), 2);
  });

  test('selectors print as Go prints a LabelSelector', () => {
    assert.equal(labelSelectorString({ matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 'k', operator: 'In', values: ['x', 'y'] }] }),
      '&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:k,Operator:In,Values:[x y],},},}');
  });

  test('a DisruptionTarget condition left on a live pod goes stale after two minutes and is reset to False', () => {
    const pod = { metadata: { name: 'p' }, status: { phase: 'Running', conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', lastTransitionTime: '2024-05-01T10:00:00Z' }] } };
    assert.deepEqual(staleDisruptionCondition(pod, Date.parse('2024-05-01T10:01:00Z')), { stale: true, waitMs: 60_000 });
    assert.deepEqual(staleDisruptionCondition(pod, Date.parse('2024-05-01T10:03:00Z')), { stale: true, waitMs: 0 });
    assert.deepEqual(resetDisruptionCondition(pod, '2024-05-01T10:03:00Z').status.conditions, [{ type: 'DisruptionTarget', status: 'False', lastProbeTime: null, lastTransitionTime: '2024-05-01T10:03:00Z' }]);
  });
});
