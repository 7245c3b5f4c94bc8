import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StatusError } from '../../src/client/index.js';
import { claimObjects, recheckDeletion } from '../../src/controllers/util/claim.js';
import { Expectations, EXPECTATIONS_TIMEOUT_MS } from '../../src/controllers/util/expectations.js';
import { canonicalJson, computeHash, fnv1a32, safeEncodeString } from '../../src/controllers/util/hash.js';
import { adoptPatch, getControllerOf, newControllerRef, releasePatch } from '../../src/controllers/util/owner-refs.js';
import { isPodActive, isPodAvailable, isPodReady } from '../../src/controllers/util/pod.js';
import { podFromTemplate, podsPrefix } from '../../src/controllers/util/pod-template.js';
import { labelsContain, selectorMatcher } from '../../src/controllers/util/selector.js';
import { semanticEqual } from '../../src/controllers/util/semantic.js';
import { slowStartBatch } from '../../src/controllers/util/slow-start.js';
import { formatTime, parseTime } from '../../src/controllers/util/time.js';
import type { Pod } from '../../src/controllers/util/types.js';
import { deleteBefore, deletionCost, logarithmicRankDiff, podsToDelete } from '../../src/controllers/util/victims.js';

const T0 = Date.parse('2024-05-01T10:00:00Z');

describe('hash', () => {
  test('safeEncodeString maps decimal digits onto upstream alphabet', () => {
    assert.equal(safeEncodeString('1234567890'), '56789bcdf4');
  });

  test('fnv1a32 matches the reference vectors', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    assert.equal(fnv1a32(enc('')), 0x811c9dc5);
    assert.equal(fnv1a32(enc('a')), 0xe40c292c);
    assert.equal(fnv1a32(enc('foobar')), 0xbf9cf968);
  });

  test('computeHash is pinned, key-order independent and salted by the collision count', () => {
    const t = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } };
    const reordered = { spec: { containers: [{ image: 'nginx:1.25', name: 'app' }] }, metadata: { labels: { app: 'web' } } };
    assert.equal(computeHash(t), '69549b4c44');
    assert.equal(computeHash(reordered), '69549b4c44');
    assert.equal(computeHash(t, 0), '768955fd48');
    assert.equal(computeHash(t, 1), '95bd58f85');
    assert.equal(canonicalJson({ b: 1, a: null, c: [{ z: 1, y: undefined }] }), '{"b":1,"c":[{"z":1}]}');
  });
});

describe('selectors and equality', () => {
  test('selectorMatcher follows LabelSelectorAsSelector', () => {
    assert.equal(selectorMatcher(undefined).matches({ a: 'b' }), false);
    assert.equal(selectorMatcher({}).matches({ a: 'b' }), true);
    assert.equal(selectorMatcher({}).empty, true);
    const m = selectorMatcher({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['fe', 'be'] }, { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'team', operator: 'Exists' }, { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    assert.equal(m.matches({ app: 'web', tier: 'fe', team: 'x' }), true);
    assert.equal(m.matches({ app: 'web', tier: 'fe', team: 'x', env: 'prod' }), false);
    assert.equal(m.matches({ app: 'web', tier: 'db', team: 'x' }), false);
    assert.equal(m.matches({ app: 'web', tier: 'fe' }), false);
    assert.equal(m.matches({ app: 'web', tier: 'fe', team: 'x', legacy: '' }), false);
    assert.throws(() => selectorMatcher({ matchExpressions: [{ key: 'a', operator: 'Gt' }] }), { message: '"Gt" is not a valid label selector operator' });
    assert.equal(labelsContain({ a: '1', b: '2' }, { a: '1' }), true);
    assert.equal(labelsContain({ a: '1' }, { a: '1', b: '2' }), false);
  });

  test('semanticEqual treats missing, null and empty alike', () => {
    assert.equal(semanticEqual({ a: {}, b: [] }, {}), true);
    assert.equal(semanticEqual({ a: { x: null } }, { a: {} }), true);
    assert.equal(semanticEqual({ a: [1, 2] }, { a: [1, 2] }), true);
    assert.equal(semanticEqual({ a: [1, 2] }, { a: [2, 1] }), false);
    assert.equal(semanticEqual({ a: 0 }, {}), false);
    assert.equal(semanticEqual({ a: '' }, { a: 'x' }), false);
  });

  test('timestamps are whole seconds in UTC', () => {
    assert.equal(formatTime(T0 + 999), '2024-05-01T10:00:00Z');
    assert.equal(parseTime('2024-05-01T10:00:00Z'), T0);
    assert.equal(parseTime(null), undefined);
  });
});

describe('slow start', () => {
  test('batches double and stop at the first failing batch', async () => {
    let calls = 0;
    const sizes: number[] = [];
    let inBatch = 0;
    const r = await slowStartBatch(10, 1, async () => {
      const i = calls++;
      inBatch++;
      await Promise.resolve();
      if (inBatch > 0) { sizes.push(inBatch); inBatch = 0; }
      if (i === 4) throw new Error('quota exceeded');
    });
    assert.equal(calls, 7);
    assert.equal(r.successes, 6);
    assert.equal((r.error as Error).message, 'quota exceeded');
    assert.deepEqual(sizes, [1, 2, 4]);
  });

  test('all succeed', async () => {
    let calls = 0;
    assert.deepEqual(await slowStartBatch(5, 1, async () => { calls++; }), { successes: 5 });
    assert.equal(calls, 5);
    assert.deepEqual(await slowStartBatch(0, 1, async () => { calls++; }), { successes: 0 });
  });
});

describe('expectations', () => {
  test('creations block syncs until observed', () => {
    const e = new Expectations(() => T0);
    assert.equal(e.satisfied('ns/rs'), true);
    e.expectCreations('ns/rs', 2);
    assert.equal(e.satisfied('ns/rs'), false);
    e.creationObserved('ns/rs');
    assert.deepEqual(e.pending('ns/rs'), { add: 1, del: 0 });
    assert.equal(e.satisfied('ns/rs'), false);
    e.creationObserved('ns/rs');
    assert.equal(e.satisfied('ns/rs'), true);
  });

  test('deletions count only expected pod keys', () => {
    const e = new Expectations(() => T0);
    e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/zzz');
    assert.deepEqual(e.pending('ns/rs'), { add: 0, del: 2 });
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/a');
    assert.deepEqual(e.pending('ns/rs'), { add: 0, del: 1 });
    e.deletionObserved('ns/rs', 'ns/b');
    assert.equal(e.satisfied('ns/rs'), true);
    e.delete('ns/rs');
    assert.equal(e.pending('ns/rs'), undefined);
  });

  test('expectations expire after five minutes', () => {
    let now = T0;
    const e = new Expectations(() => now);
    e.expectCreations('ns/rs', 1);
    now = T0 + EXPECTATIONS_TIMEOUT_MS;
    assert.equal(e.satisfied('ns/rs'), false);
    now = T0 + EXPECTATIONS_TIMEOUT_MS + 1;
    assert.equal(e.satisfied('ns/rs'), true);
  });
});

function pod(name: string, opts: {
  node?: string; phase?: string; ready?: boolean; readySince?: number; created?: number; cost?: string; restarts?: number; uid?: string;
} = {}): Pod {
  return {
    metadata: {
      name, namespace: 'ns', uid: opts.uid ?? `uid-${name}`,
      creationTimestamp: opts.created !== undefined ? formatTime(opts.created) : undefined,
      annotations: opts.cost !== undefined ? { 'controller.kubernetes.io/pod-deletion-cost': opts.cost } : undefined,
    },
    spec: { nodeName: opts.node },
    status: {
      phase: opts.phase,
      conditions: opts.ready !== undefined ? [{ type: 'Ready', status: opts.ready ? 'True' : 'False', lastTransitionTime: formatTime(opts.readySince ?? T0) }] : [],
      containerStatuses: [{ name: 'app', restartCount: opts.restarts ?? 0 }],
    },
  };
}

describe('pods', () => {
  test('readiness and availability with minReadySeconds', () => {
    const p = pod('a', { node: 'n', phase: 'Running', ready: true, readySince: T0 });
    assert.equal(isPodReady(p), true);
    assert.equal(isPodAvailable(p, 0, T0), true);
    assert.equal(isPodAvailable(p, 10, T0 + 10_000), false);
    assert.equal(isPodAvailable(p, 10, T0 + 10_001), true);
    assert.equal(isPodAvailable(pod('b', { ready: false }), 0, T0), false);
    assert.equal(isPodActive(pod('c', { phase: 'Succeeded' })), false);
    assert.equal(isPodActive({ ...pod('d'), metadata: { name: 'd', deletionTimestamp: formatTime(T0) } }), false);
    assert.equal(isPodActive(pod('e', { phase: 'Running' })), true);
  });

  test('pod template: generateName, labels, owner reference', () => {
    const ref = newControllerRef({ metadata: { name: 'web-abc', uid: 'u1' } }, { apiVersion: 'apps/v1', kind: 'ReplicaSet' });
    const p = podFromTemplate({ metadata: { labels: { app: 'web' }, annotations: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } }, 'web-abc', 'ns', ref);
    assert.deepEqual(p, {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        generateName: 'web-abc-', namespace: 'ns', labels: { app: 'web' }, annotations: { a: 'b' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'u1', controller: true, blockOwnerDeletion: true }],
      },
      spec: { containers: [{ name: 'c', image: 'i' }] },
    });
    assert.equal(podsPrefix('web'), 'web-');
    assert.equal(podsPrefix('Web'), 'Web');
  });
});

describe('deletion victims', () => {
  const now = T0 + 3600_000;

  test('upstream ranking order', () => {
    const pods = [
      pod('ready-old', { node: 'n1', phase: 'Running', ready: true, readySince: T0, created: T0 }),
      pod('running-notready', { node: 'n1', phase: 'Running', ready: false, created: T0 }),
      pod('unassigned', { phase: 'Pending', created: T0 }),
      pod('pending-assigned', { node: 'n2', phase: 'Pending', created: T0 }),
      pod('unknown', { node: 'n2', phase: 'Unknown', created: T0 }),
      pod('ready-cheap', { node: 'n3', phase: 'Running', ready: true, readySince: T0, created: T0, cost: '-100' }),
      pod('ready-new', { node: 'n3', phase: 'Running', ready: true, readySince: now - 5_000, created: T0 }),
    ];
    const order = podsToDelete(pods, [], 6, now).map((p) => p.metadata.name);
    assert.deepEqual(order, ['unassigned', 'pending-assigned', 'unknown', 'running-notready', 'ready-cheap', 'ready-new']);
  });

  test('co-located pods, restarts and age break ties', () => {
    const base = { phase: 'Running', ready: true, readySince: T0, created: T0 };
    const a = pod('a', { ...base, node: 'crowded' });
    const b = pod('b', { ...base, node: 'alone' });
    const related = [a, pod('x', { ...base, node: 'crowded' }), b];
    assert.deepEqual(podsToDelete([b, a], related, 1, now).map((p) => p.metadata.name), ['a']);
    const flaky = pod('flaky', { ...base, node: 'n', restarts: 3 });
    const steady = pod('steady', { ...base, node: 'n' });
    assert.equal(deleteBefore({ pod: flaky, rank: 0 }, { pod: steady, rank: 0 }, now), true);
    const young = pod('young', { node: 'n', phase: 'Running', created: now - 10_000 });
    const old = pod('old', { node: 'n', phase: 'Running', created: T0 });
    assert.equal(deleteBefore({ pod: young, rank: 0 }, { pod: old, rank: 0 }, now), true);
    assert.equal(deleteBefore({ pod: old, rank: 0 }, { pod: young, rank: 0 }, now), false);
  });

  test('logarithmic buckets treat close ages alike and order by uid', () => {
    // 1000 s and 1050 s old both fall in bucket floor(log2(ns)) = 39.
    assert.equal(logarithmicRankDiff(now - 1_000_000, now - 1_050_000, now), 0);
    assert.equal(logarithmicRankDiff(now - 1_000, now - 1_000_000, now), -10);
    const p1 = pod('p1', { node: 'n', phase: 'Running', created: now - 1_000_000, uid: 'b' });
    const p2 = pod('p2', { node: 'n', phase: 'Running', created: now - 1_050_000, uid: 'a' });
    assert.equal(deleteBefore({ pod: p2, rank: 0 }, { pod: p1, rank: 0 }, now), true);
    assert.equal(deletionCost(pod('z', { cost: 'abc' })), 0);
    assert.equal(deletionCost(pod('z', { cost: '7' })), 7);
  });

  test('asking for all pods returns them in place', () => {
    const pods = [pod('a'), pod('b')];
    assert.deepEqual(podsToDelete(pods, [], 5, now).map((p) => p.metadata.name), ['a', 'b']);
  });
});

describe('controller references', () => {
  const owner = { metadata: { name: 'web', namespace: 'ns', uid: 'owner-uid' } };
  const kind = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };
  const obj = (name: string, labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({ metadata: { name, namespace: 'ns', uid: `uid-${name}`, labels, ...extra } });

  test('patch bodies', () => {
    assert.deepEqual(adoptPatch(newControllerRef(owner, kind), 'p1'), {
      metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'owner-uid', controller: true, blockOwnerDeletion: true }], uid: 'p1' },
    });
    assert.deepEqual(releasePatch('owner-uid', 'p1'), { metadata: { ownerReferences: [{ $patch: 'delete', uid: 'owner-uid' }], uid: 'p1' } });
    assert.equal(getControllerOf({ metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'x' }] } }), undefined);
  });

  test('claimObjects adopts, keeps, releases and ignores', async () => {
    const mine = newControllerRef(owner, kind);
    const other = { ...mine, uid: 'other', name: 'other' };
    const objects = [
      obj('orphan', { app: 'web' }),
      obj('owned', { app: 'web' }, { ownerReferences: [mine] }),
      obj('stray', { app: 'db' }, { ownerReferences: [mine] }),
      obj('foreign', { app: 'web' }, { ownerReferences: [other] }),
      obj('dying', { app: 'web' }, { deletionTimestamp: formatTime(T0) }),
      obj('nomatch', { app: 'db' }),
      obj('gone', { app: 'web' }),
    ];
    const patched: string[] = [];
    let freshReads = 0;
    const claimed = await claimObjects({
      controller: owner, controllerKind: kind, objectKind: 'Pod', match: (o) => o.metadata.labels?.app === 'web',
      patch: async (o, body) => {
        if (o.metadata.name === 'gone') throw new StatusError(404, { reason: 'NotFound', message: 'pods "gone" not found' });
        patched.push(`${o.metadata.name} ${JSON.stringify(body)}`);
      },
      canAdopt: recheckDeletion(owner, 'ReplicaSet', async () => { freshReads++; return owner; }),
    }, objects);
    assert.deepEqual(claimed.map((o) => o.metadata.name), ['orphan', 'owned']);
    assert.deepEqual(patched, [
      `orphan ${JSON.stringify(adoptPatch(mine, 'uid-orphan'))}`,
      `stray ${JSON.stringify(releasePatch('owner-uid', 'uid-stray'))}`,
    ]);
    assert.equal(freshReads, 1);
  });

  test('no adoption by a controller that was deleted meanwhile', async () => {
    const ts = '2024-05-01T10:00:00Z';
    await assert.rejects(claimObjects({
      controller: owner, controllerKind: kind, objectKind: 'Pod', match: () => true,
      patch: async () => { throw new Error('must not patch'); },
      canAdopt: recheckDeletion(owner, 'ReplicaSet', async () => ({ metadata: { ...owner.metadata, deletionTimestamp: ts } })),
    }, [obj('orphan', {})]), { message: `can't adopt Pod ns/orphan (uid-orphan): ns/web has just been deleted at ${ts}` });
    await assert.rejects(claimObjects({
      controller: owner, controllerKind: kind, objectKind: 'Pod', match: () => true,
      patch: async () => { throw new Error('must not patch'); },
      canAdopt: recheckDeletion(owner, 'ReplicaSet', async () => ({ metadata: { ...owner.metadata, uid: 'new' } })),
    }, [obj('orphan', {})]), { message: "can't adopt Pod ns/orphan (uid-orphan): original ReplicaSet ns/web is gone: got uid new, wanted owner-uid" });
  });
});
