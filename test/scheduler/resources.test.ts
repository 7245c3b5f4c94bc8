import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computePodResourceRequest, milliValue, nodeAllocatable, unitValue } from '../../src/scheduler/resources.js';

test('quantities: MilliValue and Value round up like upstream', () => {
  assert.equal(milliValue('100m'), 100);
  assert.equal(milliValue('1'), 1000);
  assert.equal(milliValue('0.1'), 100);
  assert.equal(milliValue('2.5'), 2500);
  assert.equal(milliValue('1n'), 1);
  assert.equal(milliValue('1e3'), 1_000_000);
  assert.equal(unitValue('1.5Gi'), 1_610_612_736);
  assert.equal(unitValue('500Mi'), 524_288_000);
  assert.equal(unitValue('1G'), 1_000_000_000);
  assert.equal(unitValue('0.5'), 1);
  assert.equal(unitValue('110'), 110);
  assert.equal(unitValue('128974848'), 128_974_848);
  assert.equal(unitValue('not-a-quantity'), 0);
  assert.equal(unitValue(undefined), 0);
});

test('pod requests: containers summed, init containers by the max rule (upstream example)', () => {
  const r = computePodResourceRequest({
    spec: {
      initContainers: [
        { resources: { requests: { cpu: '2', memory: '1G' } } },
        { resources: { requests: { cpu: '2', memory: '3G' } } },
      ],
      containers: [
        { resources: { requests: { cpu: '2', memory: '1G' } } },
        { resources: { requests: { cpu: '1', memory: '1G' } } },
      ],
    },
  });
  assert.equal(r.requests.milliCPU, 3000);
  assert.equal(r.requests.memory, 3_000_000_000);
});

test('pod requests: pod overhead is added; a restartable init container counts for the whole pod', () => {
  const r = computePodResourceRequest({
    spec: {
      overhead: { cpu: '250m', memory: '120Mi' },
      initContainers: [
        { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '500m' } } },
        { name: 'init', resources: { requests: { cpu: '1' } } },
      ],
      containers: [{ resources: { requests: { cpu: '200m', memory: '64Mi', 'example.com/gpu': '2' } } }],
    },
  });
  // containers 200m + sidecar 500m = 700m; init 1 + sidecar 500m = 1500m is the max; + 250m overhead.
  assert.equal(r.requests.milliCPU, 1750);
  assert.equal(r.requests.memory, 64 * 1024 * 1024 + 120 * 1024 * 1024);
  assert.equal(r.requests.scalarOf('example.com/gpu'), 2);
});

test('pod requests: scoring defaults (100m / 200Mi) apply to containers that name no request, not to explicit zeros', () => {
  const r = computePodResourceRequest({
    spec: { containers: [{}, { resources: { requests: { cpu: '0', memory: '0' } } }, { resources: { requests: { cpu: '300m' } } }] },
  });
  assert.equal(r.requests.milliCPU, 300);
  assert.equal(r.requests.memory, 0);
  assert.equal(r.nonZeroMilliCPU, 100 + 0 + 300);
  assert.equal(r.nonZeroMemory, 200 * 1024 * 1024 * 2);
});

test('node allocatable falls back to capacity; pods becomes the pod limit', () => {
  const a = nodeAllocatable({ status: { capacity: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '10Gi' } } });
  assert.deepEqual([a.milliCPU, a.memory, a.allowedPodNumber, a.ephemeralStorage], [4000, 8 * 1024 ** 3, 110, 10 * 1024 ** 3]);
  const b = nodeAllocatable({ status: { capacity: { cpu: '8' }, allocatable: { cpu: '7500m' } } });
  assert.equal(b.milliCPU, 7500);
});
