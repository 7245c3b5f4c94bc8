import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PodInfo } from '../../src/scheduler/framework/pod-info.js';
import { PrioritySort } from '../../src/scheduler/plugins/priority-sort.js';
import { SchedulingGates } from '../../src/scheduler/plugins/scheduling-gates.js';
import { SchedulingQueue } from '../../src/scheduler/queue/scheduling-queue.js';
import { harness } from './harness.js';
import { makeNode, makePod } from './helpers.js';

function queue(clock: { now: number }, opts: { unschedulableTimeoutMs?: number } = {}) {
  const sort = new PrioritySort();
  const gates = new SchedulingGates();
  return new SchedulingQueue({
    less: (a, b) => sort.less(a, b), preEnqueue: (p) => gates.preEnqueue(p), clock: () => clock.now, ...opts,
  });
}

const names = (q: SchedulingQueue) => {
  const out: string[] = [];
  for (let p = q.tryPop(); p; p = q.tryPop()) out.push(p.podInfo.name);
  return out;
};

test('active queue: higher priority first, then older first', () => {
  const clock = { now: 1000 };
  const q = queue(clock);
  q.add(new PodInfo(makePod('low-old', { priority: 0 })));
  clock.now++;
  q.add(new PodInfo(makePod('high', { priority: 100 })));
  clock.now++;
  q.add(new PodInfo(makePod('low-new', { priority: 0 })));
  clock.now++;
  q.add(new PodInfo(makePod('mid', { priority: 10 })));
  assert.deepEqual(names(q), ['high', 'mid', 'low-old', 'low-new']);
  q.close();
});

test('backoff: 1s doubling to 10s; a failed pod waits in the backoff queue until its time', () => {
  const clock = { now: 0 };
  const q = queue(clock);
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((a) => q.backoffDuration(a)), [0, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  q.add(new PodInfo(makePod('p')));
  const popped = q.tryPop()!;
  assert.equal(popped.attempts, 1);
  // A move request during the attempt sends the failed pod to backoff rather than unschedulable.
  q.moveAllToActiveOrBackoff('NodeAdd');
  popped.unschedulablePlugins.add('NodeResourcesFit');
  q.addUnschedulableIfNotPresent(popped, q.schedulingCycle);
  assert.deepEqual(q.lengths(), { active: 0, backoff: 1, unschedulable: 0, inFlight: 0 });
  clock.now = 999;
  q.flushBackoffCompleted();
  assert.equal(q.lengths().backoff, 1);
  clock.now = 1000;
  q.flushBackoffCompleted();
  assert.deepEqual(q.lengths(), { active: 1, backoff: 0, unschedulable: 0, inFlight: 0 });
  q.close();
});

test('unschedulable pods move on events (through backoff while it lasts), and after the timeout', () => {
  const clock = { now: 0 };
  const q = queue(clock, { unschedulableTimeoutMs: 60_000 });
  q.add(new PodInfo(makePod('a')));
  q.add(new PodInfo(makePod('b')));
  for (const name of ['a', 'b']) {
    const p = q.tryPop()!;
    assert.equal(p.podInfo.name, name);
    p.unschedulablePlugins.add(name === 'a' ? 'NodeResourcesFit' : 'NodeAffinity');
    q.addUnschedulableIfNotPresent(p, q.schedulingCycle);
  }
  assert.equal(q.lengths().unschedulable, 2);
  clock.now = 500;
  assert.equal(q.moveAllToActiveOrBackoff('NodeAdd', (p) => p.unschedulablePlugins.has('NodeResourcesFit')), 1);
  assert.deepEqual(q.lengths(), { active: 0, backoff: 1, unschedulable: 1, inFlight: 0 });
  clock.now = 5000;
  q.moveAllToActiveOrBackoff('NodeUpdate', () => false);
  q.flushBackoffCompleted();
  assert.deepEqual(names(q), ['a']);
  clock.now = 60_001;
  q.flushUnschedulableLeftover();
  assert.deepEqual(names(q), ['b']);
  q.close();
});

test('a failed pod without rejecting plugins (an error) goes to backoff; re-adding is idempotent', () => {
  const clock = { now: 0 };
  const q = queue(clock);
  q.add(new PodInfo(makePod('p')));
  const p = q.tryPop()!;
  q.addUnschedulableIfNotPresent(p, q.schedulingCycle);
  q.addUnschedulableIfNotPresent(p, q.schedulingCycle);
  assert.deepEqual(q.lengths(), { active: 0, backoff: 1, unschedulable: 0, inFlight: 0 });
  q.delete(p.podInfo.key);
  assert.deepEqual(q.lengths(), { active: 0, backoff: 0, unschedulable: 0, inFlight: 0 });
  q.close();
});

test('scheduling gates keep a pod out of the active queue until an update removes them', () => {
  const clock = { now: 0 };
  const q = queue(clock);
  const gated = makePod('g', { spec: { schedulingGates: [{ name: 'example.com/a' }, { name: 'example.com/b' }] } });
  q.add(new PodInfo(gated));
  assert.deepEqual(q.lengths(), { active: 0, backoff: 0, unschedulable: 1, inFlight: 0 });
  q.moveAllToActiveOrBackoff('NodeAdd');
  assert.equal(q.lengths().active, 0, 'events do not release gated pods');
  q.update(new PodInfo({ ...gated, spec: { ...gated.spec, schedulingGates: [] } }));
  assert.deepEqual(names(q), ['g']);
  q.close();
});

test('an unschedulable pod is retried when a node it fits on is added, not when an unrelated one is', async () => {
  const h = harness({ backoff: { initialMs: 0, maxMs: 0 } });
  h.addNode(makeNode('small', { cpu: '1' }));
  h.addPod(makePod('big', { requests: [{ cpu: '2' }] }));
  await h.drain();
  assert.deepEqual(h.core.queue.lengths(), { active: 0, backoff: 0, unschedulable: 1, inFlight: 0 });
  h.addNode(makeNode('also-small', { cpu: '1500m' }));
  assert.equal(h.core.queue.lengths().unschedulable, 1, 'a node that does not fit changes nothing');
  h.addNode(makeNode('large', { cpu: '4' }));
  assert.equal(h.core.queue.lengths().active, 1);
  await h.drain();
  assert.deepEqual(h.api.binds, [{ namespace: 'default', name: 'big', node: 'large' }]);
  h.core.queue.close();
});

test('a bound pod leaving frees room: pods rejected for resources are retried', async () => {
  const h = harness({ backoff: { initialMs: 0, maxMs: 0 } });
  h.addNode(makeNode('n', { cpu: '1' }));
  h.addPod(makePod('first', { requests: [{ cpu: '800m' }] }));
  await h.drain();
  h.addPod(makePod('second', { requests: [{ cpu: '800m' }] }));
  await h.drain();
  assert.equal(h.core.queue.lengths().unschedulable, 1);
  h.handlers.pods.onDelete(h.api.pods.get('default/first')!);
  await h.drain();
  assert.deepEqual(h.api.binds.map((b) => `${b.name}@${b.node}`), ['first@n', 'second@n']);
  h.core.queue.close();
});
