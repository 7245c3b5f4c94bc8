import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KubeClient } from '../../src/client/index.js';
import { milliValue } from '../../src/scheduler/resources.js';
import { startCluster, type Cluster } from '../../src/server/cluster.js';
import { startScheduler, type Scheduler } from '../../src/scheduler/index.js';
import { makeNode } from './helpers.js';

let cluster: Cluster;
let client: KubeClient;
let scheduler: Scheduler;
const stop = new AbortController();
const bindings = new Map<string, number>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const NODES = 5;
const BATCHES = 20;
const PER_BATCH = 6;
/** 2 cpu per node, 250m per pod: 8 pods fit on each node, 40 in all; 120 are created. */
const FIT = NODES * 8;

before(async () => {
  cluster = await startCluster();
  client = new KubeClient(cluster.adminConfig);
  for (let i = 0; i < NODES; i++) await client.nodes.create(makeNode(`w${i}`, { cpu: '2', memory: '8Gi', pods: '110' }));
  const schedClient = new KubeClient({ ...cluster.componentConfig('scheduler'), userAgent: 'tskube-scheduler' });
  const original = schedClient.pods.createSubresource.bind(schedClient.pods);
  schedClient.pods.createSubresource = (name, sub, body, ns) => {
    if (sub === 'binding') bindings.set(name, (bindings.get(name) ?? 0) + 1);
    return original(name, sub, body, ns);
  };
  scheduler = startScheduler({ client: schedClient, signal: stop.signal, backoff: { initialMs: 50, maxMs: 200 } });
});

after(async () => {
  stop.abort();
  await scheduler.done;
  await cluster.stop();
});

test(`${BATCHES} concurrent batches of pods never overcommit a node and no pod is bound twice`, async () => {
  await Promise.all(Array.from({ length: BATCHES }, async (_, b) => {
    for (let i = 0; i < PER_BATCH; i++) {
      await client.pods.create({
        metadata: { name: `b${b}-p${i}`, namespace: 'default' },
        spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '250m' } } }] },
      });
    }
  }));
  const total = BATCHES * PER_BATCH;
  let pods: any[] = [];
  const deadline = Date.now() + 20_000;
  for (;;) {
    pods = (await client.pods.list({ namespace: 'default' })).items;
    const bound = pods.filter((p) => p.spec.nodeName).length;
    const reported = pods.filter((p) => !p.spec.nodeName && p.status?.conditions?.some((c: any) => c.type === 'PodScheduled' && c.reason === 'Unschedulable')).length;
    if (bound === FIT && reported === total - FIT) break;
    if (Date.now() > deadline) throw new Error(`bound ${bound}, reported unschedulable ${reported}`);
    await sleep(100);
  }
  const perNode = new Map<string, number>();
  for (const p of pods) {
    if (!p.spec.nodeName) continue;
    const cpu = p.spec.containers.reduce((s: number, c: any) => s + milliValue(c.resources?.requests?.cpu), 0);
    perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + cpu);
  }
  for (const [node, cpu] of perNode) assert.ok(cpu <= 2000, `${node} holds ${cpu}m of 2000m`);
  assert.equal([...perNode.values()].reduce((a, b) => a + b, 0), FIT * 250);
  assert.equal(bindings.size, FIT, 'bindings were posted for exactly the bound pods');
  assert.deepEqual([...new Set(bindings.values())], [1], 'each pod was bound once');
  assert.equal(scheduler.stats().scheduled, FIT);
});
