import assert from 'node:assert/strict';
import { test } from 'node:test';
import { numFeasibleNodesToFind } from '../../src/scheduler/feasible-nodes.js';
import { harness } from './harness.js';
import { makeNode, makePod } from './helpers.js';

test('numFeasibleNodesToFind: all below 100 nodes, adaptive 50 - n/125 (at least 5%), never under 100', () => {
  const cases: [number, number, number][] = [
    // [percentage, nodes, expected]
    [0, 10, 10], [0, 99, 99], [0, 100, 100], [0, 500, 230], [0, 1000, 420], [0, 5000, 500],
    [0, 6000, 300], [0, 10_000, 500], [0, 20_000, 1000], [0, 150, 100],
    [10, 5000, 500], [30, 1000, 300], [1, 5000, 100], [100, 5000, 5000], [50, 90, 90],
  ];
  for (const [pct, nodes, want] of cases) assert.equal(numFeasibleNodesToFind(pct, nodes), want, `${pct}% of ${nodes}`);
});

test('the filter pass stops after enough feasible nodes and the next pass starts where it stopped', async () => {
  const h = harness({ percentageOfNodesToScore: 1 });
  for (let i = 0; i < 300; i++) h.addNode(makeNode(`n${String(i).padStart(3, '0')}`, { cpu: '1' }));
  h.addPod(makePod('a', { requests: [{ cpu: '100m' }] }));
  h.step();
  const a = h.core.decisions.get('default', 'a')!;
  assert.deepEqual([a.numAllNodes, a.evaluatedNodes, a.feasibleNodes], [300, 100, 100]);
  assert.equal(h.core.nextStartNodeIndex, 100);
  // With a taint on nodes 100..149 the next pass examines 150 nodes: 50 rejected, 100 feasible.
  for (let i = 100; i < 150; i++) h.handlers.nodes.onUpdate(makeNode(`n${i}`, { cpu: '1' }), makeNode(`n${i}`, { cpu: '1', taints: [{ key: 'x', effect: 'NoSchedule' }] }));
  h.addPod(makePod('b', { requests: [{ cpu: '100m' }] }));
  h.step();
  const b = h.core.decisions.get('default', 'b')!;
  assert.deepEqual([b.evaluatedNodes, b.feasibleNodes], [150, 100]);
  assert.deepEqual(b.filtered.map((f) => [f.plugin, f.reason, f.count, f.nodes.length]), [['TaintToleration', 'node(s) had untolerated taint {x: }', 50, 20]]);
  assert.equal(h.core.nextStartNodeIndex, 250);
  h.addPod(makePod('c', { requests: [{ cpu: '100m' }] }));
  h.step();
  assert.equal(h.core.nextStartNodeIndex, 50, 'wraps around (250 + 100) mod 300');
  await h.drain();
  h.core.queue.close();
});
