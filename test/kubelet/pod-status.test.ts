import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  containersReadyCondition, generatePodStatus, initializedCondition, podPhase, readyCondition, stampConditions,
  type ContainerView,
} from '../../src/kubelet/pod-status.js';
import type { ContainerStatus } from '../../src/kubelet/runtime/runtime.js';

const T0 = Date.UTC(2025, 4, 1, 10, 0, 0);
const running = { state: { running: { startedAt: 'x' } }, lastState: {}, ready: true, started: true };
const st = (name: string, extra: any = {}) => ({ name, ...running, ...extra });
const exited = (name: string, exitCode: number) => ({ name, state: { terminated: { exitCode } }, lastState: {}, ready: false, started: false });
const waiting = (name: string) => ({ name, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, ready: false, started: false });

function rtStatus(id: string, name: string, state: ContainerStatus['state'], extra: Partial<ContainerStatus> = {}): ContainerStatus {
  return {
    id, podSandboxId: 'sb', metadata: { name, attempt: 0 }, state, createdAt: T0, startedAt: T0 + 1000, finishedAt: 0, exitCode: 0,
    image: { image: 'docker.io/library/nginx:latest' }, imageRef: 'docker.io/library/nginx@sha256:abc', reason: '', message: '',
    labels: {}, annotations: {}, ...extra,
  };
}

describe('kubelet: pod phase', () => {
  const spec = (restartPolicy: string, n = 2) => ({ restartPolicy, containers: Array.from({ length: n }, (_, i) => ({ name: `c${i}` })) });

  it('is Pending while a container waits and Running once all started', () => {
    assert.equal(podPhase(spec('Always'), [], [st('c0'), waiting('c1')], false), 'Pending');
    assert.equal(podPhase(spec('Always'), [], [st('c0'), st('c1')], false), 'Running');
    assert.equal(podPhase(spec('Always'), [], [st('c0')], false), 'Pending');
  });

  it('follows the restart policy once containers stopped', () => {
    assert.equal(podPhase(spec('Never'), [], [exited('c0', 0), exited('c1', 0)], false), 'Succeeded');
    assert.equal(podPhase(spec('Never'), [], [exited('c0', 0), exited('c1', 2)], false), 'Failed');
    assert.equal(podPhase(spec('OnFailure'), [], [exited('c0', 0), exited('c1', 2)], false), 'Running');
    assert.equal(podPhase(spec('Always'), [], [exited('c0', 0), exited('c1', 0)], false), 'Running');
    assert.equal(podPhase(spec('Never'), [], [st('c0'), exited('c1', 0)], false), 'Running');
  });

  it('ends a pod the kubelet stopped for good by its exit codes', () => {
    assert.equal(podPhase(spec('Always'), [], [exited('c0', 0), exited('c1', 0)], true), 'Succeeded');
    assert.equal(podPhase(spec('Always'), [], [exited('c0', 0), exited('c1', 137)], true), 'Failed');
  });

  it('waits for init containers and fails on a failed one under Never', () => {
    const s = { restartPolicy: 'Never', initContainers: [{ name: 'i0' }], containers: [{ name: 'c0' }] };
    assert.equal(podPhase(s, [st('i0')], [waiting('c0')], false), 'Pending');
    assert.equal(podPhase(s, [exited('i0', 1)], [waiting('c0')], false), 'Failed');
    assert.equal(podPhase(s, [exited('i0', 0)], [st('c0')], false), 'Running');
  });
});

describe('kubelet: pod conditions', () => {
  const spec = { containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] };

  it('names unready and unknown containers as upstream does', () => {
    assert.deepEqual(containersReadyCondition(spec, [], [st('a', { ready: false }), st('b', { ready: false })], 'Running'), {
      type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady',
      message: 'containers with unknown status: [c], containers with unready status: [a b]',
    });
    assert.deepEqual(containersReadyCondition(spec, [], [st('a'), st('b'), st('c')], 'Running'), { type: 'ContainersReady', status: 'True' });
    assert.deepEqual(containersReadyCondition(spec, [], [exited('a', 0), exited('b', 0), exited('c', 0)], 'Succeeded'), {
      type: 'ContainersReady', status: 'False', reason: 'PodCompleted',
    });
  });

  it('holds Ready back for readiness gates', () => {
    const gated = { readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] };
    const conds = [{ type: 'example.com/dns', status: 'False' }];
    assert.deepEqual(readyCondition(gated, conds, { type: 'ContainersReady', status: 'True' }), {
      type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady',
      message: 'corresponding condition of pod readiness gate "example.com/lb" does not exist., the status of pod readiness gate "example.com/dns" is not "True", but False',
    });
    assert.deepEqual(readyCondition({}, [], { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' }), { type: 'Ready', status: 'False', reason: 'PodCompleted' });
  });

  it('reports init containers that have not completed', () => {
    const s = { initContainers: [{ name: 'i0' }, { name: 'i1' }], containers: [{ name: 'c0' }] };
    assert.deepEqual(initializedCondition(s, [exited('i0', 0), st('i1', { ready: false })], [waiting('c0')], 'Pending'), {
      type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [i1]',
    });
    assert.deepEqual(initializedCondition(s, [exited('i0', 0), exited('i1', 0)], [exited('c0', 0)], 'Succeeded'), {
      type: 'Initialized', status: 'True', reason: 'PodCompleted',
    });
  });

  it('keeps a transition time while the status holds', () => {
    const prev = [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }];
    const out = stampConditions(prev, [{ type: 'Ready', status: 'True' }, { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: 'm' }], T0);
    assert.deepEqual(out, [
      { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-01-01T00:00:00Z' },
      { type: 'ContainersReady', status: 'False', lastProbeTime: null, lastTransitionTime: '2025-05-01T10:00:00Z', reason: 'ContainersNotReady', message: 'm' },
    ]);
  });
});

describe('kubelet: generated pod status', () => {
  const pod = {
    metadata: { name: 'web', namespace: 'default', uid: 'u1' },
    spec: { restartPolicy: 'Always', containers: [{ name: 'nginx', image: 'nginx', volumeMounts: [{ name: 'token', mountPath: '/var/run/secrets', readOnly: true }] }] },
    status: { phase: 'Pending', qosClass: 'BestEffort', conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-05-01T09:59:59Z' }] },
  };

  it('describes a running pod as the kubelet reports it', () => {
    const views: ContainerView[] = [{ name: 'nginx', current: rtStatus('c1', 'nginx', 'CONTAINER_RUNNING'), restartCount: 0, ready: true, started: true }];
    const status = generatePodStatus(pod, {
      sandboxReady: true, podIps: ['10.244.0.2'], hostIp: '172.18.0.2', startTime: T0, initContainers: [], containers: views, terminal: false, runtimeName: 'sim',
    }, T0 + 2000);
    const at = '2025-05-01T10:00:02Z';
    assert.deepEqual(status, {
      phase: 'Running',
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: at },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: at },
        { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: at },
        { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: at },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-05-01T09:59:59Z' },
      ],
      hostIP: '172.18.0.2', hostIPs: [{ ip: '172.18.0.2' }],
      podIP: '10.244.0.2', podIPs: [{ ip: '10.244.0.2' }],
      startTime: '2025-05-01T10:00:00Z',
      containerStatuses: [{
        name: 'nginx', state: { running: { startedAt: '2025-05-01T10:00:01Z' } }, lastState: {}, ready: true, restartCount: 0,
        image: 'docker.io/library/nginx:latest', imageID: 'docker.io/library/nginx@sha256:abc', containerID: 'sim://c1', started: true,
        volumeMounts: [{ name: 'token', mountPath: '/var/run/secrets', readOnly: true, recursiveReadOnly: 'Disabled' }],
      }],
    });
  });

  it('describes a completed container and a pod still creating', () => {
    const done = rtStatus('c2', 'nginx', 'CONTAINER_EXITED', { finishedAt: T0 + 6000, reason: 'Completed' });
    const never = { ...pod, spec: { ...pod.spec, restartPolicy: 'Never' } };
    const status = generatePodStatus(never, {
      sandboxReady: false, podIps: ['10.244.0.2'], hostIp: '172.18.0.2', startTime: T0, terminal: false, runtimeName: 'sim',
      initContainers: [], containers: [{ name: 'nginx', current: done, restartCount: 0, ready: false, started: false }],
    }, T0 + 7000);
    assert.equal(status.phase, 'Succeeded');
    assert.deepEqual(status.containerStatuses[0].state, {
      terminated: { exitCode: 0, reason: 'Completed', startedAt: '2025-05-01T10:00:01Z', finishedAt: '2025-05-01T10:00:06Z', containerID: 'sim://c2' },
    });
    assert.deepEqual(status.conditions.map((c: any) => [c.type, c.status, c.reason ?? '']), [
      ['PodReadyToStartContainers', 'False', ''], ['Initialized', 'True', 'PodCompleted'], ['Ready', 'False', 'PodCompleted'],
      ['ContainersReady', 'False', 'PodCompleted'], ['PodScheduled', 'True', ''],
    ]);
    const creating = generatePodStatus(pod, {
      sandboxReady: false, podIps: [], hostIp: '172.18.0.2', startTime: T0, terminal: false, runtimeName: 'sim',
      initContainers: [], containers: [{ name: 'nginx', restartCount: 0, ready: false, started: false }],
    }, T0);
    assert.equal(creating.phase, 'Pending');
    assert.equal(creating.podIP, undefined);
    assert.deepEqual(creating.containerStatuses[0], {
      name: 'nginx', state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, ready: false, restartCount: 0, image: 'nginx', imageID: '', started: false,
      volumeMounts: [{ name: 'token', mountPath: '/var/run/secrets', readOnly: true, recursiveReadOnly: 'Disabled' }],
    });
    assert.deepEqual(creating.conditions.find((c: any) => c.type === 'Ready'), {
      type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: '2025-05-01T10:00:00Z', reason: 'ContainersNotReady', message: 'containers with unready status: [nginx]',
    });
  });

  it('never moves a terminal pod back', () => {
    const failed = { ...pod, status: { ...pod.status, phase: 'Failed' } };
    const status = generatePodStatus(failed, {
      sandboxReady: true, podIps: [], hostIp: '172.18.0.2', terminal: false, runtimeName: 'sim', initContainers: [],
      containers: [{ name: 'nginx', current: rtStatus('c1', 'nginx', 'CONTAINER_RUNNING'), restartCount: 0, ready: true, started: true }],
    }, T0);
    assert.equal(status.phase, 'Failed');
  });
});
