/**
 * The namespace controller against an in-process API server: a deleted namespace is emptied of
 * every kind of content, its status conditions tell what holds it, and once empty its
 * `kubernetes` finalizer goes and the API server removes it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isNotFound } from '../../src/client/errors.js';
import { KubeClient } from '../../src/client/kube-client.js';
import { LEASES, ROLES } from '../../src/client/kinds.js';
import type { KubeObject, WatchEvent } from '../../src/client/object.js';
import type { ControllerOptions } from '../../src/controllers/context.js';
import { startCluster, type Cluster } from '../../src/server/cluster.js';

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Collects the watch events of one namespace until stopped. */
function watchNamespace(c: KubeClient, name: string, rv: string): { events: WatchEvent[]; stop(): void } {
  const abort = new AbortController();
  const events: WatchEvent[] = [];
  void (async () => {
    try {
      for await (const e of c.namespaces.watch({ resourceVersion: rv, fieldSelector: `metadata.name=${name}`, signal: abort.signal })) events.push(e);
    } catch { /* stopped */ }
  })();
  return { events, stop: () => abort.abort() };
}

const ALL_WELL = [
  { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  { type: 'NamespaceDeletionContentFailure', status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  { type: 'NamespaceContentRemaining', status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed' },
  { type: 'NamespaceFinalizersRemaining', status: 'False', reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
];

const conditionsOf = (ns: KubeObject) => (ns.status?.conditions ?? []).map((c: Record<string, string>) => {
  assert.match(c.lastTransitionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  return { type: c.type, status: c.status, reason: c.reason, message: c.message };
});

describe('namespace controller', () => {
  let cluster: Cluster;
  let c: KubeClient;

  before(async () => {
    // Shorter than upstream's 5 s wait after each namespace event, and a cap on the recheck wait.
    const controllerOptions: ControllerOptions = { namespaceDeletionGracePeriodMs: 200, namespaceMaxRecheckMs: 300 };
    cluster = await startCluster({ controllers: ['namespace'], leaderElect: false, controllerOptions });
    await cluster.controllerManager!.synced();
    c = new KubeClient(cluster.adminConfig);
  });
  after(async () => {
    c.close();
    await cluster.stop();
  });

  const gone = async (get: () => Promise<unknown>) => {
    try {
      await get();
      return undefined;
    } catch (err) {
      return isNotFound(err) ? true : undefined;
    }
  };

  it('empties a deleted namespace of every kind of content, then it is removed with all-well conditions', async () => {
    const ns = 'emptied';
    await c.namespaces.create({ metadata: { name: ns } });
    await c.configMaps.create({ metadata: { name: 'cm', namespace: ns } });
    await c.secrets.create({ metadata: { name: 's', namespace: ns } });
    await c.pods.create({ metadata: { name: 'p', namespace: ns }, spec: { containers: [{ name: 'c', image: 'img' }] } });
    await c.deployments.create({
      metadata: { name: 'd', namespace: ns },
      spec: { replicas: 0, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'img' }] } } },
    });
    await c.resource(ROLES).create({ metadata: { name: 'r', namespace: ns }, rules: [] });
    await c.resource(LEASES).create({ metadata: { name: 'l', namespace: ns }, spec: {} });
    const rv = (await c.namespaces.get(ns)).metadata.resourceVersion as string;
    const w = watchNamespace(c, ns, rv);
    await c.namespaces.delete(ns);
    await until('the namespace removed', () => gone(() => c.namespaces.get(ns)));
    await until('the DELETED event', async () => (w.events.some((e) => e.type === 'DELETED') ? true : undefined));
    w.stop();
    const last = w.events[w.events.length - 1];
    assert.equal(last.type, 'DELETED');
    assert.equal(last.object.status.phase, 'Terminating');
    assert.deepEqual(conditionsOf(last.object), ALL_WELL);
    for (const list of [c.configMaps, c.secrets, c.pods, c.deployments, c.resource(ROLES), c.resource(LEASES)]) {
      assert.deepEqual((await list.list({ namespace: ns })).items, [], list.type.plural);
    }
  });

  it('reports what a finalizer holds, keeps the namespace Terminating, and finishes once it is released', async () => {
    const ns = 'held';
    await c.namespaces.create({ metadata: { name: ns } });
    await c.pods.create({ metadata: { name: 'pinned', namespace: ns, finalizers: ['example.com/block'] }, spec: { containers: [{ name: 'c', image: 'img' }] } });
    await c.configMaps.create({ metadata: { name: 'loose', namespace: ns } });
    await c.namespaces.delete(ns);
    const held = await until('the conditions', async () => {
      const cur = await c.namespaces.get(ns);
      return (cur.status?.conditions ?? []).length === 5 ? cur : undefined;
    });
    assert.equal(held.status.phase, 'Terminating');
    assert.deepEqual(held.spec.finalizers, ['kubernetes']);
    assert.deepEqual(conditionsOf(held), [
      ALL_WELL[0], ALL_WELL[1], ALL_WELL[2],
      { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: pods. has 1 resource instances' },
      { type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizersRemain', message: 'Some content in the namespace has finalizers remaining: example.com/block in 1 resource instances' },
    ]);
    await until('loose deleted', () => gone(() => c.configMaps.get('loose', ns)));
    const pinned = await c.pods.get('pinned', ns);
    assert.match(pinned.metadata.deletionTimestamp as string, /Z$/);
    await c.pods.patch('pinned', { metadata: { finalizers: null } }, { namespace: ns });
    await until('the namespace removed', () => gone(() => c.namespaces.get(ns)));
  });

  it('takes only its own finalizer off: another spec finalizer keeps the namespace until it is finalized too', async () => {
    const ns = 'custom';
    await c.namespaces.create({ metadata: { name: ns }, spec: { finalizers: ['example.com/custom'] } });
    await c.configMaps.create({ metadata: { name: 'cm', namespace: ns } });
    await c.namespaces.delete(ns);
    const left = await until('kubernetes finalized', async () => {
      const cur = await c.namespaces.get(ns);
      return cur.spec?.finalizers?.length === 1 ? cur : undefined;
    });
    assert.deepEqual(left.spec.finalizers, ['example.com/custom']);
    assert.equal(left.status.phase, 'Terminating');
    assert.deepEqual(conditionsOf(left), ALL_WELL);
    assert.deepEqual((await c.configMaps.list({ namespace: ns })).items, []);
    await c.rest.request({ method: 'PUT', path: `/api/v1/namespaces/${ns}/finalize`, body: { ...left, spec: { finalizers: [] } } });
    await until('the namespace removed', () => gone(() => c.namespaces.get(ns)));
  });

  it('a namespace deleted while clients create in it leaves nothing behind', async () => {
    for (let round = 0; round < 3; round++) {
      const name = `race-${round}`;
      await c.namespaces.create({ metadata: { name } });
      let stop = false;
      let created = 0;
      const writers = Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; !stop; i++) {
          try {
            await c.configMaps.create({ metadata: { name: `w${w}-${i}`, namespace: name } });
            created++;
          } catch (err) {
            const code = (err as { code?: number }).code;
            if (code === 403 || code === 404) return;
            throw err;
          }
        }
      });
      await new Promise((r) => setTimeout(r, 30));
      await c.namespaces.delete(name);
      stop = true;
      await Promise.all(writers);
      assert.ok(created > 0);
      await until(`round ${round}: the namespace removed`, () => gone(() => c.namespaces.get(name)));
      await c.namespaces.create({ metadata: { name } });
      assert.deepEqual((await c.configMaps.list({ namespace: name })).items, [], `round ${round}: objects survived`);
    }
  });
});
