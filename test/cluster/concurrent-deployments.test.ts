/**
 * The whole path in one process — controllers, scheduler and simulated nodes, each with its own
 * client — under 20 Deployments created at once: no pod is bound twice, no node is given more
 * than it can hold, and what does not fit stays Pending with upstream's reason.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KubeClient } from '../../src/client/kube-client.js';
import { startCluster, type Cluster } from '../../src/server/cluster.js';
import { eventually } from '../support/client.js';

const NODES = 3;
const DEPLOYMENTS = 20;
const REPLICAS = 4;
/** Each node offers 2 CPUs; each pod asks 200m: 30 pods fit, 80 are asked for. */
const CAPACITY = { cpu: '2', memory: '8Gi', pods: '110', 'ephemeral-storage': '10Gi' };

function deployment(i: number): any {
  return {
    metadata: { name: `d${i}`, namespace: 'default' },
    spec: {
      replicas: REPLICAS, selector: { matchLabels: { app: `d${i}` } },
      template: { metadata: { labels: { app: `d${i}` } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '200m', memory: '64Mi' } } }] } },
    },
  };
}

describe('20 concurrent Deployments through controllers, scheduler and simulated nodes', () => {
  let cluster: Cluster;
  let client: KubeClient;
  before(async () => {
    cluster = await startCluster({
      controllers: ['*'], scheduler: { backoff: { initialMs: 100, maxMs: 500 } }, leaderElect: false,
      simNodes: NODES, simNodeOptions: { capacity: CAPACITY, allocatable: CAPACITY },
    });
    client = new KubeClient(cluster.adminConfig);
    await eventually(async () => (await client.nodes.list()).items.length === NODES, 10_000, 'nodes');
  });
  after(async () => { client.close(); await cluster.stop(); });

  it('binds each pod once, never past a node\'s allocatable CPU, and leaves the rest Pending', async () => {
    const list = await client.pods.list({ namespace: 'default' });
    const boundTo = new Map<string, string>();
    const rebinds: string[] = [];
    const ctl = new AbortController();
    const watching = (async () => {
      for await (const ev of client.pods.watch({ namespace: 'default', resourceVersion: list.metadata.resourceVersion, signal: ctl.signal })) {
        const node = ev.object.spec?.nodeName;
        if (!node) continue;
        const prior = boundTo.get(ev.object.metadata.uid!);
        if (prior && prior !== node) rebinds.push(`${ev.object.metadata.name}: ${prior} then ${node}`);
        boundTo.set(ev.object.metadata.uid!, node);
      }
    })();
    await Promise.all(Array.from({ length: DEPLOYMENTS }, (_, i) => client.deployments.create(deployment(i))));
    const capacityPods = NODES * 10;
    await eventually(async () => {
      const pods = (await client.pods.list({ namespace: 'default' })).items;
      return pods.length === DEPLOYMENTS * REPLICAS && pods.filter((p) => p.spec.nodeName).length === capacityPods;
    }, 60_000, `${DEPLOYMENTS * REPLICAS} pods, ${capacityPods} of them bound`);
    const pods = (await client.pods.list({ namespace: 'default' })).items;
    const perNode = new Map<string, number>();
    for (const p of pods) if (p.spec.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 200);
    assert.deepEqual([...perNode.values()].sort(), [2000, 2000, 2000], 'millicores bound per node');
    const events = (await client.events.list({ namespace: 'default', fieldSelector: 'reason=Scheduled' })).items;
    const scheduledPerPod = new Map<string, number>();
    for (const e of events) scheduledPerPod.set(e.involvedObject.uid, (scheduledPerPod.get(e.involvedObject.uid) ?? 0) + (e.count ?? 1));
    assert.equal(scheduledPerPod.size, capacityPods);
    assert.deepEqual([...new Set(scheduledPerPod.values())], [1], 'one Scheduled event per bound pod');
    const pending = pods.find((p) => !p.spec.nodeName)!;
    await eventually(async () => (await client.pods.get(pending.metadata.name!, 'default')).status?.conditions?.some((c: any) => c.type === 'PodScheduled'), 10_000, 'PodScheduled');
    const cond = (await client.pods.get(pending.metadata.name!, 'default')).status.conditions.find((c: any) => c.type === 'PodScheduled');
    assert.equal(cond.status, 'False');
    assert.equal(cond.reason, 'Unschedulable');
    assert.equal(cond.message, '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.');
    ctl.abort();
    await watching;
    assert.deepEqual(rebinds, []);
    assert.equal(boundTo.size, capacityPods);
  });
});
