import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KubeClient } from '../../src/client/kube-client.js';
import type { KubeObject } from '../../src/client/object.js';
import { startCluster, type Cluster } from '../../src/server/cluster.js';
import { KUBELET_VERSION, startSimulatedNodes, type SimulatedNodes } from '../../src/kubelet/index.js';
import { imageContentRef } from '../../src/kubelet/runtime/image-ref.js';
import { eventually } from '../support/client.js';

const pod = (name: string, nodeName: string, spec: any = {}, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
  spec: { nodeName, containers: [{ name: 'nginx', image: 'nginx:1.27' }], ...spec },
});

const condition = (obj: KubeObject, type: string) => (obj.status?.conditions ?? []).find((c: any) => c.type === type);

describe('kubelet: simulated nodes against an in-process cluster', () => {
  let cluster: Cluster;
  let admin: KubeClient;
  let nodeClient: KubeClient;
  let nodes: SimulatedNodes;

  before(async () => {
    cluster = await startCluster();
    admin = new KubeClient(cluster.adminConfig);
    nodeClient = new KubeClient({ ...cluster.componentConfig('node-simulator'), userAgent: 'kubelet/v1.32.5 (linux/amd64) tskube' });
    nodes = await startSimulatedNodes({ client: nodeClient, count: 2, podRunTimeMs: 300, leaseRenewIntervalMs: 500 });
  });
  after(async () => {
    await nodes?.stop();
    nodeClient?.close();
    admin?.close();
    await cluster?.stop();
  });

  it('registers each node with the status a kubelet posts', async () => {
    assert.deepEqual(nodes.names, ['sim-node-0', 'sim-node-1']);
    const node = await admin.nodes.get('sim-node-1');
    assert.deepEqual(node.metadata.labels, {
      'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': 'sim-node-1', 'kubernetes.io/os': 'linux',
    });
    assert.deepEqual(node.metadata.annotations, { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' });
    assert.deepEqual(node.spec, { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
    const s = node.status;
    assert.deepEqual(s.capacity, { cpu: '4', 'ephemeral-storage': '100Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16Gi', pods: '110' });
    assert.deepEqual(s.allocatable, { cpu: '4', 'ephemeral-storage': '90Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16284Mi', pods: '110' });
    assert.deepEqual(s.addresses, [{ type: 'InternalIP', address: '172.18.0.3' }, { type: 'Hostname', address: 'sim-node-1' }]);
    assert.deepEqual(s.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]), [
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
      ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
    ]);
    assert.deepEqual(s.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
    const { machineID, systemUUID, bootID, ...info } = s.nodeInfo;
    assert.match(machineID, /^[0-9a-f]{32}$/);
    assert.match(systemUUID, /^[0-9a-f-]{36}$/);
    assert.match(bootID, /^[0-9a-f-]{36}$/);
    assert.deepEqual(info, {
      kernelVersion: '6.8.0-tskube', osImage: 'tskube simulated node', containerRuntimeVersion: 'sim://0.1.0',
      kubeletVersion: KUBELET_VERSION, kubeProxyVersion: KUBELET_VERSION, operatingSystem: 'linux', architecture: 'amd64',
    });
  });

  it('keeps a lease per node in kube-node-lease, renewed', async () => {
    const node = await admin.nodes.get('sim-node-0');
    const first = await admin.leases.get('sim-node-0', 'kube-node-lease');
    assert.deepEqual(first.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'sim-node-0', uid: node.metadata.uid }]);
    assert.equal(first.spec.holderIdentity, 'sim-node-0');
    assert.equal(first.spec.leaseDurationSeconds, 40);
    assert.match(first.spec.renewTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await eventually(async () => (await admin.leases.get('sim-node-0', 'kube-node-lease')).spec.renewTime !== first.spec.renewTime, 5000, 'a renewal');
  });

  it('runs a bound pod: Pending, then Running and Ready with an IP, with the kubelet events', async () => {
    const created = await admin.pods.create(pod('web', 'sim-node-0'));
    assert.equal(created.status.phase, 'Pending');
    let p!: KubeObject;
    await eventually(async () => (p = await admin.pods.get('web', 'default')).status.phase === 'Running', 5000, 'Running');
    const s = p.status;
    assert.equal(s.podIP, '10.244.0.2');
    assert.deepEqual(s.podIPs, [{ ip: '10.244.0.2' }]);
    assert.equal(s.hostIP, '172.18.0.2');
    assert.deepEqual(s.hostIPs, [{ ip: '172.18.0.2' }]);
    assert.equal(s.qosClass, 'BestEffort');
    assert.match(s.startTime, /Z$/);
    assert.deepEqual(s.conditions.map((c: any) => [c.type, c.status]), [
      ['PodReadyToStartContainers', 'True'], ['Initialized', 'True'], ['Ready', 'True'], ['ContainersReady', 'True'], ['PodScheduled', 'True'],
    ]);
    const [cs] = s.containerStatuses;
    const { containerID, state, ...rest } = cs;
    assert.match(containerID, /^sim:\/\/[0-9a-f]{64}$/);
    assert.match(state.running.startedAt, /Z$/);
    // The API access volume that ServiceAccount admission mounted is reported as upstream's kubelet reports mounts.
    const access = p.spec.volumes[0].name;
    assert.match(access, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(rest, {
      name: 'nginx', lastState: {}, ready: true, restartCount: 0, image: 'docker.io/library/nginx:1.27',
      imageID: imageContentRef('nginx:1.27'), started: true,
      volumeMounts: [{ name: access, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true, recursiveReadOnly: 'Disabled' }],
    });
    await eventually(async () => (await podEvents('web')).length === 3, 5000, 'events');
    const events = await podEvents('web');
    assert.deepEqual(events.map((e) => [e.reason, e.message, e.source.component, e.source.host, e.involvedObject.uid]), [
      ['Pulled', 'Container image "nginx:1.27" already present on machine', 'kubelet', 'sim-node-0', p.metadata.uid],
      ['Created', 'Created container: nginx', 'kubelet', 'sim-node-0', p.metadata.uid],
      ['Started', 'Started container nginx', 'kubelet', 'sim-node-0', p.metadata.uid],
    ]);
  });

  it('pulls an image that is always pulled', async () => {
    await admin.pods.create(pod('latest', 'sim-node-1', { containers: [{ name: 'app', image: 'busybox' }] }));
    await eventually(async () => (await podEvents('latest')).length === 4, 5000, 'events');
    const events = await podEvents('latest');
    assert.deepEqual(events.slice(0, 2).map((e) => e.reason), ['Pulling', 'Pulled']);
    assert.equal(events[0].message, 'Pulling image "busybox"');
    assert.match(events[1].message, /^Successfully pulled image "busybox" in \d+m?s \(\d+m?s including waiting\)\. Image size: \d+ bytes\.$/);
  });

  it('completes a restartPolicy Never pod: Succeeded, container Completed with exit code 0', async () => {
    await admin.pods.create(pod('once', 'sim-node-1', { restartPolicy: 'Never' }));
    let p!: KubeObject;
    await eventually(async () => (p = await admin.pods.get('once', 'default')).status.phase === 'Succeeded', 5000, 'Succeeded');
    const t = p.status.containerStatuses[0].state.terminated;
    assert.deepEqual([t.exitCode, t.reason, t.containerID], [0, 'Completed', p.status.containerStatuses[0].containerID]);
    assert.equal(p.status.containerStatuses[0].ready, false);
    assert.equal(p.status.podIP, '10.244.1.3');
    assert.deepEqual(p.status.conditions.map((c: any) => [c.type, c.status, c.reason ?? '']), [
      ['PodReadyToStartContainers', 'False', ''], ['Initialized', 'True', 'PodCompleted'], ['Ready', 'False', 'PodCompleted'],
      ['ContainersReady', 'False', 'PodCompleted'], ['PodScheduled', 'True', ''],
    ]);
  });

  it('fails a restartPolicy Never pod whose container exits non-zero', async () => {
    await admin.pods.create(pod('broken', 'sim-node-1', { restartPolicy: 'Never' }, { 'sim.tskube.io/exit-code': '2', 'sim.tskube.io/run-ms': '50' }));
    let p!: KubeObject;
    await eventually(async () => (p = await admin.pods.get('broken', 'default')).status.phase === 'Failed', 5000, 'Failed');
    assert.deepEqual([p.status.containerStatuses[0].state.terminated.exitCode, p.status.containerStatuses[0].state.terminated.reason], [2, 'Error']);
    assert.deepEqual(condition(p, 'Ready'), { ...condition(p, 'Ready'), status: 'False', reason: 'PodFailed' });
  });

  it('restarts a failing OnFailure container, then backs off', async () => {
    await admin.pods.create(pod('crash', 'sim-node-0', { restartPolicy: 'OnFailure' }, { 'sim.tskube.io/exit-code': '1', 'sim.tskube.io/run-ms': '30' }));
    let p!: KubeObject;
    await eventually(async () => !!(p = await admin.pods.get('crash', 'default')).status.containerStatuses?.[0]?.state?.waiting, 5000, 'back-off');
    const cs = p.status.containerStatuses[0];
    assert.equal(p.status.phase, 'Running');
    assert.equal(cs.restartCount, 1);
    assert.deepEqual(cs.state.waiting, {
      reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=nginx pod=crash_default(${p.metadata.uid})`,
    });
    assert.deepEqual([cs.lastState.terminated.exitCode, cs.lastState.terminated.reason], [1, 'Error']);
    await eventually(async () => (await podEvents('crash')).some((e) => e.reason === 'BackOff'), 5000, 'BackOff event');
    const backOff = (await podEvents('crash')).find((e) => e.reason === 'BackOff');
    assert.deepEqual([backOff.type, backOff.message], ['Warning', `Back-off restarting failed container nginx in pod crash_default(${p.metadata.uid})`]);
  });

  it('runs init containers first', async () => {
    await admin.pods.create(pod('init', 'sim-node-0', { initContainers: [{ name: 'setup', image: 'busybox:1.36' }] }));
    let p!: KubeObject;
    await eventually(async () => (p = await admin.pods.get('init', 'default')).status.phase === 'Running', 5000, 'Running');
    const ics = p.status.initContainerStatuses[0];
    assert.deepEqual([ics.name, ics.ready, ics.state.terminated.exitCode, ics.state.terminated.reason], ['setup', true, 0, 'Completed']);
    assert.equal(condition(p, 'Initialized').status, 'True');
  });

  it('holds readiness until the readiness probe passes', async () => {
    await admin.pods.create(pod('probed', 'sim-node-0', {
      containers: [{ name: 'nginx', image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 1 } }],
    }));
    let p!: KubeObject;
    await eventually(async () => (p = await admin.pods.get('probed', 'default')).status.phase === 'Running', 5000, 'Running');
    assert.deepEqual([condition(p, 'Ready').status, condition(p, 'Ready').message], ['False', 'containers with unready status: [nginx]']);
    assert.equal(p.status.containerStatuses[0].ready, false);
    await eventually(async () => condition(p = await admin.pods.get('probed', 'default'), 'Ready').status === 'True', 5000, 'Ready');
    assert.equal(p.status.containerStatuses[0].ready, true);
  });

  it('stops a deleted pod and removes the object, recording Killing', async () => {
    await admin.pods.create(pod('doomed', 'sim-node-1'));
    await eventually(async () => (await admin.pods.get('doomed', 'default')).status.phase === 'Running', 5000, 'Running');
    const uid = (await admin.pods.get('doomed', 'default')).metadata.uid;
    await admin.pods.delete('doomed', { namespace: 'default' });
    await eventually(async () => admin.pods.get('doomed', 'default').then(() => false, () => true), 5000, 'the pod to go');
    await eventually(async () => (await podEvents('doomed')).some((e) => e.reason === 'Killing'), 5000, 'Killing');
    const killing = (await podEvents('doomed')).find((e) => e.reason === 'Killing');
    assert.deepEqual([killing.message, killing.involvedObject.uid], ['Stopping container nginx', uid]);
  });

  it('sends its heartbeat only while not paused', async () => {
    nodes.pauseHeartbeat('sim-node-1');
    const renewTime = async () => (await admin.leases.get('sim-node-1', 'kube-node-lease')).spec.renewTime;
    // A renewal already under way may still land; after it, none does (the interval is 500 ms).
    await new Promise((r) => setTimeout(r, 300));
    const before = await renewTime();
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(await renewTime(), before);
    nodes.resumeHeartbeat('sim-node-1');
    await eventually(async () => (await admin.leases.get('sim-node-1', 'kube-node-lease')).spec.renewTime !== before, 5000, 'a renewal');
    assert.throws(() => nodes.pauseHeartbeat('nope'), /no simulated node named "nope"/);
  });

  it('adopts its existing Node when started again, reporting its status anew', async () => {
    const firstRun = await startSimulatedNodes({ client: nodeClient, count: 1, namePrefix: 'again-', firstIndex: 7 });
    const before = await admin.nodes.get('again-7');
    await firstRun.stop();
    const second = await startSimulatedNodes({ client: nodeClient, count: 1, namePrefix: 'again-', firstIndex: 7, capacity: { cpu: '8', memory: '32Gi', pods: '250' } });
    try {
      const after = await admin.nodes.get('again-7');
      assert.equal(after.metadata.uid, before.metadata.uid);
      assert.deepEqual(after.spec, { podCIDR: '10.244.7.0/24', podCIDRs: ['10.244.7.0/24'] });
      // As upstream's kubelet, a restart overwrites the figures it reports and leaves others (extended resources) alone.
      const kept = { 'ephemeral-storage': '100Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' };
      assert.deepEqual(after.status.capacity, { ...kept, cpu: '8', memory: '32Gi', pods: '250' });
      assert.deepEqual(after.status.allocatable, { ...kept, 'ephemeral-storage': '90Gi', cpu: '8', memory: '32Gi', pods: '250' });
      assert.equal(condition(after, 'Ready').lastTransitionTime, condition(before, 'Ready').lastTransitionTime);
    } finally {
      await second.stop();
    }
  });

  async function podEvents(name: string): Promise<any[]> {
    const list = await admin.events.list({ namespace: 'default', fieldSelector: `involvedObject.name=${name}` });
    return list.items.sort((a: any, b: any) => a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp) || Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
  }
});
