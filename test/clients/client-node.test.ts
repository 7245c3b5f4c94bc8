/** The official JavaScript client, @kubernetes/client-node, against an in-process cluster. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { startHarness, type Harness } from '../apiserver/harness.js';
import { eventually } from '../support/client.js';

describe('@kubernetes/client-node', () => {
  let h: Harness;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  before(async () => {
    h = await startHarness({ watchCacheCapacity: 20 });
    kc = new k8s.KubeConfig();
    kc.loadFromFile(h.cluster.kubeconfigPath);
    core = kc.makeApiClient(k8s.CoreV1Api);
  });
  after(async () => { await h.stop(); });

  it('creates, reads, merge-patches and lists configmaps', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'from-js', labels: { via: 'js' } }, data: { a: '1' } } });
    assert.equal(created.metadata?.name, 'from-js');
    assert.match(created.metadata?.resourceVersion ?? '', /^\d+$/);
    const patched = await core.patchNamespacedConfigMap({ name: 'from-js', namespace: 'default', body: { data: { b: '2' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    assert.deepEqual(patched.data, { a: '1', b: '2' });
    const smp = await core.patchNamespacedConfigMap({ name: 'from-js', namespace: 'default', body: { data: { c: '3' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch));
    assert.deepEqual(smp.data, { a: '1', b: '2', c: '3' });
    const list = await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'via=js' });
    assert.deepEqual(list.items.map((i) => i.metadata?.name), ['from-js']);
    assert.match(list.metadata?.resourceVersion ?? '', /^\d+$/);
  });

  it('reports a missing object as an ApiException with the 404 Status', async () => {
    await assert.rejects(core.readNamespacedConfigMap({ name: 'nope', namespace: 'default' }), (err: unknown) => {
      assert.ok(err instanceof k8s.ApiException);
      assert.equal(err.code, 404);
      assert.equal(JSON.parse(err.body as string).message, 'configmaps "nope" not found');
      return true;
    });
  });

  it('watches from a resourceVersion: later changes, in order', async () => {
    const rv = (await core.listNamespacedConfigMap({ namespace: 'default' })).metadata?.resourceVersion;
    const seen: Array<[string, string]> = [];
    const watch = new k8s.Watch(kc);
    const req = await watch.watch('/api/v1/namespaces/default/configmaps', { resourceVersion: rv }, (type, obj) => seen.push([type, obj.metadata.name]), () => {});
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'watched' } } });
    await core.deleteNamespacedConfigMap({ name: 'watched', namespace: 'default' });
    await eventually(() => seen.length >= 2, 5000, 'two events');
    req.abort();
    assert.deepEqual(seen, [['ADDED', 'watched'], ['DELETED', 'watched']]);
  });

  it('is told 410 Expired when it resumes from a resourceVersion the server no longer has', async () => {
    const old = (await core.listNamespacedConfigMap({ namespace: 'default' })).metadata?.resourceVersion;
    for (let i = 0; i < 30; i++) await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: `churn-${i}` } } });
    const seen: Array<[string, any]> = [];
    const watch = new k8s.Watch(kc);
    let ended = false;
    await watch.watch('/api/v1/namespaces/default/configmaps', { resourceVersion: old }, (type, obj) => seen.push([type, obj]), () => { ended = true; });
    await eventually(() => ended, 5000, 'the watch to end');
    assert.equal(seen.length, 1);
    assert.equal(seen[0][0], 'ERROR');
    assert.equal(seen[0][1].code, 410);
    assert.equal(seen[0][1].reason, 'Expired');
  });
});
