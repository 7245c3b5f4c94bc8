import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SchedulerCache } from '../../src/scheduler/cache/cache.js';
import { CycleState } from '../../src/scheduler/framework/cycle-state.js';
import type { PreScorePlugin, ScorePlugin } from '../../src/scheduler/framework/interfaces.js';
import { PodInfo } from '../../src/scheduler/framework/pod-info.js';
import { Code } from '../../src/scheduler/framework/status.js';
import { NodeResourcesBalancedAllocation } from '../../src/scheduler/plugins/balanced-allocation.js';
import { ImageLocality } from '../../src/scheduler/plugins/image-locality.js';
import { NodeAffinity } from '../../src/scheduler/plugins/node-affinity.js';
import { NodeResourcesFit } from '../../src/scheduler/plugins/node-resources-fit.js';
import { TaintToleration } from '../../src/scheduler/plugins/taint-toleration.js';

let n = 0;
/** A pod with one container per request map (none: no containers), optionally on a node. */
function rawPod(reqs: Record<string, string>[], nodeName?: string, spec: any = {}): any {
  return {
    metadata: { name: `p${++n}`, namespace: 'default', uid: `u${n}` },
    spec: { ...(nodeName ? { nodeName } : {}), containers: reqs.map((r, i) => ({ name: `c${i}`, image: 'x', resources: { requests: r } })), ...spec },
  };
}

function rawNode(name: string, alloc: Record<string, string>, extra: any = {}): any {
  return { metadata: { name, labels: extra.labels ?? {} }, spec: extra.spec ?? {}, status: { capacity: alloc, allocatable: alloc, ...(extra.images ? { images: extra.images } : {}) } };
}

/** Scores `pod` on `nodes` (with `existing` pods placed) with one plugin, normalizing when it can. */
function scores(plugin: ScorePlugin & Partial<PreScorePlugin>, pod: any, nodes: any[], existing: any[] = [], cache = new SchedulerCache()): number[] {
  for (const node of nodes) cache.addNode(node);
  for (const p of existing) cache.addPod(p);
  const infos = cache.nodeList();
  const pi = new PodInfo(pod);
  const state = new CycleState();
  plugin.preScore?.(state, pi, infos);
  const buf = Float64Array.from(infos, (ni) => plugin.score(state, pi, ni));
  plugin.normalizeScore?.(state, pi, buf, buf.length);
  return [...buf];
}

// Upstream's TestLeastAllocatedScoringStrategy (quantities in cores and bytes).
test('NodeResourcesFit LeastAllocated: upstream score table', () => {
  const fit = () => new NodeResourcesFit();
  const nodes = (a: [string, string], b: [string, string]) => [rawNode('node1', { cpu: a[0], memory: a[1] }), rawNode('node2', { cpu: b[0], memory: b[1] })];
  const twoContainers = () => rawPod([{ cpu: '1000', memory: '2000' }, { cpu: '2000', memory: '3000' }]);
  assert.deepEqual(scores(fit(), rawPod([]), nodes(['4000', '10000'], ['4000', '10000'])), [100, 100], 'nothing scheduled, nothing requested');
  assert.deepEqual(scores(fit(), twoContainers(), nodes(['4000', '10000'], ['6000', '10000'])), [37, 50], 'differently sized nodes');
  assert.deepEqual(scores(fit(), rawPod([]), nodes(['4000', '10000'], ['4000', '10000']), [rawPod([], 'node1'), rawPod([], 'node1'), rawPod([], 'node2'), rawPod([], 'node2')]), [100, 100], 'no resources requested, pods scheduled');
  const existing = [
    rawPod([{ cpu: '3000', memory: '0' }], 'node1'), rawPod([{ cpu: '3000', memory: '0' }], 'node1'),
    rawPod([{ cpu: '3000', memory: '0' }], 'node2'), rawPod([{ cpu: '3000', memory: '5000' }], 'node2'),
  ];
  assert.deepEqual(scores(fit(), rawPod([]), nodes(['10000', '20000'], ['10000', '20000']), existing), [70, 57], 'no resources requested, pods scheduled with resources');
  const two = [rawPod([{ cpu: '3000', memory: '0' }], 'node1'), rawPod([{ cpu: '3000', memory: '5000' }], 'node2')];
  assert.deepEqual(scores(fit(), twoContainers(), nodes(['10000', '20000'], ['10000', '20000']), two), [57, 45], 'resources requested, pods scheduled with resources');
  assert.deepEqual(scores(fit(), twoContainers(), nodes(['10000', '20000'], ['10000', '50000']), two), [57, 60], 'differently sized nodes with pods');
  assert.deepEqual(scores(fit(), rawPod([{ cpu: '3000', memory: '0' }]), nodes(['4000', '10000'], ['4000', '10000']), two), [50, 25], 'requested resources exceed node capacity');
  assert.deepEqual(scores(fit(), rawPod([]), [rawNode('node1', {}), rawNode('node2', {})], two), [0, 0], 'zero node resources');
  const weighted = new NodeResourcesFit([{ name: 'memory', weight: 2 }, { name: 'cpu', weight: 1 }]);
  assert.deepEqual(scores(weighted, twoContainers(), nodes(['4000', '10000'], ['6000', '10000'])), [41, 50], 'memory weighted 2');
});

// Upstream's TestNodeResourcesBalancedAllocation (cpu in millicores).
test('NodeResourcesBalancedAllocation: upstream score table', () => {
  const cpuAndMemory = (node?: string) => rawPod([{ cpu: '1000m', memory: '2000' }, { cpu: '2000m', memory: '3000' }], node);
  const cpuOnly = (node?: string) => rawPod([{ cpu: '1000m', memory: '0' }, { cpu: '2000m', memory: '0' }], node);
  const node = (name: string, milliCPU: number, memory: number) => rawNode(name, { cpu: `${milliCPU}m`, memory: String(memory) });
  const ba = () => new NodeResourcesBalancedAllocation();
  assert.deepEqual(scores(ba(), cpuAndMemory(), [node('node1', 4000, 10000), node('node2', 6000, 10000)]), [87, 100], 'nothing scheduled, resources requested');
  const existing = () => [cpuOnly('node1'), cpuAndMemory('node2')];
  assert.deepEqual(scores(ba(), cpuAndMemory(), [node('node1', 10000, 20000), node('node2', 10000, 20000)], existing()), [82, 95]);
  assert.deepEqual(scores(ba(), cpuAndMemory(), [node('node1', 10000, 20000), node('node2', 10000, 50000)], existing()), [82, 80]);
  assert.deepEqual(scores(ba(), cpuOnly(), [node('node1', 6000, 10000), node('node2', 6000, 10000)], existing()), [50, 75], 'requested resources at node capacity');
  assert.deepEqual(scores(ba(), rawPod([]), [node('node1', 4000, 10000), node('node2', 4000, 10000)]), [100, 100], 'best-effort pods are scored in v1.32');
});

test('TaintToleration score counts intolerable PreferNoSchedule taints, normalized in reverse', () => {
  const prefer = (...keys: string[]) => ({ spec: { taints: keys.map((k) => ({ key: k, value: 'v', effect: 'PreferNoSchedule' })) } });
  const nodes = [rawNode('a', {}, prefer()), rawNode('b', {}, prefer('x')), rawNode('c', {}, prefer('x', 'y')), rawNode('d', {}, { spec: { taints: [{ key: 'z', effect: 'NoSchedule' }] } })];
  assert.deepEqual(scores(new TaintToleration(), rawPod([]), nodes), [100, 50, 0, 100]);
  const tolerating = rawPod([], undefined, { tolerations: [{ key: 'x', operator: 'Exists', effect: 'PreferNoSchedule' }, { key: 'y', operator: 'Exists', effect: 'NoSchedule' }] });
  assert.deepEqual(scores(new TaintToleration(), tolerating, nodes), [100, 100, 0, 100]);
});

test('NodeAffinity score sums matching preferred weights, normalized to 100; Skip without preferences', () => {
  const pod = rawPod([], undefined, { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
    { weight: 2, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
    { weight: 8, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
    { weight: 5, preference: {} },
  ] } } });
  const nodes = [rawNode('n1', {}, { labels: { zone: 'a' } }), rawNode('n2', {}, { labels: { zone: 'a', disk: 'ssd' } }), rawNode('n3', {}, { labels: {} })];
  assert.deepEqual(scores(new NodeAffinity(), pod, nodes), [20, 100, 0]);
  const cache = new SchedulerCache();
  const some = [cache.addNode(rawNode('n', {}))];
  assert.equal(new NodeAffinity().preScore(new CycleState(), new PodInfo(rawPod([])), some)?.code, Code.Skip);
  assert.equal(new NodeAffinity().preScore(new CycleState(), new PodInfo(pod), some), null);
});

// Upstream's TestImageLocalityPriority (sizes in MiB, 1000 MiB per container cap).
test('ImageLocality: upstream score table', () => {
  const mb = 1024 * 1024;
  const node1 = rawNode('node1', {}, { images: [
    { names: ['gcr.io/40:latest', 'gcr.io/40:v1', 'gcr.io/40:v1'], sizeBytes: 40 * mb },
    { names: ['gcr.io/300:latest', 'gcr.io/300:v1'], sizeBytes: 300 * mb },
    { names: ['gcr.io/2000:latest'], sizeBytes: 2000 * mb },
  ] });
  const node2 = rawNode('node2', {}, { images: [
    { names: ['gcr.io/250:latest'], sizeBytes: 250 * mb },
    { names: ['gcr.io/10:latest', 'gcr.io/10:v1'], sizeBytes: 10 * mb },
  ] });
  const imagePod = (...images: string[]) => ({ metadata: { name: 'p', namespace: 'd', uid: 'u' }, spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } });
  const run = (pod: any, nodes: any[]) => {
    const cache = new SchedulerCache();
    return scores(new ImageLocality({ nodeList: () => cache.nodeList(), imageNodeCount: (n) => cache.imageNodeCount(n) }), pod, nodes, [], cache);
  };
  assert.deepEqual(run(imagePod('gcr.io/40', 'gcr.io/250'), [node1, node2]), [0, 5]);
  assert.deepEqual(run(imagePod('gcr.io/40', 'gcr.io/300'), [node1, node2]), [7, 0]);
  // 2000 MiB on 1 of 3 nodes: 100 × (2000/3 MiB − 23 MiB) / (2 × 1000 MiB − 23 MiB) = 32.
  assert.deepEqual(run(imagePod('gcr.io/2000', 'gcr.io/10'), [node1, node2, rawNode('node3', {})]), [32, 0, 0]);
});
