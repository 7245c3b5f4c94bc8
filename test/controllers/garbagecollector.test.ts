/**
 * The garbage collector against an in-process API server: owners and dependents are made by
 * hand (ownerReferences set here, no workload controller runs), and deleting owners with each
 * propagation policy must end in exactly the expected objects.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InformerFactory } from '../../src/client/cache/informer-factory.js';
import { isNotFound } from '../../src/client/errors.js';
import { EventRecorder } from '../../src/client/events.js';
import { REPLICASETS } from '../../src/client/kinds.js';
import { KubeClient } from '../../src/client/kube-client.js';
import type { KubeObject, OwnerReference } from '../../src/client/object.js';
import type { ControllerContext, ControllerDescriptor } from '../../src/controllers/context.js';
import { descriptor } from '../../src/controllers/garbagecollector/index.js';
import { startCluster, type Cluster } from '../../src/server/cluster.js';

/** Runs `descriptors` against `cluster` as the controller manager would, until stop(). */
async function runControllers(cluster: Cluster, descriptors: ControllerDescriptor[]): Promise<{ client: KubeClient; informers: InformerFactory; stop(): Promise<void> }> {
  const cfg = { server: cluster.server, caPem: cluster.credentials.ca, certPem: cluster.credentials.cert, keyPem: cluster.credentials.key };
  const client = new KubeClient({ ...cfg, userAgent: 'gc-test' });
  const informers = new InformerFactory(client);
  const abort = new AbortController();
  const recorders: EventRecorder[] = [];
  const ctx: ControllerContext = {
    client, informers, signal: abort.signal, options: {}, clock: Date.now,
    recorder: (component) => { const r = new EventRecorder(client, { component }); recorders.push(r); return r; },
  };
  const runs = descriptors.map((d) => Promise.resolve(d.start(ctx)));
  informers.start();
  await informers.waitForSync();
  return {
    client, informers,
    async stop() {
      abort.abort();
      await Promise.all(runs);
      await informers.stop();
      await Promise.all(recorders.map((r) => r.flush()));
      client.close();
    },
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('garbage collector', () => {
  let cluster: Cluster;
  let gc: Awaited<ReturnType<typeof runControllers>>;
  let c: KubeClient;
  let seq = 0;

  before(async () => {
    cluster = await startCluster();
    gc = await runControllers(cluster, [descriptor]);
    c = gc.client;
  });
  after(async () => {
    await gc.stop();
    await cluster.stop();
  });

  const newNamespace = async () => {
    const name = `gc-${++seq}`;
    await c.namespaces.create({ metadata: { name } });
    return name;
  };
  const replicaSet = (ns: string, name: string, owners: OwnerReference[] = []) => c.replicaSets.create({
    metadata: { name, namespace: ns, ownerReferences: owners },
    spec: { replicas: 0, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'img' }] } } },
  });
  const pod = (ns: string, name: string, owners: OwnerReference[], finalizers?: string[]) => c.pods.create({
    metadata: { name, namespace: ns, ownerReferences: owners, ...(finalizers ? { finalizers } : {}) },
    spec: { containers: [{ name: 'c', image: 'img' }] },
  });
  const ref = (owner: KubeObject, block?: boolean): OwnerReference => ({
    apiVersion: owner.apiVersion ?? 'apps/v1', kind: owner.kind ?? 'ReplicaSet', name: owner.metadata.name as string, uid: owner.metadata.uid as string,
    ...(block === undefined ? {} : { controller: true, blockOwnerDeletion: block }),
  });
  const gone = async (get: () => Promise<unknown>) => {
    try {
      await get();
      return undefined;
    } catch (err) {
      return isNotFound(err) ? true : undefined;
    }
  };

  it('background: the pods of a deleted ReplicaSet are deleted; a pod with another owner only loses the reference', async () => {
    const ns = await newNamespace();
    const rs = await replicaSet(ns, 'web');
    const keeper = await c.configMaps.create({ metadata: { name: 'keeper', namespace: ns } });
    await pod(ns, 'web-1', [ref(rs, true)]);
    await pod(ns, 'web-2', [ref(rs, true)]);
    const keeperRef: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'keeper', uid: keeper.metadata.uid as string };
    await pod(ns, 'shared', [ref(rs), keeperRef]);
    await c.replicaSets.delete('web', { namespace: ns, propagationPolicy: 'Background' });
    await until('web-1 deleted', () => gone(() => c.pods.get('web-1', ns)));
    await until('web-2 deleted', () => gone(() => c.pods.get('web-2', ns)));
    const shared = await until('the dangling reference removed', async () => {
      const p = await c.pods.get('shared', ns);
      return p.metadata.ownerReferences?.length === 1 ? p : undefined;
    });
    assert.deepEqual(shared.metadata.ownerReferences, [keeperRef]);
    assert.deepEqual((await c.pods.list({ namespace: ns })).items.map((p) => p.metadata.name), ['shared']);
  });

  it('deletes an object whose owner never existed, or exists with another uid', async () => {
    const ns = await newNamespace();
    const rs = await replicaSet(ns, 'real');
    await pod(ns, 'orphan-ghost', [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'ghost', uid: '00000000-0000-0000-0000-000000000001' }]);
    await pod(ns, 'orphan-uid', [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'real', uid: '00000000-0000-0000-0000-000000000002' }]);
    await pod(ns, 'owned', [ref(rs, true)]);
    await until('orphan-ghost deleted', () => gone(() => c.pods.get('orphan-ghost', ns)));
    await until('orphan-uid deleted', () => gone(() => c.pods.get('orphan-uid', ns)));
    assert.deepEqual((await c.pods.list({ namespace: ns })).items.map((p) => p.metadata.name), ['owned']);
    assert.equal((await c.replicaSets.get('real', ns)).metadata.uid, rs.metadata.uid);
  });

  it('foreground: dependents go first; the owner waits for the blocking ones, then goes', async () => {
    const ns = await newNamespace();
    const rs = await replicaSet(ns, 'fg');
    await pod(ns, 'blocking', [ref(rs, true)], ['example.com/hold']);
    await pod(ns, 'loose', [ref(rs, false)]);
    await c.replicaSets.delete('fg', { namespace: ns, propagationPolicy: 'Foreground' });
    await until('loose deleted', () => gone(() => c.pods.get('loose', ns)));
    const held = await until('blocking marked', async () => {
      const p = await c.pods.get('blocking', ns);
      return p.metadata.deletionTimestamp ? p : undefined;
    });
    assert.deepEqual(held.metadata.finalizers, ['example.com/hold']);
    const waiting = await c.replicaSets.get('fg', ns);
    assert.deepEqual(waiting.metadata.finalizers, ['foregroundDeletion']);
    assert.match(waiting.metadata.deletionTimestamp as string, /Z$/);
    await c.pods.patch('blocking', { metadata: { finalizers: null } }, { namespace: ns });
    await until('blocking deleted', () => gone(() => c.pods.get('blocking', ns)));
    await until('the ReplicaSet deleted', () => gone(() => c.replicaSets.get('fg', ns)));
  });

  it('foreground through a chain: an owned owner with dependents is deleted in the foreground too', async () => {
    const ns = await newNamespace();
    const deploy = await c.deployments.create({
      metadata: { name: 'chain', namespace: ns },
      spec: { replicas: 0, selector: { matchLabels: { app: 'chain' } }, template: { metadata: { labels: { app: 'chain' } }, spec: { containers: [{ name: 'c', image: 'img' }] } } },
    });
    const rs = await replicaSet(ns, 'chain-rs', [{ ...ref(deploy, true), apiVersion: 'apps/v1', kind: 'Deployment' }]);
    await pod(ns, 'chain-pod', [ref(rs, true)], ['example.com/hold']);
    await c.deployments.delete('chain', { namespace: ns, propagationPolicy: 'Foreground' });
    const rsWaiting = await until('the ReplicaSet deleted in the foreground', async () => {
      const r = await c.replicaSets.get('chain-rs', ns);
      return r.metadata.deletionTimestamp ? r : undefined;
    });
    assert.deepEqual(rsWaiting.metadata.finalizers, ['foregroundDeletion']);
    await until('the pod marked', async () => ((await c.pods.get('chain-pod', ns)).metadata.deletionTimestamp ? true : undefined));
    assert.deepEqual((await c.deployments.get('chain', ns)).metadata.finalizers, ['foregroundDeletion']);
    await c.pods.patch('chain-pod', { metadata: { finalizers: null } }, { namespace: ns });
    await until('the pod deleted', () => gone(() => c.pods.get('chain-pod', ns)));
    await until('the ReplicaSet deleted', () => gone(() => c.replicaSets.get('chain-rs', ns)));
    await until('the Deployment deleted', () => gone(() => c.deployments.get('chain', ns)));
  });

  it('orphan: the owner goes, its dependents stay without the reference', async () => {
    const ns = await newNamespace();
    const rs = await replicaSet(ns, 'orph');
    const other: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'other', uid: (await c.configMaps.create({ metadata: { name: 'other', namespace: ns } })).metadata.uid as string };
    await pod(ns, 'kept-1', [ref(rs, true)]);
    await pod(ns, 'kept-2', [ref(rs, true), other]);
    await c.replicaSets.delete('orph', { namespace: ns, propagationPolicy: 'Orphan' });
    await until('the ReplicaSet deleted', () => gone(() => c.replicaSets.get('orph', ns)));
    const pods = (await c.pods.list({ namespace: ns })).items;
    assert.deepEqual(pods.map((p) => [p.metadata.name, p.metadata.ownerReferences]), [['kept-1', undefined], ['kept-2', [other]]]);
  });

  it('warns about an owner reference into another namespace and deletes the dependent', async () => {
    const nsA = await newNamespace();
    const nsB = await newNamespace();
    const rs = await replicaSet(nsA, 'elsewhere');
    // The collector's own informer must know the owner first, or the reference looks like one to a missing owner.
    const observed = gc.informers.informer(REPLICASETS);
    await until('the ReplicaSet observed', async () => (observed.store.getByName(nsA, 'elsewhere') ? true : undefined));
    const p = await pod(nsB, 'stray', [ref(rs, true)]);
    await until('stray deleted', () => gone(() => c.pods.get('stray', nsB)));
    const events = await until('the event', async () => {
      const list = (await c.events.list({ namespace: nsB })).items.filter((e) => e.reason === 'OwnerRefInvalidNamespace');
      return list.length > 0 ? list : undefined;
    });
    assert.equal(events.length, 1);
    assert.equal(events[0].type, 'Warning');
    assert.equal(events[0].message, `ownerRef [apps/v1/ReplicaSet, namespace: ${nsB}, name: elsewhere, uid: ${rs.metadata.uid}] does not exist in namespace "${nsB}"`);
    assert.deepEqual([events[0].involvedObject.kind, events[0].involvedObject.name, events[0].involvedObject.uid], ['Pod', 'stray', p.metadata.uid]);
    assert.equal(events[0].source.component, 'garbage-collector-controller');
    assert.equal((await c.replicaSets.get('elsewhere', nsA)).metadata.uid, rs.metadata.uid);
  });
});
