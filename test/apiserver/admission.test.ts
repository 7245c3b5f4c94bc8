import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from './harness.js';

const PODS = '/api/v1/namespaces/default/pods';

function pod(name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }], ...spec } };
}

describe('the admission chain', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.stop(); });

  it('creates the two system priority classes at startup', async () => {
    const r = await h.client.request('GET', '/apis/scheduling.k8s.io/v1/priorityclasses');
    assert.deepEqual(r.json.items.map((c: { metadata: { name: string }; value: number }) => [c.metadata.name, c.value]),
      [['system-cluster-critical', 2000000000], ['system-node-critical', 2000001000]]);
  });

  it('gives a pod its service account, default tolerations and priority', async () => {
    const r = await h.client.request('POST', PODS, pod('plain'));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.spec.serviceAccountName, 'default');
    assert.equal(r.json.spec.serviceAccount, 'default');
    assert.deepEqual(r.json.spec.tolerations, [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    assert.equal(r.json.spec.priority, 0);
    assert.equal(r.json.spec.preemptionPolicy, 'PreemptLowerPriority');
    const critical = await h.client.request('POST', PODS, pod('critical', { priorityClassName: 'system-node-critical' }));
    assert.equal(critical.json.spec.priority, 2000001000);
  });

  it('refuses a pod naming a missing class, or a priority of its own', async () => {
    const missing = await h.client.request('POST', PODS, pod('lost', { priorityClassName: 'gold' }));
    assert.equal(missing.status, 403);
    assert.equal(missing.json.message, 'pods "lost" is forbidden: no PriorityClass with name gold was found');
    const own = await h.client.request('POST', PODS, pod('own', { priority: 5 }));
    assert.equal(own.status, 403);
    assert.equal(own.json.message, 'pods "own" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name');
  });

  it('uses the global default class for pods that name none', async () => {
    const pc = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'everyone' }, value: 1000, globalDefault: true };
    assert.equal((await h.client.request('POST', '/apis/scheduling.k8s.io/v1/priorityclasses', pc)).status, 201);
    const r = await h.client.request('POST', PODS, pod('defaulted'));
    assert.equal(r.json.spec.priorityClassName, 'everyone');
    assert.equal(r.json.spec.priority, 1000);
  });
});
