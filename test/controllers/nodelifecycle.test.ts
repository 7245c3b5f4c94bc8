import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InformerFactory } from '../../src/client/cache/informer-factory.js';
import { EventRecorder } from '../../src/client/events.js';
import { KubeClient } from '../../src/client/kube-client.js';
import type { KubeObject } from '../../src/client/object.js';
import type { ControllerContext } from '../../src/controllers/context.js';
import { descriptor } from '../../src/controllers/nodelifecycle/index.js';
import { startSimulatedNodes, type SimulatedNodes } from '../../src/kubelet/index.js';
import { startCluster, type Cluster } from '../../src/server/cluster.js';
import { eventually } from '../support/client.js';

const condition = (obj: KubeObject, type: string) => (obj.status?.conditions ?? []).find((c: any) => c.type === type);
const pod = (name: string, nodeName: string, tolerations: any[] = []): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
  spec: { nodeName, containers: [{ name: 'app', image: 'nginx:1.27' }], tolerations },
});
const unreachable = (tolerationSeconds?: number) => ({
  key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', ...(tolerationSeconds === undefined ? {} : { tolerationSeconds }),
});

describe('nodelifecycle: a node that stops its heartbeat', () => {
  let cluster: Cluster;
  let admin: KubeClient;
  let kcm: KubeClient;
  let nodeClient: KubeClient;
  let nodes: SimulatedNodes;
  let informers: InformerFactory;
  const stop = new AbortController();
  let running: Promise<void> | void;

  before(async () => {
    cluster = await startCluster();
    admin = new KubeClient(cluster.adminConfig);
    nodeClient = new KubeClient(cluster.componentConfig('node-simulator'));
    nodes = await startSimulatedNodes({ client: nodeClient, count: 3, leaseRenewIntervalMs: 250, nodeStatusUpdateFrequencyMs: 250 });
    kcm = new KubeClient(cluster.componentConfig('controller-manager'));
    informers = new InformerFactory(kcm);
    const recorders = new Map<string, EventRecorder>();
    const ctx: ControllerContext = {
      client: kcm, informers, signal: stop.signal, clock: Date.now,
      recorder: (component) => recorders.get(component) ?? recorders.set(component, new EventRecorder(kcm, { component })).get(component)!,
      options: { nodeMonitorGracePeriodMs: 1500, nodeMonitorPeriodMs: 200 },
    };
    running = descriptor.start(ctx);
    informers.start();
    await informers.waitForSync();
    for (const [name, tolerations] of [['short', [unreachable(2)]], ['forever', [unreachable()]], ['default', []]] as const) {
      await admin.pods.create(pod(name, 'sim-node-2', [...tolerations]));
    }
    await admin.pods.create(pod('elsewhere', 'sim-node-0'));
    for (const name of ['short', 'forever', 'default', 'elsewhere']) {
      await eventually(async () => condition(await admin.pods.get(name, 'default'), 'Ready')?.status === 'True', 5000, `${name} ready`);
    }
  });
  after(async () => {
    stop.abort();
    await running;
    await informers?.stop();
    await nodes?.stop();
    for (const c of [kcm, nodeClient, admin]) c?.close();
    await cluster?.stop();
  });

  it('registers every node in the controller', async () => {
    await eventually(async () => (await nodeEvents('RegisteredNode')).length === 3, 5000, 'RegisteredNode events');
    const e = (await nodeEvents('RegisteredNode')).find((x) => x.involvedObject.name === 'sim-node-1');
    assert.deepEqual([e.message, e.source.component, e.type], ['Node sim-node-1 event: Registered Node sim-node-1 in Controller', 'node-controller', 'Normal']);
  });

  it('marks the silent node Unknown, taints it unreachable and its pods not ready', async () => {
    nodes.pauseHeartbeat('sim-node-2');
    let node!: KubeObject;
    await eventually(async () => condition(node = await admin.nodes.get('sim-node-2'), 'Ready').status === 'Unknown', 10_000, 'Ready Unknown');
    assert.deepEqual(node.status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]), [
      ['MemoryPressure', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'],
      ['DiskPressure', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'],
      ['PIDPressure', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'],
      ['Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'],
    ]);
    await eventually(async () => ((node = await admin.nodes.get('sim-node-2')).spec.taints ?? []).length === 2, 10_000, 'two taints');
    const taints = node.spec.taints.map((t: any) => [t.key, t.effect, /Z$/.test(t.timeAdded)]).sort();
    assert.deepEqual(taints, [['node.kubernetes.io/unreachable', 'NoExecute', true], ['node.kubernetes.io/unreachable', 'NoSchedule', true]]);
    assert.equal((await admin.nodes.get('sim-node-0')).spec.taints, undefined);
    await eventually(async () => condition(await admin.pods.get('forever', 'default'), 'Ready').status === 'False', 5000, 'pod not ready');
    assert.equal(condition(await admin.pods.get('elsewhere', 'default'), 'Ready').status, 'True');
    const notReady = await eventsOf('forever', 'NodeNotReady');
    assert.deepEqual(notReady.map((e) => [e.type, e.message, e.source.component]), [['Warning', 'Node is not ready', 'node-controller']]);
    const status = (await nodeEvents('NodeNotReady')).filter((e) => e.source.component === 'node-controller');
    assert.deepEqual(status.map((e) => [e.involvedObject.name, e.message]), [['sim-node-2', 'Node sim-node-2 status is now: NodeNotReady']]);
  });

  it('evicts the pod tolerating the taint for 2 s, and only that one', async () => {
    let short!: KubeObject;
    await eventually(async () => !!(short = await admin.pods.get('short', 'default')).metadata.deletionTimestamp, 10_000, 'short marked for deletion');
    assert.deepEqual(condition(short, 'DisruptionTarget'), {
      ...condition(short, 'DisruptionTarget'), type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint',
    });
    const marked = await eventsOf('short', 'TaintManagerEviction');
    assert.deepEqual(marked.map((e) => [e.message, e.source.component, e.involvedObject.kind]), [['Marking for deletion Pod default/short', 'taint-eviction-controller', 'Pod']]);
    // The node is cut off, so its kubelet cannot finish the deletion: the pod stays terminating.
    assert.equal((await admin.pods.get('short', 'default')).metadata.deletionTimestamp !== undefined, true);
    assert.deepEqual(await eventsOf('short', 'Killing'), []);
    for (const name of ['forever', 'default', 'elsewhere']) {
      assert.equal((await admin.pods.get(name, 'default')).metadata.deletionTimestamp, undefined, name);
    }
  });

  it('lifts the taints when the node is back, which then finishes the deletion', async () => {
    nodes.resumeHeartbeat('sim-node-2');
    await eventually(async () => condition(await admin.nodes.get('sim-node-2'), 'Ready').status === 'True', 10_000, 'Ready again');
    await eventually(async () => (await admin.nodes.get('sim-node-2')).spec.taints === undefined, 10_000, 'taints lifted');
    await eventually(async () => admin.pods.get('short', 'default').then(() => false, () => true), 10_000, 'short gone');
    await eventually(async () => (await eventsOf('short', 'Killing')).length === 1, 5000, 'Killing');
    assert.equal((await eventsOf('short', 'Killing'))[0].source.host, 'sim-node-2');
    await eventually(async () => condition(await admin.pods.get('forever', 'default'), 'Ready').status === 'True', 10_000, 'forever ready again');
    await eventually(async () => (await eventsOf('default', 'TaintManagerEviction')).length === 1, 5000, 'cancel event');
    const [cancelled] = await eventsOf('default', 'TaintManagerEviction');
    assert.equal(cancelled.message, 'Cancelling deletion of Pod default/default');
  });

  async function eventsOf(name: string, reason: string): Promise<any[]> {
    const list = await admin.events.list({ namespace: 'default', fieldSelector: `involvedObject.name=${name},reason=${reason}` });
    return list.items;
  }
  async function nodeEvents(reason: string): Promise<any[]> {
    const list = await admin.events.list({ namespace: 'default', fieldSelector: `involvedObject.kind=Node,reason=${reason}` });
    return list.items;
  }
});
