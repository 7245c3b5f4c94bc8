import assert from 'node:assert/strict';
import { test } from 'node:test';
import { harness } from './harness.js';
import { makeNode, makePod } from './helpers.js';

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs one random scenario and returns every bind, failure message and decision. */
async function scenario(seed: number, filterCache: boolean): Promise<string[]> {
  const r = rng(seed);
  let tick = 1_000_000;
  const h = harness({ filterCache, rand: rng(seed + 1), percentageOfNodesToScore: 30, clock: () => tick++, backoff: { initialMs: 1e9, maxMs: 1e9 } });
  const out: string[] = [];
  const shapes = [
    { requests: [{ cpu: '500m', memory: '256Mi' }] },
    { requests: [{ cpu: '1', memory: '1Gi' }] },
    { requests: [{ cpu: '250m' }], spec: { tolerations: [{ key: 'gpu', operator: 'Exists' }] } },
    { requests: [{ cpu: '100m' }], spec: { nodeSelector: { zone: 'b' } } },
    { spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }] } },
  ];
  for (let i = 0; i < 150; i++) {
    const taints = r() < 0.2 ? [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] : undefined;
    h.addNode(makeNode(`n${i}`, { cpu: String(1 + Math.floor(r() * 4)), memory: '4Gi', pods: '20', labels: { zone: r() < 0.5 ? 'a' : 'b' }, taints }));
  }
  for (let round = 0; round < 6; round++) {
    for (let i = 0; i < 60; i++) {
      const shape = shapes[Math.floor(r() * shapes.length)];
      h.addPod(makePod(`p${round}-${i}`, { uid: `u${round}-${i}`, ...shape }));
    }
    // Change some nodes between rounds: taints, cordons, deletions of bound pods.
    for (let k = 0; k < 10; k++) {
      const n = `n${Math.floor(r() * 150)}`;
      const old = h.core.cache.getNode(n)?.node;
      if (old) h.handlers.nodes.onUpdate(old, { ...old, spec: { ...old.spec, unschedulable: r() < 0.5 } });
    }
    await h.drain();
    for (const p of [...h.api.pods.values()]) if (p.spec.nodeName && r() < 0.1) h.handlers.pods.onDelete(p);
  }
  for (const b of h.api.binds) out.push(`bind ${b.name} ${b.node}`);
  for (const e of h.api.events) if (e.reason === 'FailedScheduling') out.push(`fail ${e.name} ${e.message}`);
  h.core.queue.close();
  return out;
}

test('reusing filter answers changes nothing: random clusters schedule identically with and without the cache', async () => {
  for (const seed of [1, 2, 3]) {
    const withCache = await scenario(seed, true);
    const without = await scenario(seed, false);
    assert.ok(withCache.length > 100, `seed ${seed}: ${withCache.length} outcomes`);
    assert.deepEqual(withCache, without, `seed ${seed}`);
  }
});

test('a node change after a pod of the same shape was placed is seen by the next one', async () => {
  const h = harness();
  h.addNode(makeNode('a', { cpu: '1' }));
  h.addNode(makeNode('b', { cpu: '1' }));
  h.addPod(makePod('first', { requests: [{ cpu: '600m' }] }));
  await h.drain();
  const first = h.api.binds[0].node;
  const other = first === 'a' ? 'b' : 'a';
  const old = h.core.cache.getNode(other)!.node!;
  h.handlers.nodes.onUpdate(old, { ...old, spec: { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] } });
  h.addPod(makePod('second', { requests: [{ cpu: '600m' }] }));
  await h.drain();
  assert.equal(h.api.binds.length, 1);
  const msg = h.api.events.find((e) => e.reason === 'FailedScheduling')!.message;
  assert.equal(msg, '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {k: v}. '
    + 'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.');
  h.core.queue.close();
});
