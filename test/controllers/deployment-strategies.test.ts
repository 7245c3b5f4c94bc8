/**
 * Deployment behaviours beyond the plain rolling update, against a real API server with the
 * deployment and replicaset controllers: proportional scaling mid-rollout, Recreate, history
 * cleanup, the progress deadline, minReadySeconds and `kubectl rollout restart`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KubeObject } from '../../src/client/index.js';
import { computeHash } from '../../src/controllers/util/hash.js';
import {
  autoReady, createNamespace, deploymentManifest, kubectl, replicaSetsOf, startWorkloadCluster, waitComplete, waitEventLine, waitEventLines, waitFor,
  type WorkloadCluster,
} from './deployment-harness.js';

let w: WorkloadCluster;
before(async () => { w = await startWorkloadCluster(); });
after(async () => { await w?.stop(); });

const imageOf = (p: KubeObject) => p.spec?.containers?.[0]?.image;
const setImage = (ns: string, image: string) =>
  w.client.deployments.patch('web', { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } }, { namespace: ns, type: 'strategic' });

describe('deployment strategies', () => {
  test('scaling during a rollout is spread in proportion over the ReplicaSets', async () => {
    const { client, cluster } = w;
    const ns = 'proportional';
    await createNamespace(client, ns);
    // Only pods of the first image ever become ready: the rollout stalls with both ReplicaSets active.
    const stop = autoReady(client, ns, (p) => imageOf(p) !== 'nginx:1');
    try {
      await client.deployments.create(deploymentManifest('web', ns, 10, 'nginx:1', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
      const first = await waitComplete(client, ns, 'web');
      const oldRS = `web-${computeHash(first.spec.template)}`;
      await setImage(ns, 'nginx:2');
      const stalled = await waitFor('the rollout to stall at 8 old and 5 new', async () => {
        const rss = await replicaSetsOf(client, ns, 'web');
        const sizes = rss.map((r) => `${r.metadata.name}=${r.spec.replicas}/${r.status?.replicas ?? 0}`);
        return rss.length === 2 && rss[0].spec.replicas === 8 && rss[1].spec.replicas === 5 && rss[1].status?.replicas === 5 ? sizes : undefined;
      });
      const newRS = stalled[1].split('=')[0];
      assert.deepEqual(stalled, [`${oldRS}=8/8`, `${newRS}=5/5`]);
      assert.equal((await kubectl(cluster, ['scale', 'deployment/web', '--replicas=20', '-n', ns])).code, 0);
      const after = await waitFor('proportional sizes', async () => {
        const rss = await replicaSetsOf(client, ns, 'web');
        const sizes = rss.map((r) => `${r.metadata.name}=${r.spec.replicas}`);
        return rss[0].spec.replicas + rss[1].spec.replicas === 23 ? sizes : undefined;
      });
      assert.deepEqual(after, [`${oldRS}=14`, `${newRS}=9`]);
      const rss = await replicaSetsOf(client, ns, 'web');
      for (const rs of rss) {
        assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '20');
        assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '23');
      }
      await waitEventLine(client, ns, 'Deployment', 'web', `deployment-controller ScalingReplicaSet: Scaled up replica set ${oldRS} from 8 to 14`);
      await waitEventLine(client, ns, 'Deployment', 'web', `deployment-controller ScalingReplicaSet: Scaled up replica set ${newRS} from 5 to 9`);
    } finally {
      await stop();
    }
  });

  test('Recreate removes every old pod before creating new ones', async () => {
    const { client } = w;
    const ns = 'recreate';
    await createNamespace(client, ns);
    const stop = autoReady(client, ns);
    try {
      await client.deployments.create(deploymentManifest('web', ns, 2, 'nginx:1', { strategy: { type: 'Recreate' } }));
      const first = await waitComplete(client, ns, 'web');
      const oldRS = `web-${computeHash(first.spec.template)}`;
      const list = await client.pods.list({ namespace: ns });
      const live = new Map<string, string>(list.items.map((p) => [p.metadata.name!, imageOf(p)]));
      let overlap = false;
      const abort = new AbortController();
      const watch = (async () => {
        for await (const ev of client.pods.watch({ namespace: ns, signal: abort.signal, resourceVersion: list.metadata.resourceVersion })) {
          if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') continue;
          if (ev.type === 'DELETED') live.delete(ev.object.metadata.name!);
          else live.set(ev.object.metadata.name!, imageOf(ev.object));
          if (new Set(live.values()).size > 1) overlap = true;
        }
      })().catch(() => {});
      await setImage(ns, 'nginx:2');
      const d = await waitComplete(client, ns, 'web');
      abort.abort();
      await watch;
      const newRS = `web-${computeHash(d.spec.template)}`;
      assert.equal(overlap, false, 'old and new pods never ran together');
      assert.deepEqual((await waitEventLines(client, ns, 'Deployment', 'web', 3)).sort(), [
        `deployment-controller ScalingReplicaSet: Scaled down replica set ${oldRS} from 2 to 0`,
        `deployment-controller ScalingReplicaSet: Scaled up replica set ${newRS} from 0 to 2`,
        `deployment-controller ScalingReplicaSet: Scaled up replica set ${oldRS} from 0 to 2`,
      ].sort());
      const rss = await replicaSetsOf(client, ns, 'web');
      for (const rs of rss) assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '2');
    } finally {
      await stop();
    }
  });

  test('old ReplicaSets beyond revisionHistoryLimit are deleted', async () => {
    const { client } = w;
    const ns = 'history';
    await createNamespace(client, ns);
    const stop = autoReady(client, ns);
    try {
      await client.deployments.create(deploymentManifest('web', ns, 1, 'nginx:1', { revisionHistoryLimit: 1 }));
      await waitComplete(client, ns, 'web');
      for (const image of ['nginx:2', 'nginx:3', 'nginx:4']) {
        await setImage(ns, image);
        await waitComplete(client, ns, 'web');
      }
      const rss = await waitFor('two ReplicaSets left', async () => {
        const l = await replicaSetsOf(client, ns, 'web');
        return l.length === 2 ? l : undefined;
      });
      assert.deepEqual(rss.map((r) => `${imageOf(r.spec.template)} rev ${r.metadata.annotations?.['deployment.kubernetes.io/revision']} x${r.spec.replicas}`),
        ['nginx:3 rev 3 x0', 'nginx:4 rev 4 x1']);
    } finally {
      await stop();
    }
  });

  test('a rollout without progress exceeds its deadline', async () => {
    const { client, cluster } = w;
    const ns = 'deadline';
    await createNamespace(client, ns);
    const stop = autoReady(client, ns, (p) => imageOf(p) === 'nginx:broken');
    try {
      await client.deployments.create(deploymentManifest('web', ns, 2, 'nginx:1', { progressDeadlineSeconds: 2 }));
      await waitComplete(client, ns, 'web');
      await setImage(ns, 'nginx:broken');
      const d = await waitFor('ProgressDeadlineExceeded', async () => {
        const x = await client.deployments.get('web', ns);
        return x.status?.conditions?.some((c: any) => c.reason === 'ProgressDeadlineExceeded') ? x : undefined;
      });
      const newRS = `web-${computeHash(d.spec.template)}`;
      const progressing = d.status.conditions.find((c: any) => c.type === 'Progressing');
      assert.deepEqual([progressing.status, progressing.reason, progressing.message], ['False', 'ProgressDeadlineExceeded', `ReplicaSet "${newRS}" has timed out progressing.`]);
      const status = await kubectl(cluster, ['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=10s']);
      assert.equal(status.code, 1);
      assert.equal(status.stderr, 'error: deployment "web" exceeded its progress deadline\n');
    } finally {
      await stop();
    }
  });

  test('pods count as available only minReadySeconds after they are ready', async () => {
    const { client } = w;
    const ns = 'minready';
    await createNamespace(client, ns);
    const stop = autoReady(client, ns);
    const abort = new AbortController();
    const readySince = new Map<string, number>();
    let violation = '';
    let sawReadyNotAvailable = false;
    const watchPods = (async () => {
      for await (const ev of client.pods.watch({ namespace: ns, signal: abort.signal })) {
        const c = (ev.object.status?.conditions ?? []).find((x: any) => x.type === 'Ready' && x.status === 'True');
        if (c) readySince.set(ev.object.metadata.name!, Date.parse(c.lastTransitionTime));
      }
    })().catch(() => {});
    const watchRS = (async () => {
      for await (const ev of client.replicaSets.watch({ namespace: ns, signal: abort.signal })) {
        const s = ev.object.status ?? {};
        const seen = Date.now();
        const eligible = [...readySince.values()].filter((t) => t + 2000 < seen).length;
        if ((s.availableReplicas ?? 0) > eligible) violation = `available ${s.availableReplicas} with ${eligible} pods ready for 2s`;
        if ((s.readyReplicas ?? 0) > (s.availableReplicas ?? 0)) sawReadyNotAvailable = true;
      }
    })().catch(() => {});
    try {
      await client.deployments.create(deploymentManifest('web', ns, 2, 'nginx:1', { minReadySeconds: 2 }));
      const d = await waitComplete(client, ns, 'web');
      assert.equal(d.status.availableReplicas, 2);
      assert.equal(violation, '');
      assert.equal(sawReadyNotAvailable, true);
    } finally {
      abort.abort();
      await Promise.all([watchPods, watchRS]);
      await stop();
    }
  });

  test('kubectl rollout restart rolls out a new revision', async () => {
    const { client, cluster } = w;
    const ns = 'restart';
    await createNamespace(client, ns);
    const stop = autoReady(client, ns);
    try {
      await client.deployments.create(deploymentManifest('web', ns, 2, 'nginx:1'));
      await waitComplete(client, ns, 'web');
      const r = await kubectl(cluster, ['rollout', 'restart', 'deployment/web', '-n', ns]);
      assert.deepEqual(r, { code: 0, stdout: 'deployment.apps/web restarted\n', stderr: '' });
      const d = await waitComplete(client, ns, 'web');
      assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
      const rss = await replicaSetsOf(client, ns, 'web');
      assert.equal(rss.length, 2);
      assert.match(rss[1].spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'] ?? '', /^\d{4}-\d\d-\d\dT/);
      assert.deepEqual(rss.map((x) => x.spec.replicas), [0, 2]);
    } finally {
      await stop();
    }
  });
});
