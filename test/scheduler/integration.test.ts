import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KubeClient } from '../../src/client/index.js';
import { startCluster, type Cluster } from '../../src/server/cluster.js';
import { startScheduler, type Scheduler } from '../../src/scheduler/index.js';
import { makeNode, makePod } from './helpers.js';

let cluster: Cluster;
let client: KubeClient;
let scheduler: Scheduler;
const stop = new AbortController();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value (or fails after `ms`). */
async function eventually<T>(fn: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(50);
  }
}

const strip = (o: any) => {
  const { metadata, ...rest } = o;
  return { ...rest, metadata: { name: metadata.name, ...(metadata.namespace ? { namespace: metadata.namespace } : {}), ...(metadata.labels ? { labels: metadata.labels } : {}) } };
};

async function createPod(p: any): Promise<any> {
  return client.pods.create(strip(p));
}

async function eventsFor(name: string): Promise<any[]> {
  const list = await client.events.list({ namespace: 'default' });
  return list.items.filter((e: any) => e.involvedObject?.name === name);
}

before(async () => {
  cluster = await startCluster();
  client = new KubeClient(cluster.adminConfig);
  for (const n of ['node-a', 'node-b', 'node-c']) {
    const node = makeNode(n, { cpu: '4', memory: '8Gi', pods: '110', labels: { disk: n === 'node-c' ? 'ssd' : 'hdd' } });
    if (n === 'node-b') node.spec.taints = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }];
    await client.nodes.create(node);
  }
  const schedClient = new KubeClient({ ...cluster.componentConfig('scheduler'), userAgent: 'tskube-scheduler' });
  scheduler = startScheduler({ client: schedClient, signal: stop.signal, backoff: { initialMs: 100, maxMs: 500 } });
});

after(async () => {
  stop.abort();
  await scheduler.done;
  await cluster.stop();
});

test('pods get bound, with a Scheduled event and PodScheduled=True', async () => {
  await createPod(makePod('web-1', { requests: [{ cpu: '500m', memory: '256Mi' }] }));
  const bound = await eventually(async () => {
    const p = await client.pods.get('web-1', 'default');
    return p.spec.nodeName ? p : undefined;
  });
  assert.ok(['node-a', 'node-c'].includes(bound.spec.nodeName), `bound to ${bound.spec.nodeName}`);
  const cond = bound.status.conditions.find((c: any) => c.type === 'PodScheduled');
  assert.equal(cond.status, 'True');
  const ev = await eventually(async () => (await eventsFor('web-1')).find((e) => e.reason === 'Scheduled'));
  assert.equal(ev.type, 'Normal');
  assert.equal(ev.message, `Successfully assigned default/web-1 to ${bound.spec.nodeName}`);
  assert.equal(ev.source.component, 'default-scheduler');
  const d = scheduler.decisionFor('default', 'web-1');
  assert.equal(d?.result, 'Scheduled');
  assert.equal(d?.node, bound.spec.nodeName);
  assert.deepEqual(d?.filtered.map((f) => [f.plugin, f.reason, f.count, f.nodes]), [['TaintToleration', 'node(s) had untolerated taint {dedicated: gpu}', 1, ['node-b']]]);
});

test('a pod too big for every node stays Pending with upstream\'s FailedScheduling message', async () => {
  await createPod(makePod('huge', { requests: [{ cpu: '64' }] }));
  const want = '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. '
    + 'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
  const ev = await eventually(async () => (await eventsFor('huge')).find((e) => e.reason === 'FailedScheduling'));
  assert.equal(ev.type, 'Warning');
  assert.equal(ev.message, want);
  const pod = await eventually(async () => {
    const p = await client.pods.get('huge', 'default');
    return p.status?.conditions?.some((c: any) => c.type === 'PodScheduled') ? p : undefined;
  });
  assert.equal(pod.spec.nodeName, undefined);
  const cond = pod.status.conditions.find((c: any) => c.type === 'PodScheduled');
  assert.deepEqual([cond.status, cond.reason, cond.message], ['False', 'Unschedulable', want]);
  assert.equal(scheduler.decisionFor('default', 'huge')?.result, 'Unschedulable');
});

test('a toleration lets a pod onto the tainted node; node affinity picks the labelled node', async () => {
  await createPod(makePod('tolerant', {
    spec: {
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-b'] }] }] } } },
    },
  }));
  await createPod(makePod('ssd-only', { spec: { nodeSelector: { disk: 'ssd' } } }));
  const tolerant = await eventually(async () => (await client.pods.get('tolerant', 'default')).spec.nodeName);
  const ssd = await eventually(async () => (await client.pods.get('ssd-only', 'default')).spec.nodeName);
  assert.equal(tolerant, 'node-b');
  assert.equal(ssd, 'node-c');
});

test('an unschedulable pod is retried when a node that fits appears', async () => {
  await createPod(makePod('needs-big', { requests: [{ cpu: '6' }] }));
  await eventually(async () => (await eventsFor('needs-big')).find((e) => e.reason === 'FailedScheduling'));
  await client.nodes.create(makeNode('node-big', { cpu: '16', memory: '32Gi' }));
  const node = await eventually(async () => (await client.pods.get('needs-big', 'default')).spec.nodeName);
  assert.equal(node, 'node-big');
  await client.nodes.delete('node-big');
});
