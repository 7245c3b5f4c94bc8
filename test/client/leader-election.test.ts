import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KubeClient } from '../../src/client/kube-client.js';
import { LeaderElector } from '../../src/client/leader-election.js';
import { startCluster, type Cluster } from '../../src/server/cluster.js';
import { eventually } from '../support/client.js';

describe('client: leader election on a Lease', () => {
  let cluster: Cluster;
  let client: KubeClient;
  before(async () => {
    cluster = await startCluster();
    client = new KubeClient(cluster.adminConfig);
  });
  after(async () => { client.close(); await cluster.stop(); });

  it('lets exactly one of three candidates lead, hands over when the leader stops, and records the holder', async () => {
    const timings = { leaseDurationMs: 1000, renewDeadlineMs: 700, retryPeriodMs: 100 };
    const leading = new Set<string>();
    const everLed: string[] = [];
    const stops = new Map<string, AbortController>();
    const runs: Promise<void>[] = [];
    let overlap = 0;
    for (const id of ['a', 'b', 'c']) {
      const ctl = new AbortController();
      stops.set(id, ctl);
      const elector = new LeaderElector(client, { namespace: 'kube-system', name: 'test-lock', identity: id, ...timings });
      runs.push(elector.run(ctl.signal, {
        onStartedLeading: () => { if (leading.size > 0) overlap++; leading.add(id); everLed.push(id); },
        onStoppedLeading: () => { leading.delete(id); },
      }));
    }
    await eventually(() => leading.size === 1, 5000, 'a leader');
    const first = [...leading][0]!;
    const lease = await client.leases.get('test-lock', 'kube-system');
    assert.equal(lease.spec.holderIdentity, first);
    assert.equal(lease.spec.leaseDurationSeconds, 1);
    assert.match(lease.spec.renewTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    // The leader stops and releases; another takes over.
    stops.get(first)!.abort();
    await eventually(() => leading.size === 1 && !leading.has(first), 5000, 'a new leader');
    const second = [...leading][0]!;
    const after = await client.leases.get('test-lock', 'kube-system');
    assert.equal(after.spec.holderIdentity, second);
    assert.equal(after.spec.leaseTransitions, (lease.spec.leaseTransitions ?? 0) + 1);
    for (const c of stops.values()) c.abort();
    await Promise.all(runs);
    assert.equal(overlap, 0, 'never two leaders at once');
    assert.equal(everLed.length, 2);
  });
});
