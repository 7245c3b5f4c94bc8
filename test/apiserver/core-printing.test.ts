import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accessModesAsString, containerCells, formatLabels, formatLabelSelector, formatQuantity } from '../../src/apiserver/registry/printing.js';
import { podQosClass, podStatusCells } from '../../src/apiserver/registry/core/pods.js';
import { addDefaultTolerations } from '../../src/apiserver/admission/default-toleration-seconds.js';
import { defaultPodSpec, defaultPodTemplateSpec, validatePodSpec, validatePodTemplateSpec } from '../../src/apiserver/registry/core/pod-spec.js';
import { formatEndpoints } from '../../src/apiserver/registry/core/endpoints.js';
import { nodeStatusCell, nodeRoles } from '../../src/apiserver/registry/core/nodes.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const pod = (spec: object, status: object, meta: object = {}) => ({ metadata: { name: 'p', creationTimestamp: ago(60), ...meta }, spec, status });
const one = { containers: [{ name: 'c', image: 'x' }] };

describe('pod status cells', () => {
  it('shows the phase of a pod without container statuses', () => {
    assert.deepEqual(podStatusCells(pod(one, { phase: 'Pending' }), NOW), { ready: '0/1', status: 'Pending', restarts: '0' });
  });

  it('shows a waiting reason and a terminated reason or exit code', () => {
    const waiting = pod(one, { phase: 'Pending', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] });
    assert.equal(podStatusCells(waiting, NOW).status, 'ContainerCreating');
    const done = pod(one, { phase: 'Succeeded', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
    assert.equal(podStatusCells(done, NOW).status, 'Completed');
    const failed = pod(one, { phase: 'Failed', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 2 } } }] });
    assert.equal(podStatusCells(failed, NOW).status, 'ExitCode:2');
    const signalled = pod(one, { phase: 'Failed', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 137, signal: 9 } } }] });
    assert.equal(podStatusCells(signalled, NOW).status, 'Signal:9');
  });

  it('counts restarts with the time of the last one', () => {
    const p = pod(one, { phase: 'Running', containerStatuses: [{ name: 'c', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: ago(300) } } }] });
    assert.deepEqual(podStatusCells(p, NOW), { ready: '1/1', status: 'Running', restarts: '2 (5m ago)' });
    const noTime = pod(one, { phase: 'Running', containerStatuses: [{ name: 'c', ready: true, restartCount: 3, state: { running: {} } }] });
    assert.equal(podStatusCells(noTime, NOW).restarts, '3');
  });

  it('shows init container progress and failures', () => {
    const spec = { initContainers: [{ name: 'i1', image: 'x' }, { name: 'i2', image: 'x' }], containers: [{ name: 'c', image: 'x' }] };
    const first = pod(spec, { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { running: {} } }, { name: 'i2', state: { waiting: { reason: 'PodInitializing' } } }] });
    assert.equal(podStatusCells(first, NOW).status, 'Init:0/2');
    const second = pod(spec, { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 0 } } }, { name: 'i2', state: { running: {} } }] });
    assert.equal(podStatusCells(second, NOW).status, 'Init:1/2');
    const crash = pod(spec, { phase: 'Pending', initContainerStatuses: [{ name: 'i1', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }] });
    assert.deepEqual(podStatusCells(crash, NOW), { ready: '0/1', status: 'Init:CrashLoopBackOff', restarts: '4' });
    const failed = pod(spec, { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 3 } } }] });
    assert.equal(podStatusCells(failed, NOW).status, 'Init:ExitCode:3');
  });

  it('counts restartable init containers (sidecars) among the containers', () => {
    const spec = { initContainers: [{ name: 's', image: 'x', restartPolicy: 'Always' }], containers: [{ name: 'c', image: 'x' }] };
    const p = pod(spec, {
      phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [{ name: 's', started: true, ready: true, restartCount: 1, state: { running: {} } }],
      containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }],
    });
    assert.deepEqual(podStatusCells(p, NOW), { ready: '2/2', status: 'Running', restarts: '1' });
  });

  it('shows Terminating for a pod being deleted, Unknown for a lost node, SchedulingGated for a gated pod', () => {
    assert.equal(podStatusCells(pod(one, { phase: 'Running' }, { deletionTimestamp: ago(0) }), NOW).status, 'Terminating');
    assert.equal(podStatusCells(pod(one, { phase: 'Succeeded' }, { deletionTimestamp: ago(0) }), NOW).status, 'Succeeded');
    assert.equal(podStatusCells(pod(one, { phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: ago(0) }), NOW).status, 'Unknown');
    assert.equal(podStatusCells(pod(one, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), NOW).status, 'SchedulingGated');
  });

  it('turns Completed back into Running or NotReady while a container still runs', () => {
    const spec = { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x' }] };
    const statuses = [{ name: 'a', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }, { name: 'b', ready: true, state: { running: {} } }];
    assert.equal(podStatusCells(pod(spec, { phase: 'Running', containerStatuses: statuses }), NOW).status, 'NotReady');
    assert.equal(podStatusCells(pod(spec, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: statuses }), NOW).status, 'Running');
  });
});

describe('QoS class', () => {
  it('is BestEffort, Burstable or Guaranteed from cpu and memory', () => {
    assert.equal(podQosClass(one), 'BestEffort');
    assert.equal(podQosClass({ containers: [{ resources: { requests: { cpu: '100m' } } }] }), 'Burstable');
    assert.equal(podQosClass({ containers: [{ resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1Gi' } } }] }), 'Guaranteed');
    assert.equal(podQosClass({ containers: [{ resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } } }] }), 'Burstable');
  });
});

describe('shared cell formats', () => {
  it('formats labels, selectors, containers and access modes', () => {
    assert.equal(formatLabels({ b: '2', a: '1' }), 'a=1,b=2');
    assert.equal(formatLabels({}), '<none>');
    assert.equal(formatLabels(undefined), '<none>');
    assert.equal(formatLabelSelector({ matchLabels: { tier: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }, { key: 'legacy', operator: 'DoesNotExist' }] }), 'env in (dev,prod),!legacy,tier=web');
    assert.equal(formatLabelSelector({}), '<none>');
    assert.equal(formatLabelSelector(undefined), '<none>');
    assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Near' }] }), '<error>');
    assert.deepEqual(containerCells([{ name: 'a', image: 'nginx' }, { name: 'b', image: 'busybox:1' }]), ['a,b', 'nginx,busybox:1']);
    assert.equal(accessModesAsString(['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce']), 'RWO,RWX');
  });

  it('renders quantities in canonical form', () => {
    const cases: Array<[unknown, string]> = [
      ['1Gi', '1Gi'], ['1024Mi', '1Gi'], ['1.5Gi', '1536Mi'], ['1000m', '1'], ['0.5', '500m'], ['1000', '1k'], ['1500', '1500'],
      ['100Mi', '100Mi'], ['512', '512'], ['1e3', '1e3'], ['0', '0'], [undefined, '0'], ['2', '2'], ['0.1', '100m'], ['1500k', '1500k'],
    ];
    for (const [input, want] of cases) assert.equal(formatQuantity(input), want, String(input));
  });

  it('lists endpoints as ip:port, at most three', () => {
    assert.equal(formatEndpoints({}), '<none>');
    assert.equal(formatEndpoints({ subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }], ports: [{ port: 80 }] }] }), '10.0.0.1:80,[fd00::1]:80');
    const many = { subsets: [{ addresses: [1, 2, 3, 4, 5].map((i) => ({ ip: `10.0.0.${i}` })), ports: [{ port: 80 }] }] };
    assert.equal(formatEndpoints(many), '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...');
    assert.equal(formatEndpoints({ subsets: [{ addresses: [{ ip: '10.0.0.9' }] }] }), '10.0.0.9');
  });

  it('derives node status and roles', () => {
    assert.equal(nodeStatusCell({}), 'Unknown');
    assert.equal(nodeStatusCell({ spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }), 'Ready,SchedulingDisabled');
    assert.equal(nodeStatusCell({ status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }), 'NotReady');
    assert.deepEqual(nodeRoles({ 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/': '' }), ['control-plane', 'worker']);
  });
});

describe('default tolerations', () => {
  it('adds not-ready and unreachable tolerations for 300s unless the pod has them', () => {
    const p = { spec: { containers: [] } } as Record<string, any>;
    addDefaultTolerations(p);
    assert.deepEqual(p.spec.tolerations, [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    addDefaultTolerations(p);
    assert.equal(p.spec.tolerations.length, 2);
    const own = { spec: { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }] } } as Record<string, any>;
    addDefaultTolerations(own);
    assert.deepEqual(own.spec.tolerations.map((t: { key: string; tolerationSeconds: number }) => [t.key, t.tolerationSeconds]),
      [['node.kubernetes.io/unreachable', 10], ['node.kubernetes.io/not-ready', 300]]);
    const all = { spec: { tolerations: [{ operator: 'Exists' }] } } as Record<string, any>;
    addDefaultTolerations(all);
    assert.deepEqual(all.spec.tolerations, [{ operator: 'Exists' }]);
  });
});

describe('shared pod spec rules', () => {
  it('defaults a template without the pod-only fields', () => {
    const tpl: Record<string, any> = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'nginx:1', resources: { limits: { cpu: '1' } } }] } };
    defaultPodTemplateSpec(tpl);
    assert.equal(tpl.spec.restartPolicy, 'Always');
    assert.equal(tpl.spec.enableServiceLinks, undefined);
    assert.equal(tpl.spec.priority, undefined);
    assert.deepEqual(tpl.spec.containers[0].resources, { limits: { cpu: '1' } });
    assert.deepEqual(validatePodTemplateSpec(tpl, 'spec.template'), []);
  });

  it('checks resources against their limits and mounts against the volumes', () => {
    const spec: Record<string, any> = {
      containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '1' }, requests: { cpu: '2', gpu: '1' } }, volumeMounts: [{ name: 'missing', mountPath: '/m' }] }],
    };
    defaultPodSpec(spec);
    assert.deepEqual(validatePodSpec(spec, 'spec').map((e) => `${e.field}: ${e.detail}`), [
      'spec.containers[0].volumeMounts[0].name: Not found: "missing"',
      'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
      'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
    ]);
  });

  it('reports errors at the given path', () => {
    const spec: Record<string, any> = { containers: [{ name: 'c' }], volumes: [{ name: 'v' }, { name: 'v', emptyDir: {} }] };
    defaultPodSpec(spec);
    assert.deepEqual(spec.volumes[0], { name: 'v', emptyDir: {} });
    assert.deepEqual(validatePodSpec(spec, 'spec.template.spec').map((e) => `${e.field}: ${e.detail}`), [
      'spec.template.spec.volumes[1].name: Duplicate value: "v"',
      'spec.template.spec.containers[0].image: Required value',
    ]);
    const bad: Record<string, any> = { containers: [{ name: 'c', image: 'x', imagePullPolicy: 'Sometimes', ports: [{ containerPort: 80, protocol: 'HTTP' }] }], dnsPolicy: 'Nope' };
    defaultPodSpec(bad);
    assert.deepEqual(validatePodSpec(bad, 'spec').map((e) => `${e.field}: ${e.detail}`), [
      'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
      'spec.dnsPolicy: Unsupported value: "Nope": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    ]);
  });
});
