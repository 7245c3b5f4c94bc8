import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IpPool, nthSubnet, numberToIp, ipToNumber } from '../../src/kubelet/runtime/simulated/ip-pool.js';
import { defaultPullPolicy, imageContentRef, imageDigest, normalizeImage } from '../../src/kubelet/runtime/image-ref.js';
import { SimulatedRuntime } from '../../src/kubelet/runtime/simulated/runtime.js';
import type { ContainerEvent, PodSandboxConfig } from '../../src/kubelet/runtime/runtime.js';
import { goDuration, microTime, rfc3339 } from '../../src/kubelet/constants.js';

const sandbox = (uid: string, hostNetwork = false): PodSandboxConfig => ({
  metadata: { name: `p-${uid}`, namespace: 'default', uid, attempt: 0 }, labels: {}, annotations: {}, hostNetwork,
});
const container = (name: string) => ({ metadata: { name, attempt: 0 }, image: { image: 'nginx' }, labels: {}, annotations: {} });

describe('kubelet: address pools', () => {
  it('splits a cluster CIDR into per-node subnets', () => {
    assert.equal(nthSubnet('10.244.0.0/16', 24, 0), '10.244.0.0/24');
    assert.equal(nthSubnet('10.244.0.0/16', 24, 7), '10.244.7.0/24');
    assert.equal(nthSubnet('10.128.0.0/9', 24, 300), '10.129.44.0/24');
    assert.throws(() => nthSubnet('10.244.0.0/16', 24, 256), /10\.244\.0\.0\/16 holds 256 subnets of \/24; index 256 is out of range/);
  });

  it('converts addresses both ways', () => {
    assert.equal(ipToNumber('10.244.3.2'), 183_763_714);
    assert.equal(numberToIp(183_763_714), '10.244.3.2');
    assert.throws(() => ipToNumber('10.256.0.1'), /invalid IPv4 address "10.256.0.1"/);
  });

  it('hands out host addresses from .2 in turn and skips the gateway and broadcast', () => {
    const pool = new IpPool('10.244.1.0/29');
    assert.equal(pool.capacity, 5);
    assert.deepEqual([1, 2, 3].map(() => pool.allocate()), ['10.244.1.2', '10.244.1.3', '10.244.1.4']);
    pool.release('10.244.1.3');
    assert.deepEqual([pool.allocate(), pool.allocate(), pool.allocate()], ['10.244.1.5', '10.244.1.6', '10.244.1.3']);
    assert.throws(() => pool.allocate(), /no free address in 10\.244\.1\.0\/29/);
  });
});

describe('kubelet: image references', () => {
  it('normalizes names as container runtimes report them', () => {
    assert.equal(normalizeImage('nginx'), 'docker.io/library/nginx:latest');
    assert.equal(normalizeImage('nginx:1.27'), 'docker.io/library/nginx:1.27');
    assert.equal(normalizeImage('bitnami/redis'), 'docker.io/bitnami/redis:latest');
    assert.equal(normalizeImage('registry.k8s.io/pause:3.10'), 'registry.k8s.io/pause:3.10');
    assert.equal(normalizeImage('localhost:5000/app'), 'localhost:5000/app:latest');
  });

  it('derives a stable content reference', () => {
    const digest = imageDigest('nginx');
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(imageDigest('docker.io/library/nginx:latest'), digest);
    assert.equal(imageContentRef('nginx'), `docker.io/library/nginx@${digest}`);
    assert.equal(imageContentRef(`busybox@sha256:${'a'.repeat(64)}`), `docker.io/library/busybox@sha256:${'a'.repeat(64)}`);
  });

  it('defaults the pull policy as the API does', () => {
    assert.equal(defaultPullPolicy('nginx'), 'Always');
    assert.equal(defaultPullPolicy('nginx:latest'), 'Always');
    assert.equal(defaultPullPolicy('nginx:1.27'), 'IfNotPresent');
    assert.equal(defaultPullPolicy(`nginx@sha256:${'b'.repeat(64)}`), 'IfNotPresent');
  });
});

describe('kubelet: time and duration formats', () => {
  it('prints Go durations and API times', () => {
    assert.deepEqual([0, 7, 523, 1000, 1500, 61_250, 3_723_000].map(goDuration), ['0s', '7ms', '523ms', '1s', '1.5s', '1m1.25s', '1h2m3s']);
    assert.equal(rfc3339(Date.UTC(2025, 0, 2, 3, 4, 5, 678)), '2025-01-02T03:04:05Z');
    assert.equal(microTime(Date.UTC(2025, 0, 2, 3, 4, 5, 678)), '2025-01-02T03:04:05.678000Z');
  });
});

describe('kubelet: simulated runtime', () => {
  it('gives sandboxes addresses from the pod CIDR and host-network ones the node IP', async () => {
    const rt = new SimulatedRuntime({ podCidr: '10.244.2.0/24', hostIp: '172.18.0.4' });
    const a = await rt.runPodSandbox(sandbox('a'));
    const b = await rt.runPodSandbox(sandbox('b', true));
    assert.equal((await rt.podSandboxStatus(a)).network.ip, '10.244.2.2');
    assert.equal((await rt.podSandboxStatus(b)).network.ip, '172.18.0.4');
    assert.equal((await rt.podSandboxStatus(a)).state, 'SANDBOX_READY');
    await rt.stopPodSandbox(a);
    assert.equal((await rt.podSandboxStatus(a)).state, 'SANDBOX_NOTREADY');
    await rt.removePodSandbox(a);
    await assert.rejects(rt.podSandboxStatus(a), /sandbox ".*" not found/);
    rt.close();
  });

  it('runs containers, lets them exit by their behaviour and reports each change', async () => {
    const rt = new SimulatedRuntime({
      podCidr: '10.244.2.0/24', hostIp: '172.18.0.4',
      containerExit: (_sb, c) => (c.metadata.name === 'job' ? { runMs: 20, exitCode: 3 } : null),
    });
    const events: string[] = [];
    rt.onContainerEvent((e: ContainerEvent) => events.push(e.type));
    const sb = await rt.runPodSandbox(sandbox('a'));
    const web = await rt.createContainer(sb, container('web'), sandbox('a'));
    const job = await rt.createContainer(sb, container('job'), sandbox('a'));
    await rt.startContainer(web);
    await rt.startContainer(job);
    const running = await rt.containerStatus(job);
    assert.equal(running.state, 'CONTAINER_RUNNING');
    assert.equal(running.image.image, 'docker.io/library/nginx:latest');
    assert.equal(running.imageRef, imageContentRef('nginx'));
    await new Promise((r) => setTimeout(r, 60));
    const exited = await rt.containerStatus(job);
    assert.deepEqual([exited.state, exited.exitCode, exited.reason], ['CONTAINER_EXITED', 3, 'Error']);
    assert.equal((await rt.containerStatus(web)).state, 'CONTAINER_RUNNING');
    await rt.stopContainer(web, 30);
    const stopped = await rt.containerStatus(web);
    assert.deepEqual([stopped.state, stopped.exitCode, stopped.reason], ['CONTAINER_EXITED', 0, 'Completed']);
    assert.deepEqual(events, [
      'CONTAINER_CREATED_EVENT', 'CONTAINER_CREATED_EVENT', 'CONTAINER_STARTED_EVENT', 'CONTAINER_STARTED_EVENT',
      'CONTAINER_STOPPED_EVENT', 'CONTAINER_STOPPED_EVENT',
    ]);
    assert.equal((await rt.listContainers({ state: 'CONTAINER_EXITED' })).length, 2);
    rt.close();
  });

  it('treats every image as present unless told otherwise', async () => {
    const warm = new SimulatedRuntime({ podCidr: '10.244.2.0/24', hostIp: '172.18.0.4' });
    assert.equal((await warm.imageStatus('nginx:1.27'))?.repoTags[0], 'docker.io/library/nginx:1.27');
    const cold = new SimulatedRuntime({ podCidr: '10.244.2.0/24', hostIp: '172.18.0.4', preloadedImages: false });
    assert.equal(await cold.imageStatus('nginx:1.27'), null);
    assert.equal(await cold.pullImage('nginx:1.27'), imageContentRef('nginx:1.27'));
    assert.equal((await cold.listImages()).length, 1);
  });
});
