import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StatusError } from '../../src/client/index.js';
import type { ReplicaSetDeps } from '../../src/controllers/replicaset/deps.js';
import { manageReplicas } from '../../src/controllers/replicaset/manage.js';
import { calculateRSStatus, cleanRSStatus, rsStatusUnchanged } from '../../src/controllers/replicaset/status.js';
import { Expectations } from '../../src/controllers/util/expectations.js';
import { formatTime } from '../../src/controllers/util/time.js';
import type { Pod, ReplicaSet } from '../../src/controllers/util/types.js';

const T0 = Date.parse('2024-05-01T10:00:00Z');
const NOW = formatTime(T0);

function rs(replicas: number, minReadySeconds = 0): ReplicaSet {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: 'web-abc', namespace: 'ns', uid: 'rs-uid', generation: 2 },
    spec: {
      replicas, minReadySeconds, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    },
    status: { replicas: 0, observedGeneration: 1 },
  };
}

function pod(name: string, o: { ready?: boolean; readySince?: number; labels?: Record<string, string>; node?: string } = {}): Pod {
  return {
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, labels: o.labels ?? { app: 'web', tier: 'fe' }, creationTimestamp: NOW },
    spec: { nodeName: o.node ?? 'n1' },
    status: { phase: 'Running', conditions: o.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: formatTime(o.readySince ?? T0) }] : [] },
  };
}

class FakeRSDeps implements ReplicaSetDeps {
  readonly events: string[] = [];
  readonly created: string[] = [];
  readonly deleted: string[] = [];
  readonly expectations = new Expectations(() => T0);
  burstReplicas = 500;
  failCreateAt = -1;
  private creates = 0;
  now(): number { return T0 + 60_000; }
  event(_rs: ReplicaSet, type: string, reason: string, message: string): void { this.events.push(`${type} ${reason} ${message}`); }
  async createPod(p: Pod): Promise<Pod> {
    const n = this.creates++;
    if (n === this.failCreateAt) {
      throw new StatusError(403, { reason: 'Forbidden', message: 'pods "web-abc-" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2' });
    }
    const name = `${p.metadata.generateName}${'bcdfg'[n % 5].repeat(5)}`;
    this.created.push(`${name} ${JSON.stringify(p.metadata.ownerReferences)}`);
    return { ...p, metadata: { ...p.metadata, name } };
  }
  async deletePod(_ns: string, name: string): Promise<void> { this.deleted.push(name); }
  relatedPods(): Pod[] { return []; }
}

describe('replica set status', () => {
  test('counts replicas, fully labeled, ready and available pods', () => {
    const pods = [
      pod('a', { ready: true, readySince: T0 - 20_000 }),
      pod('b', { ready: true, readySince: T0 - 1_000 }),
      pod('c', { labels: { app: 'web' } }),
    ];
    const s = calculateRSStatus(rs(3, 10), pods, undefined, T0);
    assert.deepEqual(s, { replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1, observedGeneration: 1 });
    assert.deepEqual(cleanRSStatus({ ...s, observedGeneration: 2 }), { replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1, observedGeneration: 2 });
    assert.deepEqual(cleanRSStatus({ replicas: 0, readyReplicas: 0 }), { replicas: 0 });
  });

  test('ReplicaFailure appears with the error and goes once managing succeeds', () => {
    const r = rs(3);
    const err = new Error('pods "web-abc-" is forbidden: exceeded quota');
    const failing = calculateRSStatus(r, [pod('a')], err, T0);
    assert.deepEqual(failing.conditions, [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: NOW, reason: 'FailedCreate', message: 'pods "web-abc-" is forbidden: exceeded quota' }]);
    const tooMany = calculateRSStatus(rs(0), [pod('a')], new Error('x'), T0);
    assert.equal(tooMany.conditions?.[0].reason, 'FailedDelete');
    r.status = failing;
    assert.equal(calculateRSStatus(r, [pod('a')], undefined, T0).conditions, undefined);
  });

  test('an unchanged status is not written', () => {
    const r = rs(1);
    r.metadata.generation = 1;
    r.status = { replicas: 1, fullyLabeledReplicas: 1, observedGeneration: 1 };
    assert.equal(rsStatusUnchanged(r, calculateRSStatus(r, [pod('a')], undefined, T0)), true);
    r.metadata.generation = 2;
    assert.equal(rsStatusUnchanged(r, calculateRSStatus(r, [pod('a')], undefined, T0)), false);
  });
});

describe('managing replicas', () => {
  test('creates the missing pods with owner references and events', async () => {
    const deps = new FakeRSDeps();
    await manageReplicas(deps, rs(3), [pod('existing')]);
    const ref = JSON.stringify([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(deps.created, [`web-abc-bbbbb ${ref}`, `web-abc-ccccc ${ref}`]);
    assert.deepEqual(deps.events, ['Normal SuccessfulCreate Created pod: web-abc-bbbbb', 'Normal SuccessfulCreate Created pod: web-abc-ccccc']);
    assert.deepEqual(deps.expectations.pending('ns/web-abc'), { add: 2, del: 0 });
  });

  test('a failing create stops the slow start and lowers expectations', async () => {
    const deps = new FakeRSDeps();
    deps.failCreateAt = 2;
    await assert.rejects(manageReplicas(deps, rs(10), []), { message: 'pods "web-abc-" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2' });
    // Batches of 1 and 2: the second batch had the failure, the batch of 4 never started.
    assert.equal(deps.created.length, 2);
    assert.deepEqual(deps.events.filter((e) => e.startsWith('Warning')), [
      'Warning FailedCreate Error creating: pods "web-abc-" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2',
    ]);
    assert.deepEqual(deps.expectations.pending('ns/web-abc'), { add: 2, del: 0 });
  });

  test('creations per sync stop at burstReplicas', async () => {
    const deps = new FakeRSDeps();
    deps.burstReplicas = 3;
    await manageReplicas(deps, rs(10), []);
    assert.equal(deps.created.length, 3);
  });

  test('deletes the lowest-ranked pods and expects their deletion', async () => {
    const deps = new FakeRSDeps();
    const pods = [pod('ready-1', { ready: true }), pod('not-ready'), pod('ready-2', { ready: true }), { ...pod('unassigned'), spec: {} }];
    await manageReplicas(deps, rs(2), pods);
    assert.deepEqual(deps.deleted.sort(), ['not-ready', 'unassigned']);
    assert.deepEqual(deps.events.sort(), ['Normal SuccessfulDelete Deleted pod: not-ready', 'Normal SuccessfulDelete Deleted pod: unassigned']);
    assert.deepEqual(deps.expectations.pending('ns/web-abc'), { add: 0, del: 2 });
    deps.expectations.deletionObserved('ns/web-abc', 'ns/not-ready');
    deps.expectations.deletionObserved('ns/web-abc', 'ns/unassigned');
    assert.equal(deps.expectations.satisfied('ns/web-abc'), true);
  });

  test('a pod already gone is not an error; other failures are', async () => {
    const deps = new FakeRSDeps();
    deps.deletePod = async (_ns, name) => { throw new StatusError(404, { reason: 'NotFound', message: `pods "${name}" not found` }); };
    await manageReplicas(deps, rs(0), [pod('a')]);
    assert.deepEqual(deps.events, []);
    assert.deepEqual(deps.expectations.pending('ns/web-abc'), { add: 0, del: 0 });
    deps.deletePod = async () => { throw new StatusError(500, { reason: 'InternalError', message: 'etcd is down' }); };
    await assert.rejects(manageReplicas(deps, rs(0), [pod('a')]), { message: 'unable to delete pods: etcd is down' });
    assert.deepEqual(deps.events, ['Warning FailedDelete Error deleting: etcd is down']);
  });
});
