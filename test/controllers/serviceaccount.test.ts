/**
 * The ServiceAccounts controller against an in-process API server: `default` in every active
 * namespace, created again when deleted, never in a Terminating namespace.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InformerFactory } from '../../src/client/cache/informer-factory.js';
import { StatusError } from '../../src/client/errors.js';
import { NAMESPACES, SERVICEACCOUNTS } from '../../src/client/kinds.js';
import { KubeClient } from '../../src/client/kube-client.js';
import type { KubeObject } from '../../src/client/object.js';
import { ServiceAccountsController } from '../../src/controllers/serviceaccount/index.js';
import { startCluster, type Cluster } from '../../src/server/cluster.js';

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('serviceaccount controller', () => {
  let cluster: Cluster;
  let c: KubeClient;

  before(async () => {
    cluster = await startCluster({ controllers: ['serviceaccount'], leaderElect: false });
    await cluster.controllerManager!.synced();
    c = new KubeClient(cluster.adminConfig);
  });
  after(async () => {
    c.close();
    await cluster.stop();
  });

  const accountsIn = async (ns: string) => (await c.serviceAccounts.list({ namespace: ns })).items.map((sa) => sa.metadata.name);

  it('creates default in the system namespaces and in a new one', async () => {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      await until(`default in ${ns}`, async () => ((await accountsIn(ns)).includes('default') ? true : undefined));
    }
    await c.namespaces.create({ metadata: { name: 'fresh' } });
    await until('default in fresh', async () => ((await accountsIn('fresh')).length > 0 ? true : undefined));
    assert.deepEqual(await accountsIn('fresh'), ['default']);
    const sa = await c.serviceAccounts.get('default', 'fresh');
    assert.equal(sa.metadata.namespace, 'fresh');
    assert.equal(sa.metadata.ownerReferences, undefined);
  });

  it('creates default again when it is deleted', async () => {
    await c.namespaces.create({ metadata: { name: 'again' } });
    const first = await until('default in again', async () => c.serviceAccounts.get('default', 'again').catch(() => undefined));
    await c.serviceAccounts.delete('default', { namespace: 'again' });
    const second = await until('default recreated', async () => {
      const sa = await c.serviceAccounts.get('default', 'again').catch(() => undefined);
      return sa && sa.metadata.uid !== first.metadata.uid ? sa : undefined;
    });
    assert.equal(second.metadata.name, 'default');
    assert.deepEqual(await accountsIn('again'), ['default']);
  });
});

describe('serviceaccount controller sync', () => {
  /** A controller over hand-filled caches (never started) and a client that only records creates. */
  const rig = (phase: string, accounts: string[], fail?: StatusError) => {
    const created: KubeObject[] = [];
    const client = {
      serviceAccounts: {
        async create(obj: KubeObject) {
          if (fail) throw fail;
          created.push(obj);
          return obj;
        },
      },
    } as unknown as KubeClient;
    // The caches are filled by hand: their factory's client (never used) points nowhere.
    const informers = new InformerFactory(new KubeClient({ server: 'https://127.0.0.1:9', caPem: '' }));
    const controller = new ServiceAccountsController({ client, informers, serviceAccounts: ['default', 'builder'] });
    informers.informer(NAMESPACES).store.set({ metadata: { name: 'ns1' }, status: { phase } });
    for (const name of accounts) informers.informer(SERVICEACCOUNTS).store.set({ metadata: { name, namespace: 'ns1' } });
    return { controller, created };
  };
  const refusal = (code: number, reason: string, causes: unknown[] = []) =>
    new StatusError(code, { kind: 'Status', status: 'Failure', code, reason, message: `refused (${reason})`, details: { causes: causes as never } });

  it('creates only the missing accounts of an Active namespace', async () => {
    const { controller, created } = rig('Active', ['default']);
    await controller.sync('ns1');
    assert.deepEqual(created, [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: 'ns1' } }]);
  });

  it('creates nothing in a namespace that is not Active or not known', async () => {
    const { controller, created } = rig('Terminating', []);
    await controller.sync('ns1');
    await controller.sync('unknown');
    assert.deepEqual(created, []);
  });

  it('takes AlreadyExists and a namespace being terminated as done, and fails on anything else', async () => {
    await rig('Active', [], refusal(409, 'AlreadyExists')).controller.sync('ns1');
    await rig('Active', [], refusal(403, 'Forbidden', [{ reason: 'NamespaceTerminating', message: 'namespace ns1 is being terminated', field: 'metadata.namespace' }])).controller.sync('ns1');
    await assert.rejects(rig('Active', [], refusal(500, 'InternalError')).controller.sync('ns1'), { message: '[refused (InternalError), refused (InternalError)]' });
  });
});
