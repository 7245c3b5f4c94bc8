import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkNodeHealth } from '../../src/controllers/nodelifecycle/health.js';
import { matchingTolerations, minTolerationMs, tolerates } from '../../src/controllers/nodelifecycle/taints.js';
import { computeZoneState, RateLimitedTimedQueue, TokenBucket, zoneKey } from '../../src/controllers/nodelifecycle/zones.js';
import { updatePodCondition } from '../../src/controllers/nodelifecycle/pod-conditions.js';
import { resolveSettings } from '../../src/controllers/nodelifecycle/constants.js';

const T0 = Date.UTC(2025, 4, 1, 10, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function node(ready?: { status: string; heartbeat: number; transition?: number }) {
  const conditions = ready ? [
    { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', lastHeartbeatTime: iso(ready.heartbeat), lastTransitionTime: iso(T0) },
    { type: 'Ready', status: ready.status, reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: iso(ready.heartbeat), lastTransitionTime: iso(ready.transition ?? T0) },
  ] : [];
  return { metadata: { name: 'n1', uid: 'u1', creationTimestamp: iso(T0 - 60_000) }, status: { conditions } };
}
const lease = (renew: number) => ({ metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { renewTime: new Date(renew).toISOString().replace('Z', '000Z') } });

describe('nodelifecycle: node health', () => {
  it('trusts a node first seen, then goes by lease renewals', () => {
    const n = node({ status: 'True', heartbeat: T0 });
    const first = checkNodeHealth(n, undefined, lease(T0), T0 + 1000, 50_000, 60_000);
    assert.equal(first.toWrite, undefined);
    assert.equal(first.health.probeTimestamp, T0 + 1000);
    const renewed = checkNodeHealth(n, first.health, lease(T0 + 10_000), T0 + 40_000, 50_000, 60_000);
    assert.equal(renewed.health.probeTimestamp, T0 + 40_000);
    const quiet = checkNodeHealth(n, renewed.health, lease(T0 + 10_000), T0 + 90_000, 50_000, 60_000);
    assert.equal(quiet.toWrite, undefined, 'exactly the grace period is still fine');
  });

  it('marks the monitored conditions Unknown once the grace period is over', () => {
    const n = node({ status: 'True', heartbeat: T0 });
    const h = checkNodeHealth(n, undefined, lease(T0), T0, 50_000, 60_000).health;
    const late = checkNodeHealth(n, h, lease(T0), T0 + 50_001, 50_000, 60_000);
    assert.equal(late.observedReady.status, 'True');
    assert.equal(late.currentReady?.status, 'Unknown');
    const at = iso(T0 + 50_001);
    assert.deepEqual(late.toWrite?.status.conditions, [
      { type: 'MemoryPressure', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: iso(T0), lastTransitionTime: at },
      { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: iso(T0), lastTransitionTime: at },
      { type: 'DiskPressure', status: 'Unknown', lastHeartbeatTime: iso(T0 - 60_000), lastTransitionTime: at, reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' },
      { type: 'PIDPressure', status: 'Unknown', lastHeartbeatTime: iso(T0 - 60_000), lastTransitionTime: at, reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' },
    ]);
    assert.equal(late.afterWrite?.readyTransitionTimestamp, T0 + 50_001);
    const again = checkNodeHealth(late.toWrite!, late.afterWrite, lease(T0), T0 + 60_000, 50_000, 60_000);
    assert.equal(again.toWrite, undefined, 'an Unknown node is not written again');
    assert.equal(again.observedReady.status, 'Unknown');
  });

  it('gives a node that never posted the startup grace period from its creation', () => {
    const n = node();
    const early = checkNodeHealth(n, undefined, undefined, T0, 50_000, 60_000);
    assert.equal(early.toWrite, undefined);
    const late = checkNodeHealth(n, early.health, undefined, T0 + 1, 50_000, 60_000);
    assert.deepEqual(late.toWrite?.status.conditions.map((c: any) => [c.type, c.status, c.reason]), [
      ['Ready', 'Unknown', 'NodeStatusNeverUpdated'], ['MemoryPressure', 'Unknown', 'NodeStatusNeverUpdated'],
      ['DiskPressure', 'Unknown', 'NodeStatusNeverUpdated'], ['PIDPressure', 'Unknown', 'NodeStatusNeverUpdated'],
    ]);
  });
});

describe('nodelifecycle: tolerations', () => {
  const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
  const notReady = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };

  it('matches as core/v1 does', () => {
    assert.equal(tolerates({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }, unreachable), true);
    assert.equal(tolerates({ operator: 'Exists' }, unreachable), true);
    assert.equal(tolerates({ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', operator: 'Exists' }, unreachable), false);
    assert.equal(tolerates({ key: 'node.kubernetes.io/unreachable' }, unreachable), true, 'Equal with empty values');
    assert.equal(tolerates({ key: 'node.kubernetes.io/unreachable', value: 'x' }, unreachable), false);
  });

  it('picks the shortest toleration; forever is -1, none tolerated is false', () => {
    const used = matchingTolerations([unreachable, notReady], [
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 },
    ]);
    assert.equal(used.all, true);
    assert.equal(minTolerationMs(used.used), 2000);
    assert.equal(minTolerationMs(matchingTolerations([unreachable], [{ operator: 'Exists' }]).used), -1);
    assert.equal(minTolerationMs([{ operator: 'Exists', tolerationSeconds: 0 }]), 0);
    assert.deepEqual(matchingTolerations([unreachable], [{ key: 'other', operator: 'Exists' }]), { all: false, used: [] });
    assert.deepEqual(matchingTolerations([], []), { all: true, used: [] });
  });
});

describe('nodelifecycle: zones and rates', () => {
  it('keys zones by region and zone labels', () => {
    assert.equal(zoneKey({ metadata: { labels: {} } }), '');
    assert.equal(zoneKey({ metadata: { labels: { 'topology.kubernetes.io/region': 'r', 'topology.kubernetes.io/zone': 'z' } } }), 'r:\u0000:z');
  });

  it('judges zone states', () => {
    const c = (status: string) => ({ type: 'Ready', status });
    assert.deepEqual(computeZoneState([c('Unknown'), c('False')], 0.55), { unhealthy: 2, state: 'FullDisruption' });
    assert.deepEqual(computeZoneState([c('True'), c('Unknown'), c('Unknown'), c('Unknown')], 0.55), { unhealthy: 3, state: 'PartialDisruption' });
    assert.deepEqual(computeZoneState([c('True'), c('Unknown'), c('Unknown')], 0.55), { unhealthy: 2, state: 'Normal' });
    assert.deepEqual(computeZoneState([c('True'), undefined], 0.55), { unhealthy: 1, state: 'Normal' });
  });

  it('takes nodes out of the queue no faster than the rate allows', async () => {
    let now = T0;
    const clock = () => now;
    const bucket = new TokenBucket(0.1, 1, clock);
    assert.deepEqual([bucket.tryAccept(), bucket.tryAccept()], [true, false]);
    now += 10_000;
    assert.equal(bucket.tryAccept(), true);
    const q = new RateLimitedTimedQueue(0.1, clock);
    assert.equal(q.add('a', 'ua'), true);
    assert.equal(q.add('b', 'ub'), true);
    assert.equal(q.add('a', 'ua'), false);
    const seen: string[] = [];
    await q.try(async (v) => { seen.push(v); return { done: true, retryAfterMs: 0 }; });
    assert.deepEqual(seen, ['a']);
    now += 10_000;
    await q.try(async (v) => { seen.push(v); return { done: true, retryAfterMs: 0 }; });
    assert.deepEqual(seen, ['a', 'b']);
    assert.equal(q.add('a', 'ua'), false, 'processed names stay known until removed');
    assert.equal(q.remove('a'), true);
    assert.equal(q.add('a', 'ua'), true);
    q.swapLimiter(0);
    now += 60_000;
    await q.try(async (v) => { seen.push(v); return { done: true, retryAfterMs: 0 }; });
    assert.deepEqual(seen, ['a', 'b'], 'a rate of 0 stops the queue');
  });
});

describe('nodelifecycle: pod conditions and settings', () => {
  it('updates a pod condition as upstream does', () => {
    const conds: any[] = [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: iso(T0) }];
    assert.equal(updatePodCondition(conds, { type: 'Ready', status: 'False' }, T0 + 5000), true);
    assert.deepEqual(conds, [{ type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: iso(T0 + 5000) }]);
    assert.equal(updatePodCondition(conds, { type: 'Ready', status: 'False' }, T0 + 9000), false);
    assert.equal(updatePodCondition(conds, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' }, T0), true);
    assert.deepEqual(conds[1], { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastProbeTime: null, lastTransitionTime: iso(T0) });
  });

  it('defaults the settings to upstream v1.32', () => {
    assert.deepEqual(resolveSettings({}), {
      gracePeriodMs: 50_000, monitorPeriodMs: 5_000, startupGracePeriodMs: 60_000, evictionRate: 0.1, secondaryEvictionRate: 0.01,
      largeClusterThreshold: 50, unhealthyZoneThreshold: 0.55,
    });
    assert.equal(resolveSettings({ nodeMonitorGracePeriodMs: 1500 }).gracePeriodMs, 1500);
  });
});
