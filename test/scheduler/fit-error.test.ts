import assert from 'node:assert/strict';
import { test } from 'node:test';
import { truncateMessage } from '../../src/scheduler/failure.js';
import { Diagnosis, fitErrorMessage, NodeToStatus } from '../../src/scheduler/framework/node-to-status.js';
import { Code, Status } from '../../src/scheduler/framework/status.js';
import { harness } from './harness.js';
import { makeNode, makePod } from './helpers.js';

test('FitError message: reasons counted per node, sorted as strings, joined by ", "', () => {
  const statuses = new NodeToStatus();
  for (let i = 0; i < 10; i++) statuses.set(`cpu-${i}`, new Status(Code.Unschedulable, ['Insufficient cpu']));
  statuses.set('both-1', new Status(Code.Unschedulable, ['Insufficient cpu', 'Insufficient memory']));
  statuses.set('both-2', new Status(Code.Unschedulable, ['Insufficient cpu', 'Insufficient memory']));
  statuses.set('t', Status.of(Code.UnschedulableAndUnresolvable, 'node(s) had untolerated taint {a: b}'));
  const d = new Diagnosis(statuses);
  assert.equal(fitErrorMessage(13, d), '0/13 nodes are available: 1 node(s) had untolerated taint {a: b}, 12 Insufficient cpu, 2 Insufficient memory.');
  d.postFilterMsg = 'preemption: not eligible due to preemptionPolicy=Never.';
  assert.equal(fitErrorMessage(13, d), '0/13 nodes are available: 1 node(s) had untolerated taint {a: b}, 12 Insufficient cpu, 2 Insufficient memory. preemption: not eligible due to preemptionPolicy=Never.');
});

test('FitError message: absent nodes count under the absent status; a PreFilter message replaces the histogram', () => {
  const statuses = new NodeToStatus(Status.of(Code.UnschedulableAndUnresolvable, "node(s) didn't satisfy plugin(s) [NodeAffinity]"));
  statuses.set('n1', Status.of(Code.Unschedulable, 'Insufficient cpu'));
  assert.equal(fitErrorMessage(3, new Diagnosis(statuses)), "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].");
  const d = new Diagnosis(new NodeToStatus(Status.of(Code.UnschedulableAndUnresolvable, 'pod affinity terms conflict')));
  d.preFilterMsg = 'pod affinity terms conflict';
  assert.equal(fitErrorMessage(3, d), '0/3 nodes are available: pod affinity terms conflict.');
});

test('truncateMessage keeps 1024 characters, ending a cut message with " ..."', () => {
  assert.equal(truncateMessage('short'), 'short');
  const long = 'x'.repeat(2000);
  assert.equal(truncateMessage(long), `${'x'.repeat(1020)} ...`);
  assert.equal(truncateMessage('y'.repeat(1024)).length, 1024);
});

/** Schedules one pending pod on a fresh harness and returns its FailedScheduling message. */
async function failureOf(nodes: any[], pod: any, existing: any[] = []): Promise<{ message: string; h: ReturnType<typeof harness> }> {
  const h = harness();
  for (const n of nodes) h.addNode(n);
  for (const p of existing) h.addPod(p);
  h.addPod(pod);
  await h.drain();
  const ev = h.api.events.find((e) => e.name === pod.metadata.name && e.reason === 'FailedScheduling');
  h.core.queue.close();
  return { message: ev?.message ?? '', h };
}

test('preemption part: no victims (equal priority), not helpful (unresolvable), mixed', async () => {
  const nodes = [makeNode('n1', { cpu: '1' }), makeNode('n2', { cpu: '1' }), makeNode('n3', { cpu: '1', taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] })];
  const { message, h } = await failureOf(nodes, makePod('big', { requests: [{ cpu: '2' }] }));
  assert.equal(message, '0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 Insufficient cpu. '
    + 'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.');
  assert.equal(h.api.events.find((e) => e.reason === 'FailedScheduling')?.type, 'Warning');
  const patch = h.api.patches.find((p) => p.name === 'big')!.patch;
  const cond = patch.status.conditions[0];
  assert.deepEqual([cond.type, cond.status, cond.reason, cond.message, cond.lastProbeTime], ['PodScheduled', 'False', 'Unschedulable', message, null]);
  assert.match(cond.lastTransitionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  const all = await failureOf(nodes.slice(0, 2), makePod('picky', { spec: { nodeSelector: { disk: 'ssd' } } }));
  assert.equal(all.message, "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. "
    + 'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.');
});

test('preemption part: lower-priority pods are counted as victims (a node where they would make room gives no message)', async () => {
  const low = makePod('low', { requests: [{ cpu: '800m' }], priority: -5, nodeName: 'n1' });
  const mid = makePod('mid', { requests: [{ cpu: '800m' }], priority: 5, nodeName: 'n2' });
  const stillShort = await failureOf([makeNode('n1', { cpu: '1' }), makeNode('n2', { cpu: '1' })], makePod('p', { requests: [{ cpu: '1500m' }] }), [low, mid]);
  assert.equal(stillShort.message, '0/2 nodes are available: 2 Insufficient cpu. '
    + 'preemption: 0/2 nodes are available: 1 Insufficient cpu, 1 No preemption victims found for incoming pod.');
  const wouldFit = await failureOf([makeNode('n1', { cpu: '1' }), makeNode('n2', { cpu: '1' })], makePod('q', { requests: [{ cpu: '500m' }] }), [low, mid]);
  assert.equal(wouldFit.message, '0/2 nodes are available: 2 Insufficient cpu.');
});

test('preemption part: preemptionPolicy Never; PreFilter rejection; narrowed nodes; no nodes at all', async () => {
  const nodes = [makeNode('n1', { cpu: '1' }), makeNode('n2', { cpu: '1' }), makeNode('n3', { cpu: '1' })];
  const never = await failureOf(nodes, makePod('never', { requests: [{ cpu: '2' }], spec: { preemptionPolicy: 'Never' } }));
  assert.equal(never.message, '0/3 nodes are available: 3 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
  const names = (...sets: string[][]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {
    nodeSelectorTerms: [{ matchFields: sets.map((values) => ({ key: 'metadata.name', operator: 'In', values })) }],
  } } } });
  const conflict = await failureOf(nodes, makePod('conflict', { spec: names(['n1'], ['n2']) }));
  assert.equal(conflict.message, '0/3 nodes are available: pod affinity terms conflict. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
  const narrowed = await failureOf(nodes, makePod('narrowed', { requests: [{ cpu: '2' }], spec: names(['n1']) }));
  assert.equal(narrowed.message, "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. "
    + 'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.');
  const none = await failureOf([], makePod('lonely'));
  assert.equal(none.message, 'no nodes available to schedule pods');
  assert.equal(none.h.api.patches[0].patch.status.conditions[0].reason, 'Unschedulable');
});

test('the condition is not patched again when the pod already carries the same one', async () => {
  const h = harness({ backoff: { initialMs: 0, maxMs: 0 } });
  h.addNode(makeNode('n', { cpu: '1' }));
  h.addPod(makePod('big', { requests: [{ cpu: '2' }] }));
  await h.drain();
  const first = h.api.patches[0].patch.status.conditions[0];
  const pod = h.api.pods.get('default/big')!;
  const updated = { ...pod, metadata: { ...pod.metadata, resourceVersion: '2' }, status: { ...pod.status, conditions: [first] } };
  h.api.pods.set('default/big', updated);
  h.handlers.pods.onUpdate(pod, updated);
  h.core.queue.moveAllToActiveOrBackoff('ForceActivate');
  await h.drain();
  assert.equal(h.api.events.filter((e) => e.reason === 'FailedScheduling').length, 2);
  assert.equal(h.api.patches.length, 1);
  h.core.queue.close();
});
