/**
 * The replicaset controller against a real API server (with the deployment controller beside it,
 * no scheduler or kubelet): pod creation and naming, adoption and release, victim choice on scale
 * down, ReplicaFailure, and no double creation while the cache catches up.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KubeObject } from '../../src/client/index.js';
import { createNamespace, makePodReady, startWorkloadCluster, waitEventLine, waitEventLines, waitFor, type WorkloadCluster } from './deployment-harness.js';

const NS = 'rs';
let w: WorkloadCluster;
before(async () => {
  w = await startWorkloadCluster();
  await createNamespace(w.client, NS);
});
after(async () => { await w?.stop(); });

function replicaSet(name: string, replicas: number, extraSpec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: NS },
    spec: {
      replicas, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name, tier: 'x' } }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'nginx:1' }], ...extraSpec } },
    },
  };
}

async function podsOf(name: string): Promise<KubeObject[]> {
  const list = await w.client.pods.list({ namespace: NS, labelSelector: `app=${name}` });
  return list.items.filter((p) => !p.metadata.deletionTimestamp).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
}

async function statusOnce(name: string, check: (s: any) => boolean): Promise<any> {
  return waitFor(`status of ${name}`, async () => {
    const rs = await w.client.replicaSets.get(name, NS);
    return rs.status && check(rs.status) ? rs.status : undefined;
  });
}

describe('replicaset controller', () => {
  test('creates named, owned pods and reports them', async () => {
    const { client } = w;
    const rs = await client.replicaSets.create(replicaSet('plain', 3));
    const pods = await waitFor('3 pods', async () => ((await podsOf('plain')).length === 3 ? podsOf('plain') : undefined));
    for (const p of pods) {
      assert.match(p.metadata.name!, /^plain-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'plain', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      assert.deepEqual(p.metadata.labels, { app: 'plain', tier: 'x' });
    }
    assert.deepEqual(await statusOnce('plain', (s) => s.replicas === 3), { replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
    await makePodReady(client, NS, pods[0].metadata.name!);
    assert.deepEqual(await statusOnce('plain', (s) => s.readyReplicas === 1), { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 });
    assert.deepEqual((await waitEventLines(client, NS, 'ReplicaSet', 'plain', 3)).sort(),
      pods.map((p) => `replicaset-controller SuccessfulCreate: Created pod: ${p.metadata.name}`).sort());
  });

  test('replaces a deleted pod', async () => {
    const { client } = w;
    const [victim] = await podsOf('plain');
    await client.pods.delete(victim.metadata.name!, { namespace: NS });
    const pods = await waitFor('a replacement', async () => {
      const p = await podsOf('plain');
      return p.length === 3 && !p.some((x) => x.metadata.name === victim.metadata.name) ? p : undefined;
    });
    assert.equal(pods.length, 3);
  });

  test('adopts a matching orphan and releases a pod whose labels stop matching', async () => {
    const { client } = w;
    const orphan = await client.pods.create({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', namespace: NS, labels: { app: 'adopt', tier: 'x' } },
      spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'nginx:1' }] },
    });
    const rs = await client.replicaSets.create(replicaSet('adopt', 2));
    const pods = await waitFor('2 pods', async () => {
      const p = await podsOf('adopt');
      return p.length === 2 && p.every((x) => x.metadata.ownerReferences?.length) ? p : undefined;
    });
    const adopted = pods.find((p) => p.metadata.name === 'orphan')!;
    assert.equal(adopted.metadata.uid, orphan.metadata.uid);
    assert.deepEqual(adopted.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'adopt', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(await waitEventLines(client, NS, 'ReplicaSet', 'adopt', 1),
      [`replicaset-controller SuccessfulCreate: Created pod: ${pods.find((p) => p.metadata.name !== 'orphan')!.metadata.name}`]);

    await client.pods.patch('orphan', { metadata: { labels: { app: 'elsewhere' } } }, { namespace: NS });
    const released = await waitFor('release', async () => {
      const p = await client.pods.get('orphan', NS);
      return (p.metadata.ownerReferences ?? []).length === 0 ? p : undefined;
    });
    assert.equal(released.metadata.ownerReferences, undefined);
    await waitFor('a replacement for the released pod', async () => ((await podsOf('adopt')).length === 2 ? true : undefined));
    await client.pods.delete('orphan', { namespace: NS });
  });

  test('scaling down deletes the pods that are not ready first', async () => {
    const { client } = w;
    await client.replicaSets.create(replicaSet('shrink', 3));
    const pods = await waitFor('3 pods', async () => ((await podsOf('shrink')).length === 3 ? podsOf('shrink') : undefined));
    await makePodReady(client, NS, pods[0].metadata.name!);
    await makePodReady(client, NS, pods[2].metadata.name!);
    await statusOnce('shrink', (s) => s.readyReplicas === 2);
    await client.replicaSets.patch('shrink', { spec: { replicas: 2 } }, { namespace: NS });
    const left = await waitFor('2 pods', async () => ((await podsOf('shrink')).length === 2 ? podsOf('shrink') : undefined));
    assert.deepEqual(left.map((p) => p.metadata.name), [pods[0].metadata.name, pods[2].metadata.name]);
    assert.deepEqual(await statusOnce('shrink', (s) => s.replicas === 2 && s.observedGeneration === 2),
      { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 2 });
    await waitEventLine(client, NS, 'ReplicaSet', 'shrink', `replicaset-controller SuccessfulDelete: Deleted pod: ${pods[1].metadata.name}`);
  });

  test('a pod the API refuses shows as ReplicaFailure until creation works', async () => {
    const { client } = w;
    await client.replicaSets.create(replicaSet('failing', 2, { priorityClassName: 'missing-class' }));
    const status = await statusOnce('failing', (s) => (s.conditions ?? []).length > 0);
    assert.equal(status.replicas, 0);
    const cond = status.conditions[0];
    assert.deepEqual([cond.type, cond.status, cond.reason], ['ReplicaFailure', 'True', 'FailedCreate']);
    assert.equal(cond.message, 'pods "failing-" is forbidden: no PriorityClass with name missing-class was found');
    const lines = await waitEventLines(client, NS, 'ReplicaSet', 'failing', 1);
    assert.deepEqual([...new Set(lines)], [`replicaset-controller FailedCreate: Error creating: ${cond.message}`]);

    await client.resource({ group: 'scheduling.k8s.io', version: 'v1', plural: 'priorityclasses', kind: 'PriorityClass', namespaced: false })
      .create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'missing-class' }, value: 10 });
    await client.replicaSets.patch('failing', { metadata: { annotations: { nudge: '1' } } }, { namespace: NS });
    assert.deepEqual(await statusOnce('failing', (s) => s.replicas === 2 && !s.conditions), { replicas: 2, fullyLabeledReplicas: 2, observedGeneration: 1 });
  });

  test('a large ReplicaSet gets exactly its replicas', async () => {
    const { client } = w;
    await client.replicaSets.create(replicaSet('big', 25));
    await statusOnce('big', (s) => s.replicas === 25);
    // Nothing more may follow once the cache has caught up.
    await client.replicaSets.patch('big', { metadata: { annotations: { nudge: '1' } } }, { namespace: NS });
    await statusOnce('big', (s) => s.replicas === 25);
    assert.equal((await podsOf('big')).length, 25);
    const creates = (await waitEventLines(client, NS, 'ReplicaSet', 'big', 25)).filter((l) => l.includes('SuccessfulCreate'));
    assert.equal(creates.length, 25);
  });
});
