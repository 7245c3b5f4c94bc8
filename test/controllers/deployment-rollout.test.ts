/**
 * The deployment and replicaset controllers together against a real API server (no scheduler, no
 * kubelet: the test binds pods and marks them Ready): creation, a rolling update held to its
 * surge and availability bounds, rollback, pause and resume, and scaling, checked with kubectl.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KubeObject } from '../../src/client/index.js';
import { computeHash } from '../../src/controllers/util/hash.js';
import {
  autoReady, createNamespace, deploymentManifest, kubectl, makePodReady, replicaSetsOf, settled, startWorkloadCluster,
  waitComplete, waitEventLine, waitEventLines, waitFor, type WorkloadCluster,
} from './deployment-harness.js';

const NS = 'rollout';
/** kubectl 1.27, the oldest client under test: its undo is a client-side patch of the template too. */
const KUBECTL_127 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.27';
let w: WorkloadCluster;
let stopKubelet: (() => Promise<void>) | undefined;

before(async () => {
  w = await startWorkloadCluster();
  await createNamespace(w.client, NS);
});
after(async () => {
  await stopKubelet?.();
  await w?.stop();
});

const conditionsOf = (d: KubeObject) => (d.status?.conditions ?? []).map((c: any) => `${c.type} ${c.status} ${c.reason}: ${c.message}`).sort();
const scaled = (lines: string[]) => lines.filter((l) => l.includes('ScalingReplicaSet')).sort();

describe('deployment rollout', () => {
  let firstRS = '';
  let secondRS = '';

  test('a new Deployment gets one ReplicaSet and three owned pods', async () => {
    const { client, cluster } = w;
    stopKubelet = autoReady(client, NS);
    await client.deployments.create(deploymentManifest('web', NS, 3, 'nginx:1', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }));
    const d = await waitComplete(client, NS, 'web');
    const hash = computeHash(d.spec.template);
    firstRS = `web-${hash}`;
    const rss = await replicaSetsOf(client, NS, 'web');
    assert.deepEqual(rss.map((r) => r.metadata.name), [firstRS]);
    const rs = rss[0];
    assert.deepEqual(rs.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(rs.metadata.labels, { app: 'web', 'pod-template-hash': hash });
    assert.deepEqual(rs.spec.selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
    assert.deepEqual(rs.metadata.annotations, {
      'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4',
    });
    const pods = (await client.pods.list({ namespace: NS })).items;
    assert.equal(pods.length, 3);
    for (const p of pods) {
      assert.match(p.metadata.name!, new RegExp(`^${firstRS}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      assert.equal(p.metadata.generateName, `${firstRS}-`);
      assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: firstRS, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      assert.deepEqual(p.metadata.labels, { app: 'web', 'pod-template-hash': hash });
    }
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.deepEqual({ ...d.status, conditions: undefined }, { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: undefined });
    assert.deepEqual(conditionsOf(d), [
      'Available True MinimumReplicasAvailable: Deployment has minimum availability.',
      `Progressing True NewReplicaSetAvailable: ReplicaSet "${firstRS}" has successfully progressed.`,
    ]);
    const rsStatus = await waitFor('replica set status', async () => {
      const r = await client.replicaSets.get(firstRS, NS);
      return r.status?.availableReplicas === 3 ? r.status : undefined;
    });
    assert.deepEqual(rsStatus, { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    assert.deepEqual(await waitEventLines(client, NS, 'Deployment', 'web', 1), [`deployment-controller ScalingReplicaSet: Scaled up replica set ${firstRS} from 0 to 3`]);
    assert.deepEqual((await waitEventLines(client, NS, 'ReplicaSet', firstRS, 3)).sort(),
      pods.map((p) => `replicaset-controller SuccessfulCreate: Created pod: ${p.metadata.name}`).sort());
    const status = await kubectl(cluster, ['rollout', 'status', 'deployment/web', '-n', NS, '--timeout=10s']);
    assert.deepEqual(status, { code: 0, stdout: 'deployment "web" successfully rolled out\n', stderr: '' });
  });

  test('a rolling update stays within maxSurge and maxUnavailable', async () => {
    const { client } = w;
    await stopKubelet!();
    stopKubelet = undefined;
    await client.deployments.patch('web', { spec: { replicas: 4 } }, { namespace: NS });
    const fourth = await waitFor('a fourth pod', async () => (await client.pods.list({ namespace: NS })).items.find((p) => !p.spec?.nodeName));
    await makePodReady(client, NS, fourth.metadata.name!);
    await waitComplete(client, NS, 'web');

    // Watch ReplicaSet sizes and pod readiness for the whole rollout.
    const abort = new AbortController();
    const specs = new Map<string, number>();
    const resizes: string[] = [];
    const rsList = await client.replicaSets.list({ namespace: NS });
    for (const rs of rsList.items) specs.set(rs.metadata.name!, rs.spec.replicas);
    let maxTotal = [...specs.values()].reduce((a, b) => a + b, 0);
    const rsWatch = (async () => {
      for await (const ev of client.replicaSets.watch({ namespace: NS, signal: abort.signal, resourceVersion: rsList.metadata.resourceVersion })) {
        if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') continue;
        const name = ev.object.metadata.name!;
        const before = specs.get(name) ?? 0;
        const now = ev.type === 'DELETED' ? 0 : ev.object.spec.replicas;
        if (before !== now) resizes.push(`${name} ${before}->${now}`);
        specs.set(name, now);
        maxTotal = Math.max(maxTotal, [...specs.values()].reduce((a, b) => a + b, 0));
      }
    })().catch(() => {});
    const isReady = (p: KubeObject) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
    const podList = await client.pods.list({ namespace: NS });
    const ready = new Map<string, boolean>(podList.items.map((p) => [p.metadata.name!, isReady(p)]));
    let minReady = [...ready.values()].filter(Boolean).length;
    const podWatch = (async () => {
      for await (const ev of client.pods.watch({ namespace: NS, signal: abort.signal, resourceVersion: podList.metadata.resourceVersion })) {
        if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') continue;
        const p = ev.object;
        if (ev.type === 'DELETED' || p.metadata.deletionTimestamp) ready.delete(p.metadata.name!);
        else ready.set(p.metadata.name!, isReady(p));
        minReady = Math.min(minReady, [...ready.values()].filter(Boolean).length);
      }
    })().catch(() => {});
    assert.equal(specs.get(firstRS), 4);
    assert.equal(minReady, 4);

    await client.deployments.patch('web', { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:2' }] } } } }, { namespace: NS, type: 'strategic' });
    // Let each step settle, then make one more new pod ready, until the rollout completes.
    for (let step = 0; step < 10; step++) {
      await waitFor('the controllers to settle', async () => ((await settled(client, NS, 'web')) ? true : undefined));
      const pending = (await client.pods.list({ namespace: NS })).items.filter((p) => !p.spec?.nodeName && !p.metadata.deletionTimestamp);
      if (pending.length === 0) break;
      await makePodReady(client, NS, pending[0].metadata.name!);
    }
    const d = await waitComplete(client, NS, 'web');
    abort.abort();
    await Promise.all([rsWatch, podWatch]);

    secondRS = `web-${computeHash(d.spec.template)}`;
    assert.equal(maxTotal, 5, 'ReplicaSet sizes never add up to more than replicas + maxSurge');
    assert.equal(minReady, 3, 'ready pods never fall below replicas - maxUnavailable');
    assert.deepEqual(resizes, [
      `${secondRS} 0->1`, `${firstRS} 4->3`, `${secondRS} 1->2`, `${firstRS} 3->2`, `${secondRS} 2->3`, `${firstRS} 2->1`, `${secondRS} 3->4`, `${firstRS} 1->0`,
    ]);
    assert.deepEqual(scaled(await waitEventLines(client, NS, 'Deployment', 'web', 10)), [
      `deployment-controller ScalingReplicaSet: Scaled down replica set ${firstRS} from 1 to 0`,
      `deployment-controller ScalingReplicaSet: Scaled down replica set ${firstRS} from 2 to 1`,
      `deployment-controller ScalingReplicaSet: Scaled down replica set ${firstRS} from 3 to 2`,
      `deployment-controller ScalingReplicaSet: Scaled down replica set ${firstRS} from 4 to 3`,
      `deployment-controller ScalingReplicaSet: Scaled up replica set ${firstRS} from 0 to 3`,
      `deployment-controller ScalingReplicaSet: Scaled up replica set ${firstRS} from 3 to 4`,
      `deployment-controller ScalingReplicaSet: Scaled up replica set ${secondRS} from 0 to 1`,
      `deployment-controller ScalingReplicaSet: Scaled up replica set ${secondRS} from 1 to 2`,
      `deployment-controller ScalingReplicaSet: Scaled up replica set ${secondRS} from 2 to 3`,
      `deployment-controller ScalingReplicaSet: Scaled up replica set ${secondRS} from 3 to 4`,
    ]);
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
    assert.deepEqual(conditionsOf(d), [
      'Available True MinimumReplicasAvailable: Deployment has minimum availability.',
      `Progressing True NewReplicaSetAvailable: ReplicaSet "${secondRS}" has successfully progressed.`,
    ]);
    const rss = await replicaSetsOf(w.client, NS, 'web');
    assert.deepEqual(rss.map((r) => `${r.metadata.name} ${r.spec.replicas} rev ${r.metadata.annotations?.['deployment.kubernetes.io/revision']}`),
      [`${firstRS} 0 rev 1`, `${secondRS} 4 rev 2`]);
  });

  test('kubectl rollout undo goes back to revision 1 as revision 3', async () => {
    const { client, cluster } = w;
    stopKubelet = autoReady(client, NS);
    const undo = await kubectl(cluster, ['rollout', 'undo', 'deployment/web', '-n', NS, '--to-revision=1']);
    assert.deepEqual(undo, { code: 0, stdout: 'deployment.apps/web rolled back\n', stderr: '' });
    const d = await waitComplete(client, NS, 'web');
    assert.equal(d.spec.template.spec.containers[0].image, 'nginx:1');
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    const rss = await replicaSetsOf(client, NS, 'web');
    assert.deepEqual(rss.map((r) => `${r.metadata.name} ${r.spec.replicas} rev ${r.metadata.annotations?.['deployment.kubernetes.io/revision']} history ${r.metadata.annotations?.['deployment.kubernetes.io/revision-history']}`),
      [`${secondRS} 0 rev 2 history undefined`, `${firstRS} 4 rev 3 history 1`]);
    assert.deepEqual(conditionsOf(d), [
      'Available True MinimumReplicasAvailable: Deployment has minimum availability.',
      `Progressing True NewReplicaSetAvailable: ReplicaSet "${firstRS}" has successfully progressed.`,
    ]);
    const history = await kubectl(cluster, ['rollout', 'history', 'deployment/web', '-n', NS]);
    assert.deepEqual(history, { code: 0, stdout: 'deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n', stderr: '' });
  });

  test('kubectl 1.27 rollout undo goes back to the previous revision', async () => {
    const { client, cluster } = w;
    const undo = await kubectl(cluster, ['rollout', 'undo', 'deployment/web', '-n', NS], KUBECTL_127);
    assert.deepEqual(undo, { code: 0, stdout: 'deployment.apps/web rolled back\n', stderr: '' });
    const d = await waitComplete(client, NS, 'web');
    assert.equal(d.spec.template.spec.containers[0].image, 'nginx:2');
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '4');
    const rss = await replicaSetsOf(client, NS, 'web');
    assert.deepEqual(rss.map((r) => `${r.metadata.name} ${r.spec.replicas} rev ${r.metadata.annotations?.['deployment.kubernetes.io/revision']} history ${r.metadata.annotations?.['deployment.kubernetes.io/revision-history']}`),
      [`${firstRS} 0 rev 3 history 1`, `${secondRS} 4 rev 4 history 2`]);
  });

  test('a paused Deployment does not roll out until resumed', async () => {
    const { client, cluster } = w;
    assert.equal((await kubectl(cluster, ['rollout', 'pause', 'deployment/web', '-n', NS])).stdout, 'deployment.apps/web paused\n');
    const reasons: string[] = [];
    const abort = new AbortController();
    const watch = (async () => {
      for await (const ev of client.deployments.watch({ namespace: NS, signal: abort.signal })) {
        const c = (ev.object.status?.conditions ?? []).find((x: any) => x.type === 'Progressing');
        if (c && reasons[reasons.length - 1] !== c.reason) reasons.push(c.reason);
      }
    })().catch(() => {});
    const set = await kubectl(cluster, ['set', 'image', 'deployment/web', 'app=nginx:3', '-n', NS]);
    assert.equal(set.stdout, 'deployment.apps/web image updated\n');
    const paused = await waitFor('the paused generation to be observed', async () => {
      const d = await client.deployments.get('web', NS);
      return d.status?.observedGeneration === d.metadata.generation ? d : undefined;
    });
    const progressing = paused.status.conditions.find((c: any) => c.type === 'Progressing');
    assert.deepEqual([progressing.status, progressing.reason, progressing.message], ['Unknown', 'DeploymentPaused', 'Deployment is paused']);
    assert.equal((await replicaSetsOf(client, NS, 'web')).length, 2);
    assert.equal((await kubectl(cluster, ['rollout', 'resume', 'deployment/web', '-n', NS])).stdout, 'deployment.apps/web resumed\n');
    const d = await waitComplete(client, NS, 'web');
    await waitFor('the watch to catch up', () => (reasons.includes('NewReplicaSetAvailable') ? true : undefined));
    abort.abort();
    await watch;
    assert.deepEqual(reasons.slice(reasons.indexOf('DeploymentPaused')),
      ['DeploymentPaused', 'DeploymentResumed', 'NewReplicaSetCreated', 'ReplicaSetUpdated', 'NewReplicaSetAvailable']);
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '5');
    assert.equal((await replicaSetsOf(client, NS, 'web')).length, 3);
  });

  test('kubectl scale resizes the current ReplicaSet', async () => {
    const { client, cluster } = w;
    const before = await waitComplete(client, NS, 'web');
    const current = `web-${computeHash(before.spec.template)}`;
    assert.equal((await kubectl(cluster, ['scale', 'deployment/web', '--replicas=6', '-n', NS])).stdout, 'deployment.apps/web scaled\n');
    const d = await waitComplete(client, NS, 'web');
    assert.equal(d.status.availableReplicas, 6);
    const rs = await client.replicaSets.get(current, NS);
    assert.equal(rs.spec.replicas, 6);
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '6');
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '7');
    await waitEventLine(client, NS, 'Deployment', 'web', `deployment-controller ScalingReplicaSet: Scaled up replica set ${current} from 4 to 6`);
  });
});
