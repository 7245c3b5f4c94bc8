/**
 * The scheduler and the simulated nodes end to end with the real kubectl 1.27, 1.32 and 1.33
 * against `tskube up --sim-nodes 3`: the nodes are Ready; `describe pod` shows upstream's sections
 * and the Scheduled, Pulled, Created and Started events in the order they happened; a pod whose
 * requests fit no node stays Pending with upstream's FailedScheduling message; NoSchedule taints,
 * tolerations, `cordon`, NoExecute eviction and node affinity are honoured. The nodes are shared by
 * the kubectl versions, so every test that taints or cordons a node undoes it.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertTable, describeKubectlSuite, type KubectlResult } from './kubectl-harness.js';
import {
  SIM_NODES, WORKLOAD_SERVER_ARGS, WORKLOAD_VERSIONS, assertDescribe, eventLines, eventsAbout, getJson, labelLines, listItems,
  paths, podReady, podsBySelector, rfc1123z, tolerationLines, waitFor, waitForRollout,
} from './kubectl-workloads-support.js';

function ok(stdout: string): KubectlResult {
  return { stdout, stderr: '', code: 0, signal: null };
}

/** The tolerations the DefaultTolerationSeconds admission plugin adds to every pod. */
const DEFAULT_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

/** Upstream's FailedScheduling messages for three nodes. */
const NO_PREEMPTION_HELPS = 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
const INSUFFICIENT_CPU = '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';

/** A Pod manifest (YAML) with one nginx:1.25 container and the given extra spec lines (already indented by 2). */
function podYaml(name: string, specLines: string[]): string {
  return ['apiVersion: v1', 'kind: Pod', 'metadata:', `  name: ${name}`, 'spec:', ...specLines,
    '  containers:', `  - name: ${name}`, '    image: nginx:1.25', ''].join('\n');
}

describeKubectlSuite('kubectl workloads: scheduling and nodes', (h) => {
  const ns = () => h.namespace;
  const pod = (name: string) => getJson(h, `${paths.pods(ns())}/${name}`);
  const apply = async (name: string, yaml: string) => {
    const file = join(h.home, `${name}.yaml`);
    writeFileSync(file, yaml);
    return h.kubectl(['create', '-f', file]);
  };
  /** Waits until the pod's PodScheduled condition is False and returns its message. */
  const unschedulable = async (name: string) => waitFor(async () => {
    const c = ((await pod(name)).status.conditions ?? []).find((x: any) => x.type === 'PodScheduled');
    return c?.status === 'False' && c.reason === 'Unschedulable' ? c.message as string : undefined;
  }, 15_000, `pod ${name} to be found unschedulable`);
  const running = async (name: string) => waitFor(async () => {
    const p = await pod(name);
    return p.status.phase === 'Running' && podReady(p) ? p : undefined;
  }, 20_000, `pod ${name} to run`);

  it('get nodes: three Ready simulated nodes with their leases', async () => {
    const nodes = await listItems(h, '/api/v1/nodes');
    assert.deepEqual(nodes.map((n) => n.metadata.name).sort(), SIM_NODES);
    for (const n of nodes) {
      const ready = n.status.conditions.find((c: any) => c.type === 'Ready');
      assert.deepEqual([ready.status, ready.reason, ready.message], ['True', 'KubeletReady', 'kubelet is posting ready status']);
      const lease = await getJson(h, `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${n.metadata.name}`);
      assert.equal(lease.spec.holderIdentity, n.metadata.name);
      assert.deepEqual(lease.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: n.metadata.name, uid: n.metadata.uid }]);
    }
    const r = await h.kubectl(['get', 'nodes']);
    assert.equal(r.stderr, '');
    assertTable(r.stdout, [['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
      ...nodes.map((n) => [n.metadata.name, 'Ready', '<none>', '{age}', n.status.nodeInfo.kubeletVersion])], 'get nodes');
  });

  it('describe pod: upstream\'s sections; Scheduled, Pulled, Created and Started in the order they happened', async () => {
    const r = await h.kubectl(['run', 'solo', '--image=nginx:1.25', '--overrides={"spec":{"automountServiceAccountToken":false}}']);
    assert.deepEqual(r, ok('pod/solo created\n'));
    await running('solo');
    await waitFor(async () => (await eventsAbout(h, ns(), 'Pod', 'solo')).length >= 4, 10_000, 'four events about the pod');
    const p = await pod('solo');
    const c = p.status.containerStatuses[0];
    const d = await h.kubectl(['describe', 'pod', 'solo']);
    assert.equal(d.stderr, '');
    assertDescribe(d.stdout, [
      'Name:\tsolo', `Namespace:\t${ns()}`, 'Priority:\t0', 'Service Account:\tdefault',
      `Node:\t${p.spec.nodeName}/${p.status.hostIP}`, `Start Time:\t${rfc1123z(p.status.startTime)}`,
      ...labelLines('Labels', { run: 'solo' }), 'Annotations:\t<none>', 'Status:\tRunning',
      `IP:\t${p.status.podIP}`, 'IPs:', `  IP:\t${p.status.podIP}`,
      'Containers:', '  solo:', `    Container ID:\t${c.containerID}`, '    Image:\tnginx:1.25', `    Image ID:\t${c.imageID}`,
      '    Port:\t<none>', '    Host Port:\t<none>', '    State:\tRunning', `      Started:\t${rfc1123z(c.state.running.startedAt)}`,
      '    Ready:\tTrue', '    Restart Count:\t0', '    Environment:\t<none>', '    Mounts:\t<none>',
      'Conditions:', '  Type\tStatus',
      '  PodReadyToStartContainers \tTrue ', '  Initialized \tTrue ', '  Ready \tTrue ', '  ContainersReady \tTrue ', '  PodScheduled \tTrue ',
      'Volumes:\t<none>', 'QoS Class:\tBestEffort', 'Node-Selectors:\t<none>', ...tolerationLines('Tolerations', DEFAULT_TOLERATIONS),
      ...eventLines([
        ['Normal', 'Scheduled', 'default-scheduler', `Successfully assigned ${ns()}/solo to ${p.spec.nodeName}`],
        ['Normal', 'Pulled', 'kubelet', 'Container image "nginx:1.25" already present on machine'],
        ['Normal', 'Created', 'kubelet', 'Created container: solo'],
        ['Normal', 'Started', 'kubelet', 'Started container solo'],
      ]),
    ], 'describe pod solo');
  });

  it('run (ServiceAccount admission): the pod gets the kube-api-access-* token volume, mounted read-only', async () => {
    assert.deepEqual(await h.kubectl(['run', 'token', '--image=nginx:1.25']), ok('pod/token created\n'));
    const p = await pod('token');
    const volume = (p.spec.volumes ?? []).find((v: any) => /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(v.name));
    assert.ok(volume, `a kube-api-access volume: ${JSON.stringify(p.spec.volumes)}`);
    assert.deepEqual(volume.projected, {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    });
    assert.deepEqual(p.spec.containers[0].volumeMounts, [{ name: volume.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
  });

  it('describe pod (requests fit no node): Pending, with upstream\'s FailedScheduling message', async () => {
    const overrides = '{"spec":{"automountServiceAccountToken":false,"containers":[{"name":"big","image":"nginx:1.25","resources":{"requests":{"cpu":"5"}}}]}}';
    assert.deepEqual(await h.kubectl(['run', 'big', '--image=nginx:1.25', `--overrides=${overrides}`]), ok('pod/big created\n'));
    assert.equal(await unschedulable('big'), INSUFFICIENT_CPU);
    await waitFor(async () => (await eventsAbout(h, ns(), 'Pod', 'big')).length > 0, 10_000, 'the FailedScheduling event');
    const wide = await h.kubectl(['get', 'pod', 'big', '-o', 'wide']);
    assertTable(wide.stdout, [['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
      ['big', '0/1', 'Pending', '0', '{age}', '<none>', '<none>', '<none>', '<none>']], 'get pod big -o wide');
    const d = await h.kubectl(['describe', 'pod', 'big']);
    assert.equal(d.stderr, '');
    assertDescribe(d.stdout, [
      'Name:\tbig', `Namespace:\t${ns()}`, 'Priority:\t0', 'Service Account:\tdefault', 'Node:\t<none>',
      ...labelLines('Labels', { run: 'big' }), 'Annotations:\t<none>', 'Status:\tPending', 'IP:\t', 'IPs:\t<none>',
      'Containers:', '  big:', '    Image:\tnginx:1.25', '    Port:\t<none>', '    Host Port:\t<none>',
      '    Requests:', '      cpu:\t5', '    Environment:\t<none>', '    Mounts:\t<none>',
      'Conditions:', '  Type\tStatus', '  PodScheduled \tFalse ',
      'Volumes:\t<none>', 'QoS Class:\tBurstable', 'Node-Selectors:\t<none>', ...tolerationLines('Tolerations', DEFAULT_TOLERATIONS),
      ...eventLines([['Warning', 'FailedScheduling', 'default-scheduler', INSUFFICIENT_CPU]]),
    ], 'describe pod big');
    assert.deepEqual(await h.kubectl(['delete', 'pod', 'big']), ok('pod "big" deleted\n'));
  });

  it('taint nodes NoSchedule: a deployment\'s pods avoid the tainted nodes; a toleration lets a pod on', async () => {
    const taint = await h.kubectl(['taint', 'nodes', 'sim-node-0', 'sim-node-1', 'dedicated=gpu:NoSchedule']);
    try {
      assert.deepEqual(taint, ok('node/sim-node-0 tainted\nnode/sim-node-1 tainted\n'));
      assert.deepEqual((await getJson(h, '/api/v1/nodes/sim-node-0')).spec.taints, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
      assert.deepEqual(await h.kubectl(['create', 'deployment', 'tw', '--image=nginx:1.25', '--replicas=3']), ok('deployment.apps/tw created\n'));
      await waitForRollout(h, ns(), 'tw', 3);
      assert.deepEqual((await podsBySelector(h, ns(), 'app=tw')).map((p) => p.spec.nodeName), ['sim-node-2', 'sim-node-2', 'sim-node-2']);

      const tolerating = podYaml('tol', ['  automountServiceAccountToken: false', '  nodeSelector:', '    kubernetes.io/hostname: sim-node-0',
        '  tolerations:', '  - key: dedicated', '    operator: Equal', '    value: gpu', '    effect: NoSchedule']);
      assert.deepEqual(await apply('tol', tolerating), ok('pod/tol created\n'));
      assert.equal((await running('tol')).spec.nodeName, 'sim-node-0');

      const intolerant = podYaml('notol', ['  automountServiceAccountToken: false', '  nodeSelector:', '    kubernetes.io/hostname: sim-node-0']);
      assert.deepEqual(await apply('notol', intolerant), ok('pod/notol created\n'));
      assert.equal(await unschedulable('notol'),
        `0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 node(s) had untolerated taint {dedicated: gpu}. ${NO_PREEMPTION_HELPS}`);
    } finally {
      const untaint = await h.kubectl(['taint', 'nodes', 'sim-node-0', 'sim-node-1', 'dedicated=gpu:NoSchedule-']);
      assert.deepEqual(untaint, ok('node/sim-node-0 untainted\nnode/sim-node-1 untainted\n'));
    }
    // With the taint gone, the scheduler tries the pending pod again.
    assert.equal((await running('notol')).spec.nodeName, 'sim-node-0');
  });

  it('cordon: the node is marked unschedulable and tainted by the node lifecycle controller; uncordon undoes it', async () => {
    assert.deepEqual(await h.kubectl(['cordon', 'sim-node-1']), ok('node/sim-node-1 cordoned\n'));
    try {
      const node = await waitFor(async () => {
        const n = await getJson(h, '/api/v1/nodes/sim-node-1');
        return (n.spec.taints ?? []).length ? n : undefined;
      }, 15_000, 'the unschedulable taint');
      assert.equal(node.spec.unschedulable, true);
      assert.deepEqual(node.spec.taints.map((x: any) => [x.key, x.effect, x.value]), [['node.kubernetes.io/unschedulable', 'NoSchedule', undefined]]);
      const table = await h.kubectl(['get', 'node', 'sim-node-1']);
      assertTable(table.stdout, [['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'], ['sim-node-1', 'Ready,SchedulingDisabled', '<none>', '{age}', node.status.nodeInfo.kubeletVersion]], 'get node (cordoned)');
      const pinned = podYaml('pinned', ['  automountServiceAccountToken: false', '  nodeSelector:', '    kubernetes.io/hostname: sim-node-1']);
      assert.deepEqual(await apply('pinned', pinned), ok('pod/pinned created\n'));
      assert.equal(await unschedulable('pinned'),
        `0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector. ${NO_PREEMPTION_HELPS}`);
    } finally {
      assert.deepEqual(await h.kubectl(['uncordon', 'sim-node-1']), ok('node/sim-node-1 uncordoned\n'));
    }
    assert.equal((await running('pinned')).spec.nodeName, 'sim-node-1');
    await waitFor(async () => ((await getJson(h, '/api/v1/nodes/sim-node-1')).spec.taints ?? []).length === 0, 15_000, 'the unschedulable taint to go');
  });

  it('taint nodes NoExecute: pods that do not tolerate it are evicted and recreated elsewhere', async () => {
    const before = await podsBySelector(h, ns(), 'app=tw');
    assert.deepEqual(before.map((p) => p.spec.nodeName), ['sim-node-2', 'sim-node-2', 'sim-node-2']);
    assert.deepEqual(await h.kubectl(['taint', 'nodes', 'sim-node-2', 'evict=now:NoExecute']), ok('node/sim-node-2 tainted\n'));
    try {
      const moved = await waitFor(async () => {
        const pods = await podsBySelector(h, ns(), 'app=tw');
        return pods.length === 3 && pods.every((p) => p.spec.nodeName && p.spec.nodeName !== 'sim-node-2' && podReady(p)) ? pods : undefined;
      }, 30_000, 'the deployment\'s pods to run on the other nodes');
      assert.ok(moved.every((p) => !before.some((b) => b.metadata.name === p.metadata.name)));
      const evictions = [];
      for (const b of before) evictions.push(...(await eventsAbout(h, ns(), 'Pod', b.metadata.name)).filter((e) => e.reason === 'TaintManagerEviction'));
      assert.deepEqual(evictions.map((e) => [e.type, e.message, e.source?.component ?? e.reportingComponent]).sort(),
        before.map((b) => ['Normal', `Marking for deletion Pod ${ns()}/${b.metadata.name}`, 'taint-eviction-controller']).sort());
    } finally {
      assert.deepEqual(await h.kubectl(['taint', 'nodes', 'sim-node-2', 'evict-']), ok('node/sim-node-2 untainted\n'));
    }
  });

  it('create -f (node affinity): required affinity puts every pod on the named node; an unsatisfiable one leaves the pod Pending', async () => {
    const manifest = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: aff', 'spec:', '  replicas: 3',
      '  selector:', '    matchLabels:', '      app: aff', '  template:', '    metadata:', '      labels:', '        app: aff', '    spec:',
      '      affinity:', '        nodeAffinity:', '          requiredDuringSchedulingIgnoredDuringExecution:', '            nodeSelectorTerms:',
      '            - matchExpressions:', '              - key: kubernetes.io/hostname', '                operator: In', '                values: [sim-node-1]',
      '      containers:', '      - name: nginx', '        image: nginx:1.25', ''].join('\n');
    assert.deepEqual(await apply('aff', manifest), ok('deployment.apps/aff created\n'));
    await waitForRollout(h, ns(), 'aff', 3);
    assert.deepEqual((await podsBySelector(h, ns(), 'app=aff')).map((p) => p.spec.nodeName), ['sim-node-1', 'sim-node-1', 'sim-node-1']);

    const nowhere = podYaml('nowhere', ['  automountServiceAccountToken: false', '  affinity:', '    nodeAffinity:',
      '      requiredDuringSchedulingIgnoredDuringExecution:', '        nodeSelectorTerms:', '        - matchExpressions:',
      '          - key: kubernetes.io/hostname', '            operator: In', '            values: [no-such-node]']);
    assert.deepEqual(await apply('nowhere', nowhere), ok('pod/nowhere created\n'));
    assert.equal(await unschedulable('nowhere'), `0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. ${NO_PREEMPTION_HELPS}`);
  });
}, { versions: WORKLOAD_VERSIONS, namespacePrefix: 'wl-nodes', serverArgs: WORKLOAD_SERVER_ARGS });
