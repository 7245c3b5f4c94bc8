import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_WEIGHTS } from '../../src/scheduler/plugins/registry.js';
import { harness } from './harness.js';
import { makeNode, makePod } from './helpers.js';

test('default plugin set and weights follow upstream v1.32', () => {
  const h = harness();
  const fw = h.core.framework;
  assert.equal(fw.queueSort?.name, 'PrioritySort');
  assert.deepEqual(fw.preEnqueuePlugins.map((p) => p.name), ['SchedulingGates']);
  assert.deepEqual(fw.filterPlugins.map((p) => p.name), ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit']);
  assert.deepEqual(fw.postFilterPlugins.map((p) => p.name), ['DefaultPreemption']);
  assert.deepEqual(fw.scorePlugins.map((p) => [p.plugin.name, p.weight]), [
    ['TaintToleration', 3], ['NodeAffinity', 2], ['NodeResourcesFit', 1], ['NodeResourcesBalancedAllocation', 1], ['ImageLocality', 1],
  ]);
  assert.deepEqual(fw.bindPlugins.map((p) => p.name), ['DefaultBinder']);
  assert.equal(DEFAULT_WEIGHTS.TaintToleration, 3);
  h.core.queue.close();
});

test('a pod is bound to the best node; the decision shows scores per plugin and the Scheduled event follows', async () => {
  const h = harness();
  h.addNode(makeNode('busy', { cpu: '4', memory: '8Gi' }));
  h.addNode(makeNode('idle', { cpu: '4', memory: '8Gi' }));
  h.addNode(makeNode('tainted', { taints: [{ key: 'x', value: 'y', effect: 'NoSchedule' }] }));
  h.addPod(makePod('existing', { nodeName: 'busy', requests: [{ cpu: '2', memory: '4Gi' }] }));
  h.addPod(makePod('web', { requests: [{ cpu: '1', memory: '2Gi' }] }));
  await h.drain();
  assert.deepEqual(h.api.binds, [{ namespace: 'default', name: 'web', node: 'idle' }]);
  assert.deepEqual(h.api.events.map((e) => [e.type, e.reason, e.message]), [['Normal', 'Scheduled', 'Successfully assigned default/web to idle']]);
  const d = h.core.decisions.get('default', 'web')!;
  assert.equal(d.result, 'Scheduled');
  assert.equal(d.node, 'idle');
  assert.equal(d.attempts, 1);
  assert.deepEqual([d.numAllNodes, d.evaluatedNodes, d.feasibleNodes], [3, 3, 2]);
  assert.deepEqual(d.filtered, [{ plugin: 'TaintToleration', reason: 'node(s) had untolerated taint {x: y}', count: 1, nodes: ['tainted'] }]);
  // idle: LeastAllocated (75 + 75) / 2 = 75, balanced 100; busy: (25 + 25) / 2 = 25, balanced 100.
  // ImageLocality is skipped: no node holds busybox.
  assert.deepEqual(d.topScores, [
    { node: 'idle', total: 300 + 75 + 100, plugins: { TaintToleration: 300, NodeResourcesFit: 75, NodeResourcesBalancedAllocation: 100 } },
    { node: 'busy', total: 300 + 25 + 100, plugins: { TaintToleration: 300, NodeResourcesFit: 25, NodeResourcesBalancedAllocation: 100 } },
  ]);
  assert.ok(d.boundAt && d.firstAttempt <= d.lastAttempt);
  assert.equal(h.core.stats.scheduled, 1);
  h.core.queue.close();
});

test('pods placed in one pass never overcommit a node (assumed pods count at once)', async () => {
  const h = harness({ confirmBinds: false });
  h.addNode(makeNode('a', { cpu: '1', pods: '10' }));
  h.addNode(makeNode('b', { cpu: '1', pods: '10' }));
  for (let i = 0; i < 10; i++) h.addPod(makePod(`p${i}`, { requests: [{ cpu: '300m' }] }));
  await h.drain();
  const perNode = new Map<string, number>();
  for (const b of h.api.binds) perNode.set(b.node, (perNode.get(b.node) ?? 0) + 1);
  assert.deepEqual([...perNode.entries()].sort(), [['a', 3], ['b', 3]]);
  assert.equal(h.core.queue.lengths().unschedulable, 4);
  h.core.queue.close();
});

test('a failed binding forgets the assumed pod, reports the error and retries the pod', async () => {
  const h = harness({ backoff: { initialMs: 0, maxMs: 0 } });
  h.addNode(makeNode('n', { cpu: '1' }));
  let fail = true;
  h.api.failBind = () => (fail ? new Error('etcdserver: request timed out') : undefined);
  h.addPod(makePod('p', { requests: [{ cpu: '600m' }] }));
  h.step();
  assert.equal(h.core.cache.getNode('n')!.requested.milliCPU, 600, 'assumed while binding');
  await h.core.waitForBindsIdle();
  assert.equal(h.core.cache.getNode('n')!.requested.milliCPU, 0, 'forgotten');
  const ev = h.api.events.find((e) => e.reason === 'FailedScheduling')!;
  assert.equal(ev.message, 'running Bind plugin "DefaultBinder": etcdserver: request timed out');
  assert.equal(h.api.patches[0].patch.status.conditions[0].reason, 'SchedulerError');
  assert.equal(h.core.decisions.get('default', 'p')!.result, 'Error');
  fail = false;
  h.core.queue.flushBackoffCompleted();
  await h.drain();
  assert.deepEqual(h.api.binds.map((b) => b.node), ['n']);
  assert.equal(h.core.decisions.get('default', 'p')!.attempts, 2);
  assert.equal(h.core.cache.getNode('n')!.requested.milliCPU, 600);
  h.core.queue.close();
});

test('pods being deleted are skipped with upstream\'s event; other schedulers\' pods are ignored', async () => {
  const h = harness();
  h.addNode(makeNode('n'));
  const deleting = makePod('going');
  deleting.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
  h.addPod(deleting);
  h.addPod(makePod('other', { spec: { schedulerName: 'my-scheduler' } }));
  await h.drain();
  assert.deepEqual(h.api.binds, []);
  assert.deepEqual(h.api.events.map((e) => [e.type, e.reason, e.message]), [['Warning', 'FailedScheduling', 'skip schedule deleting pod: default/going']]);
  h.core.queue.close();
});

test('a single feasible node is taken without scoring', async () => {
  const h = harness();
  h.addNode(makeNode('only'));
  h.addNode(makeNode('cordoned', { unschedulable: true }));
  h.addPod(makePod('p'));
  await h.drain();
  const d = h.core.decisions.get('default', 'p')!;
  assert.deepEqual([d.node, d.feasibleNodes, d.topScores.length], ['only', 1, 0]);
  assert.deepEqual(d.filtered.map((f) => f.reason), ['node(s) were unschedulable']);
  h.core.queue.close();
});
