/** The garbage collector's dependency graph and the work it queues, event by event (no API server). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, OwnerReference } from '../../src/client/object.js';
import { WorkQueue } from '../../src/client/workqueue.js';
import { GraphBuilder, RestMapper, RestMappingError, monitoredTypes, type ObjectIdentity } from '../../src/controllers/garbagecollector/index.js';
import { referencesDiff } from '../../src/controllers/garbagecollector/references.js';

/** Every key queued right now, in order (each taken and marked done). */
async function drain(q: WorkQueue): Promise<string[]> {
  const keys: string[] = [];
  while (q.length > 0) {
    const k = (await q.get())!;
    keys.push(k);
    q.done(k);
  }
  return keys;
}

const rsId = (name: string, uid: string, namespace = 'ns'): ObjectIdentity => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid, namespace });
const podId = (name: string, uid: string, namespace = 'ns'): ObjectIdentity => ({ apiVersion: 'v1', kind: 'Pod', name, uid, namespace });
const refTo = (id: ObjectIdentity, block?: boolean): OwnerReference => ({ apiVersion: id.apiVersion, kind: id.kind, name: id.name, uid: id.uid, ...(block === undefined ? {} : { blockOwnerDeletion: block }) });
const obj = (id: ObjectIdentity, meta: Record<string, unknown> = {}): KubeObject => ({ metadata: { name: id.name, namespace: id.namespace || undefined, uid: id.uid, ...meta } });

function rig() {
  const del = new WorkQueue();
  const orphan = new WorkQueue();
  const invalid: Array<[ObjectIdentity, ObjectIdentity]> = [];
  const b = new GraphBuilder(del, orphan, (d, o) => invalid.push([d, o]));
  return { b, del, orphan, invalid };
}

describe('garbage collector graph', () => {
  it('links dependents to owners; an owner not seen yet is a virtual node queued for checking', async () => {
    const { b, del } = rig();
    const rs = rsId('rs', 'u-rs');
    const pod = podId('p', 'u-p');
    b.process({ type: 'add', identity: pod, obj: obj(pod, { ownerReferences: [refTo(rs, true)] }) });
    assert.deepEqual(await drain(del), ['u-rs']);
    const owner = b.graph.get('u-rs')!;
    assert.equal(owner.virtual, true);
    assert.deepEqual(owner.identity, rs);
    assert.deepEqual([...owner.dependents].map((d) => d.identity.uid), ['u-p']);
    assert.deepEqual(owner.blockingDependents().map((d) => d.identity.name), ['p']);
    b.process({ type: 'add', identity: rs, obj: obj(rs) });
    assert.equal(b.graph.get('u-rs')!.virtual, false);
    assert.deepEqual(await drain(del), []);
  });

  it('queues the dependents of a deleted owner and remembers the owner as absent', async () => {
    const { b, del } = rig();
    const rs = rsId('rs', 'u-rs');
    b.process({ type: 'add', identity: rs, obj: obj(rs) });
    for (const n of ['a', 'b']) b.process({ type: 'add', identity: podId(n, `u-${n}`), obj: obj(podId(n, `u-${n}`), { ownerReferences: [refTo(rs)] }) });
    b.process({ type: 'delete', identity: rs, obj: obj(rs) });
    assert.equal(b.graph.has('u-rs'), false);
    assert.deepEqual(await drain(del), ['u-a', 'u-b']);
    assert.equal(b.absentOwners.has(rs), true);
  });

  it('starts foreground deletion: dependents and the owner are queued; orphan deletion queues the owner for orphaning', async () => {
    const { b, del, orphan } = rig();
    const rs = rsId('rs', 'u-rs');
    const pod = podId('p', 'u-p');
    b.process({ type: 'add', identity: rs, obj: obj(rs) });
    b.process({ type: 'add', identity: pod, obj: obj(pod, { ownerReferences: [refTo(rs, true)] }) });
    const deleting = obj(rs, { deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] });
    b.process({ type: 'update', identity: rs, obj: deleting, oldObj: obj(rs) });
    assert.equal(b.graph.get('u-rs')!.deletingDependents, true);
    assert.equal(b.graph.get('u-rs')!.beingDeleted, true);
    assert.deepEqual(await drain(del), ['u-p', 'u-rs']);
    // The same state seen again is no new transition.
    b.process({ type: 'update', identity: rs, obj: deleting, oldObj: deleting });
    assert.deepEqual(await drain(del), []);
    const rs2 = rsId('rs2', 'u-rs2');
    b.process({ type: 'add', identity: rs2, obj: obj(rs2, { deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['orphan'] }) });
    assert.deepEqual(await drain(orphan), ['u-rs2']);
  });

  it('queues an owner again when a blocking reference to it is dropped or stops blocking', async () => {
    const { b, del } = rig();
    const rs = rsId('rs', 'u-rs');
    const pod = podId('p', 'u-p');
    b.process({ type: 'add', identity: rs, obj: obj(rs) });
    b.process({ type: 'add', identity: pod, obj: obj(pod, { ownerReferences: [refTo(rs, true)] }) });
    b.process({ type: 'update', identity: pod, obj: obj(pod, { ownerReferences: [refTo(rs, false)] }), oldObj: obj(pod) });
    assert.deepEqual(await drain(del), ['u-rs']);
    b.process({ type: 'update', identity: pod, obj: obj(pod, { ownerReferences: [] }), oldObj: obj(pod) });
    assert.deepEqual(await drain(del), []);
    assert.equal(b.graph.get('u-rs')!.dependents.size, 0);
  });

  it('reports a reference to an observed owner in another namespace and queues the dependent', async () => {
    const { b, del, invalid } = rig();
    const rs = rsId('rs', 'u-rs', 'a');
    const pod = podId('p', 'u-p', 'b');
    b.process({ type: 'add', identity: rs, obj: obj(rs) });
    b.process({ type: 'add', identity: pod, obj: obj(pod, { ownerReferences: [refTo(rs)] }) });
    assert.deepEqual(invalid, [[pod, { ...rs, namespace: 'b' }]]);
    assert.deepEqual(await drain(del), ['u-p']);
  });

  it('replaces a virtual node by the observed identity and queues dependents that named other coordinates', async () => {
    const { b, del, invalid } = rig();
    const pod = podId('p', 'u-p');
    b.process({ type: 'add', identity: pod, obj: obj(pod, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'wrong-name', uid: 'u-rs' }] }) });
    assert.deepEqual(await drain(del), ['u-rs']);
    const rs = rsId('rs', 'u-rs');
    b.process({ type: 'add', identity: rs, obj: obj(rs) });
    assert.deepEqual(b.graph.get('u-rs')!.identity, rs);
    assert.deepEqual(await drain(del), ['u-p']);
    assert.deepEqual(invalid, []);
  });

  it('a virtual delete removes a virtual owner only when every dependent agrees on its coordinates', async () => {
    const { b, del } = rig();
    const a = podId('a', 'u-a');
    const c = podId('c', 'u-c');
    const named = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'one', uid: 'u-x' };
    b.process({ type: 'add', identity: a, obj: obj(a, { ownerReferences: [named] }) });
    b.process({ type: 'add', identity: c, obj: obj(c, { ownerReferences: [{ ...named, name: 'two' }] }) });
    // 'c' disagrees with the coordinates the graph has for u-x: it is checked too.
    assert.deepEqual(await drain(del), ['u-x', 'u-c']);
    b.process({ type: 'delete', identity: rsId('one', 'u-x'), virtual: true });
    // 'a' named the absent coordinates; 'c' names others, which the virtual node now stands for.
    assert.deepEqual(await drain(del), ['u-a']);
    assert.deepEqual(b.graph.get('u-x')!.identity, rsId('two', 'u-x'));
    assert.equal(b.absentOwners.has(rsId('one', 'u-x')), true);
    b.process({ type: 'delete', identity: rsId('two', 'u-x'), virtual: true });
    assert.equal(b.graph.has('u-x'), true);
  });

  it('diffs owner references by uid', () => {
    const x = { apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: '1' };
    const y = { apiVersion: 'v1', kind: 'ConfigMap', name: 'y', uid: '2' };
    const z = { apiVersion: 'v1', kind: 'ConfigMap', name: 'z', uid: '3' };
    assert.deepEqual(referencesDiff([x, y], [{ ...y, blockOwnerDeletion: true }, z]), {
      added: [z], removed: [x], changed: [{ oldRef: y, newRef: { ...y, blockOwnerDeletion: true } }],
    });
  });

  it('watches every built-in resource but events, and maps references to them', () => {
    const types = monitoredTypes();
    assert.equal(types.some((t) => t.plural === 'events'), false);
    assert.ok(types.some((t) => t.plural === 'pods') && types.some((t) => t.plural === 'replicasets') && types.some((t) => t.plural === 'namespaces'));
    const mapper = new RestMapper(types);
    assert.equal(mapper.map('apps/v1', 'ReplicaSet').plural, 'replicasets');
    assert.equal(mapper.map('apps/v1beta2', 'ReplicaSet').version, 'v1');
    assert.throws(() => mapper.map('example.com/v1', 'Widget'), (e: unknown) => e instanceof RestMappingError && e.message === 'unable to get REST mapping for example.com/v1/Widget.');
  });
});
