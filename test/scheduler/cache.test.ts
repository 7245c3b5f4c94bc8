import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SchedulerCache } from '../../src/scheduler/cache/cache.js';
import { PodInfo } from '../../src/scheduler/framework/pod-info.js';
import { makeNode, makePod } from './helpers.js';

const usage = (c: SchedulerCache, node: string) => {
  const ni = c.getNode(node)!;
  return { pods: ni.podCount, cpu: ni.requested.milliCPU, memory: ni.requested.memory, nonZeroCPU: ni.nonZeroMilliCPU, ports: ni.usedPorts.size };
};

test('NodeInfo sums requests, non-zero requests and host ports as pods come and go', () => {
  const c = new SchedulerCache();
  c.addNode(makeNode('n'));
  const a = makePod('a', { nodeName: 'n', requests: [{ cpu: '250m', memory: '1Mi' }] });
  const b = makePod('b', { nodeName: 'n', spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }] } });
  c.addPod(a);
  c.addPod(b);
  assert.deepEqual(usage(c, 'n'), { pods: 2, cpu: 250, memory: 1024 * 1024, nonZeroCPU: 350, ports: 1 });
  c.updatePod({ ...a, metadata: { ...a.metadata, resourceVersion: '7' }, status: { phase: 'Running' } });
  assert.deepEqual(usage(c, 'n'), { pods: 2, cpu: 250, memory: 1024 * 1024, nonZeroCPU: 350, ports: 1 }, 'a status update changes nothing');
  c.removePod(a);
  c.addPod({ ...a, metadata: { ...a.metadata, uid: 'recreated' }, spec: { ...a.spec, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '1' } } }] } });
  assert.deepEqual(usage(c, 'n'), { pods: 2, cpu: 1000, memory: 0, nonZeroCPU: 1100, ports: 1 });
  c.removePod(b);
  assert.deepEqual(usage(c, 'n'), { pods: 1, cpu: 1000, memory: 0, nonZeroCPU: 1000, ports: 0 });
});

test('assume, confirm and forget: an assumed pod holds room until the informer confirms or the bind fails', () => {
  const c = new SchedulerCache();
  c.addNode(makeNode('n'));
  const p = makePod('p', { requests: [{ cpu: '500m' }] });
  const info = new PodInfo(p);
  const assumed = c.assumePod(info, 'n');
  assert.equal(assumed.pod.spec.nodeName, 'n');
  assert.equal(p.spec.nodeName, undefined, 'the informer object is not touched');
  assert.equal(c.isAssumed(info.key), true);
  assert.throws(() => c.assumePod(info, 'n'), /is in the cache, so can't be assumed/);
  assert.equal(usage(c, 'n').cpu, 500);
  c.finishBinding(info.key);
  c.addPod({ ...p, spec: { ...p.spec, nodeName: 'n' } });
  assert.equal(c.isAssumed(info.key), false);
  assert.equal(usage(c, 'n').cpu, 500, 'confirmed, not double counted');
  const q = new PodInfo(makePod('q', { requests: [{ cpu: '200m' }] }));
  c.assumePod(q, 'n');
  assert.equal(usage(c, 'n').cpu, 700);
  c.forgetPod(q.key);
  assert.equal(usage(c, 'n').cpu, 500);
  assert.equal(c.nodeOfPod(q.key), undefined);
});

test('pods seen before their node are kept, and a removed node with pods stays out of the node list', () => {
  const c = new SchedulerCache();
  c.addPod(makePod('early', { nodeName: 'late', requests: [{ cpu: '1' }] }));
  assert.equal(c.numNodes, 0);
  c.addNode(makeNode('late'));
  assert.equal(usage(c, 'late').cpu, 1000);
  c.removeNode('late');
  assert.equal(c.numNodes, 0);
  assert.equal(c.getNode('late'), undefined);
  c.addNode(makeNode('late'));
  assert.equal(usage(c, 'late').cpu, 1000);
});

test('the node list interleaves zones like upstream\'s node tree', () => {
  const c = new SchedulerCache();
  const zoned = (name: string, zone: string) => makeNode(name, { labels: { 'topology.kubernetes.io/zone': zone, 'topology.kubernetes.io/region': 'r' } });
  for (const [n, z] of [['a1', 'a'], ['a2', 'a'], ['a3', 'a'], ['b1', 'b'], ['c1', 'c'], ['c2', 'c']]) c.addNode(zoned(n, z));
  assert.deepEqual(c.nodeList().map((n) => n.name), ['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
  c.removeNode('b1');
  assert.deepEqual(c.nodeList().map((n) => n.name), ['a1', 'c1', 'a2', 'c2', 'a3']);
});

test('image states count the nodes holding each image', () => {
  const c = new SchedulerCache();
  const img = (...names: string[]) => ({ names, sizeBytes: 100 });
  c.addNode(makeNode('n1', { images: [img('nginx:1.25', 'docker.io/library/nginx:1.25')] }));
  c.addNode(makeNode('n2', { images: [img('nginx:1.25')] }));
  assert.equal(c.getNode('n1')!.imageStates.get('nginx:1.25')!.nodes.size, 2);
  c.updateNode(makeNode('n2', { images: [] }));
  assert.equal(c.getNode('n1')!.imageStates.get('nginx:1.25')!.nodes.size, 1);
  c.removeNode('n1');
  c.addNode(makeNode('n3', { images: [img('nginx:1.25')] }));
  assert.equal(c.getNode('n3')!.imageStates.get('nginx:1.25')!.nodes.size, 1);
});
