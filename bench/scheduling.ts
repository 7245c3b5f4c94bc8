/**
 * Scheduling through the real API server, as `tskube up` runs it: `tskube server` and
 * `tskube scheduler` (and, for Deployments, `tskube controller-manager`) as child processes,
 * Nodes created as objects (as upstream's scheduler_perf does: no kubelets), pods created by
 * this process. A watch in this process sees each pod arrive and each binding land; from it
 * come pods bound per second, create→bound latency and how evenly pods spread over nodes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from '../src/client/kube-client.js';
import { removeDir, startServerProcess, TSKUBE_BIN, type ServerProcess } from '../test/support/process.js';
import { readCpuSeconds } from './proc.js';
import { percentile } from './stats.js';

/** One scheduling workload. */
export interface SchedulingScenario {
  name: string;
  nodes: number;
  /** Pods created and bound before measuring (scheduler_perf's "initPods"). */
  initPods: number;
  /** Pods measured. */
  pods: number;
  /** Pods created one by one, or by Deployments of `replicasPerDeployment` (the controllers make the pods). */
  via: 'pods' | 'deployments';
  replicasPerDeployment?: number;
  /** Give up measuring after this long. */
  maxMs: number;
}

/** What one scenario measured. */
export interface SchedulingFigures {
  scenario: SchedulingScenario;
  /** Measured pods bound before the deadline. */
  bound: number;
  /** bound / (last binding seen − first measured pod seen). */
  podsPerSec: number;
  /** Create → bound, as this process's watch saw both. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Pods per node over all nodes at the end (init and measured pods). */
  spread: { min: number; max: number; mean: number; stddev: number };
  /** CPU seconds used while measuring, by process. */
  cpu: { server: number; scheduler: number; controllerManager: number; bench: number };
  wallMs: number;
}

const POD_RESOURCES = { requests: { cpu: '100m', memory: '128Mi' } };

function node(i: number): any {
  const capacity = { cpu: '32', memory: '128Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}`, 'kubernetes.io/os': 'linux' } },
    status: { capacity, allocatable: capacity, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }] },
  };
}

function pod(name: string): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'bench' } }, spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: POD_RESOURCES }] } };
}

function deployment(name: string, replicas: number): any {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: {
      replicas, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: POD_RESOURCES }] } },
    },
  };
}

async function inParallel(total: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, async () => {
    while (next < total) await fn(next++);
  }));
}

/** Starts `tskube <command> --kubeconfig <dataDir>/<identity>.kubeconfig …` and waits for its ready line. */
async function startComponent(command: string, identity: string, dataDir: string, extra: string[], env?: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [TSKUBE_BIN, command, '--kubeconfig', join(dataDir, `${identity}.kubeconfig`), '--leader-elect=false', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env },
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${command} did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (d) => { out += d; if (out.includes(': running')) { clearTimeout(t); resolve(); } });
    child.stderr!.on('data', (d) => { out += d; });
    child.once('exit', (code) => { clearTimeout(t); reject(new Error(`${command} exited with ${code}: ${out}`)); });
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); });
}

/** Watches pods and records when each was first seen and first seen bound. */
class BindingWatch {
  readonly seen = new Map<string, number>();
  readonly bound = new Map<string, number>();
  private readonly ctl = new AbortController();
  private running?: Promise<void>;

  constructor(private readonly client: KubeClient, private readonly namespace: string) {}

  async start(): Promise<void> {
    const list = await this.client.pods.list({ namespace: this.namespace });
    const events = this.client.pods.watch({ namespace: this.namespace, resourceVersion: list.metadata.resourceVersion, signal: this.ctl.signal });
    this.running = (async () => {
      for await (const ev of events) {
        if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED') continue;
        const now = performance.now();
        const name = ev.object.metadata.name!;
        if (!this.seen.has(name)) this.seen.set(name, now);
        if (ev.object.spec?.nodeName && !this.bound.has(name)) this.bound.set(name, now);
      }
    })().catch(() => {});
  }

  async until(count: (w: BindingWatch) => boolean, deadline: number): Promise<void> {
    while (!count(this) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  }

  async stop(): Promise<void> {
    this.ctl.abort();
    await this.running;
  }
}

/** Runs one scenario on a fresh server and data directory. */
export async function benchSchedulingScenario(s: SchedulingScenario, log: (m: string) => void, env?: Record<string, string>): Promise<SchedulingFigures> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tskube-bench-sched-'));
  let server: ServerProcess | undefined;
  let scheduler: ChildProcess | undefined;
  let cm: ChildProcess | undefined;
  const c = () => server!.credentials;
  try {
    server = await startServerProcess({ command: 'server', dataDir, env });
    const admin = new KubeClient({ server: c().server, caPem: c().ca, certPem: c().cert, keyPem: c().key, maxSockets: 64, userAgent: 'bench' });
    const ns = 'bench';
    await admin.namespaces.create({ metadata: { name: ns } });
    await inParallel(s.nodes, 64, (i) => admin.nodes.create(node(i)));
    scheduler = await startComponent('scheduler', 'scheduler', dataDir, [], env);
    if (s.via === 'deployments') cm = await startComponent('controller-manager', 'controller-manager', dataDir, ['--controllers', 'replicaset,deployment'], env);
    const watch = new BindingWatch(admin, ns);
    await watch.start();
    if (s.initPods > 0) {
      await inParallel(s.initPods, 32, (i) => admin.pods.create(pod(`init-${i}`), { namespace: ns }));
      await watch.until((w) => w.bound.size >= s.initPods, performance.now() + s.maxMs);
    }
    log(`  ${s.name}: ${s.nodes} nodes, ${s.initPods} init pods bound; measuring ${s.pods} pods via ${s.via}`);
    const cpu0 = { server: readCpuSeconds(server.child.pid!), scheduler: readCpuSeconds(scheduler.pid!), cm: cm ? readCpuSeconds(cm.pid!) : 0, bench: process.cpuUsage() };
    const t0 = performance.now();
    const deadline = t0 + s.maxMs;
    const before = new Set(watch.seen.keys());
    if (s.via === 'pods') {
      await inParallel(s.pods, 32, (i) => admin.pods.create(pod(`pod-${i}`), { namespace: ns }));
    } else {
      const per = s.replicasPerDeployment ?? 100;
      await inParallel(Math.ceil(s.pods / per), 8, (i) => admin.deployments.create(deployment(`deploy-${i}`, per), { namespace: ns }));
    }
    const measuredBound = (w: BindingWatch) => { let n = 0; for (const k of w.bound.keys()) if (!before.has(k)) n++; return n; };
    await watch.until((w) => measuredBound(w) >= s.pods, deadline);
    const wallMs = performance.now() - t0;
    const benchCpu = process.cpuUsage(cpu0.bench);
    const cpu = {
      server: readCpuSeconds(server.child.pid!) - cpu0.server, scheduler: readCpuSeconds(scheduler.pid!) - cpu0.scheduler,
      controllerManager: cm ? readCpuSeconds(cm.pid!) - cpu0.cm : 0, bench: (benchCpu.user + benchCpu.system) / 1e6,
    };
    await watch.stop();
    const latencies: number[] = [];
    let first = Infinity;
    let last = 0;
    for (const [name, at] of watch.bound) {
      if (before.has(name)) continue;
      const seenAt = watch.seen.get(name)!;
      latencies.push(at - seenAt);
      first = Math.min(first, seenAt);
      last = Math.max(last, at);
    }
    const perNode = new Map<string, number>();
    for (let i = 0; i < s.nodes; i++) perNode.set(`node-${i}`, 0);
    const pods = await admin.pods.list({ namespace: ns });
    for (const p of pods.items) if (p.spec?.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    const counts = [...perNode.values()];
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    const stddev = Math.sqrt(counts.reduce((a, b) => a + (b - mean) ** 2, 0) / counts.length);
    admin.close();
    return {
      scenario: s, bound: latencies.length, podsPerSec: latencies.length / ((last - first) / 1000),
      p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), maxMs: percentile(latencies, 1),
      spread: { min: Math.min(...counts), max: Math.max(...counts), mean, stddev }, cpu, wallMs,
    };
  } finally {
    await stopChild(cm);
    await stopChild(scheduler);
    await server?.stop();
    await removeDir(dataDir);
  }
}
