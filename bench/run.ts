/**
 * `npm run bench`: measures tskube on SQLite and on etcd, prints a report and rewrites
 * docs/benchmarks.md. Everything runs on 127.0.0.1 and the run is bounded (a watchdog ends it).
 *
 * Environment:
 * - BENCH_QUICK=1: much smaller loads, for checking the benchmark itself (do not publish).
 * - BENCH_NO_WRITE=1: do not rewrite docs/benchmarks.md.
 * - BENCH_CPU_PROF=<dir>: profile the server processes (V8 CPU profile, see cpu-profile-preload.ts) into <dir>.
 * - BENCH_ONLY=sqlite|etcd|scheduling: measure one backend, or scheduling, only.
 * - BENCH_SERVER_NODE_OPTIONS=<options>: NODE_OPTIONS for the server processes (diagnostics).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openSqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { openEtcdStore } from '../src/storage/etcd/etcd-store.js';
import { ETCD_BINARY, startEtcdCluster, type EtcdCluster } from '../test/support/etcd.js';
import { REPO_ROOT, type ServerProcess } from '../test/support/process.js';
import { benchApi, type ApiBenchPlan } from './api.js';
import { describeMachine, describeSource } from './machine.js';
import { loadAverage, readMemory } from './proc.js';
import { renderMarkdown, type BenchReport } from './report.js';
import { benchServer, ServerExitedError, type ServerBenchPlan } from './server.js';
import { benchSchedulingScenario, type SchedulingScenario } from './scheduling.js';
import { benchStorage, type StorageBenchPlan, type StorageBenchResult } from './storage.js';

const QUICK = process.env.BENCH_QUICK === '1';
const ONLY = process.env.BENCH_ONLY;
/** The whole run is cut off after this long. */
const WATCHDOG_MS = 16 * 60_000;

const storagePlan: StorageBenchPlan = QUICK
  ? { warmupOps: 100, c1Ops: 200, c1MaxMs: 1000, c32Ops: 1000, c32MaxMs: 1000, c32Runs: 3 }
  : { warmupOps: 500, c1Ops: 2000, c1MaxMs: 3000, c32Ops: 10_000, c32MaxMs: 3000, c32Runs: 3 };

const serverPlan: ServerBenchPlan = QUICK
  ? {
    idleMs: 2000, warmupOps: 200, c1Ops: 300, c1MaxMs: 2000, c32Ops: 1000, c32MaxMs: 2000, c32Runs: 3, watchers: 100, watchThreads: 2,
    paced: { kind: 'paced', ratePerSec: 100, durationMs: 2000 }, burst: { kind: 'burst', concurrency: 32, durationMs: 2000 },
    watchMaxCreates: 20_000, pacedDrainMs: 10_000, burstDrainMs: 30_000,
  }
  : {
    idleMs: 2000, warmupOps: 1000, c1Ops: 3000, c1MaxMs: 8000, c32Ops: 10_000, c32MaxMs: 8000, c32Runs: 3, watchers: 100, watchThreads: 2,
    paced: { kind: 'paced', ratePerSec: 100, durationMs: 10_000 }, burst: { kind: 'burst', concurrency: 32, durationMs: 10_000 },
    watchMaxCreates: 40_000, pacedDrainMs: 15_000, burstDrainMs: 60_000,
  };

const apiPlan: ApiBenchPlan = QUICK
  ? {
    warmupOps: 100, listSizes: [300, 1000], fillConcurrency: 32, getOps: 200, listReps: 20, listMinReps: 3, listMaxMs: 1000, pageLimit: 500,
    updateClients: 32, updateObjects: 8, updateMs: 1500, createConcurrency: 32, createOps: 3000, createMaxMs: 1000, createRuns: 2,
  }
  : {
    warmupOps: 500, listSizes: [1000, 10_000], fillConcurrency: 32, getOps: 1000, listReps: 100, listMinReps: 10, listMaxMs: 3000, pageLimit: 500,
    updateClients: 32, updateObjects: 8, updateMs: 5000, createConcurrency: 32, createOps: 10_000, createMaxMs: 3000, createRuns: 3,
  };

/** Scheduling workloads (section 6); each runs on a fresh server. */
const schedulingPlan: SchedulingScenario[] = QUICK
  ? [
    { name: 'SchedulingBasic/5000Nodes', nodes: 5000, initPods: 200, pods: 200, via: 'pods', maxMs: 60_000 },
    { name: '1000 nodes, Deployments', nodes: 1000, initPods: 0, pods: 500, via: 'deployments', replicasPerDeployment: 100, maxMs: 60_000 },
  ]
  : [
    { name: 'SchedulingBasic/5000Nodes', nodes: 5000, initPods: 1000, pods: 1000, via: 'pods', maxMs: 120_000 },
    { name: '1000 nodes, pods', nodes: 1000, initPods: 0, pods: 10_000, via: 'pods', maxMs: 120_000 },
    { name: '5000 nodes, pods', nodes: 5000, initPods: 0, pods: 10_000, via: 'pods', maxMs: 120_000 },
    { name: '1000 nodes, Deployments', nodes: 1000, initPods: 0, pods: 10_000, via: 'deployments', replicasPerDeployment: 100, maxMs: 120_000 },
    { name: '5000 nodes, Deployments', nodes: 5000, initPods: 0, pods: 10_000, via: 'deployments', replicasPerDeployment: 100, maxMs: 120_000 },
  ];

const children = new Set<ServerProcess>();
let etcd: EtcdCluster | null = null;

function log(s: string): void {
  process.stderr.write(`${s}\n`);
}

async function benchSqliteStorage(groupCommit: boolean): Promise<StorageBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'tskube-bench-sqlite-'));
  const store = await openSqliteStore({ path: join(dir, 'bench.db'), groupCommit });
  try {
    return await benchStorage(store, `sqlite (${groupCommit ? 'group commit' : 'no group commit'})`, groupCommit ? 'gc' : 'nogc', storagePlan, log);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const machine = describeMachine(ETCD_BINARY);
  const loadAtStart = loadAverage();
  const source = describeSource(REPO_ROOT);
  log(`tskube benchmark${QUICK ? ' (QUICK: small loads, not for publishing)' : ''}: ${machine.cpuModel}, ${machine.cores} CPUs, Node ${machine.node}, etcd ${machine.etcd}`);
  const env: Record<string, string> = {};
  const nodeOptions: string[] = [];
  if (process.env.BENCH_SERVER_NODE_OPTIONS) nodeOptions.push(process.env.BENCH_SERVER_NODE_OPTIONS);
  if (process.env.BENCH_CPU_PROF) {
    // Node 20 does not allow --cpu-prof in NODE_OPTIONS; a preloaded module runs the profiler instead.
    nodeOptions.push(`--import=${new URL('./cpu-profile-preload.js', import.meta.url).href}`);
    env.BENCH_CPU_PROF_DIR = resolve(process.env.BENCH_CPU_PROF);
  }
  if (nodeOptions.length > 0) env.NODE_OPTIONS = nodeOptions.join(' ');
  const report: BenchReport = {
    machine, wallSeconds: 0, storage: [], servers: [], api: [], apiPlan, scheduling: [], failures: [], notes: [], loadAtStart, source,
    plan: {
      storageC32Runs: storagePlan.c32Runs, httpC1Ops: serverPlan.c1Ops, httpC32Ops: serverPlan.c32Ops, httpC32Runs: serverPlan.c32Runs,
      watchers: serverPlan.watchers, watchThreads: serverPlan.watchThreads, pacedRate: serverPlan.paced.ratePerSec, pacedSeconds: serverPlan.paced.durationMs / 1000,
      burstConcurrency: serverPlan.burst.concurrency, burstSeconds: serverPlan.burst.durationMs / 1000,
    },
  };
  const attempt = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      const msg = `${what}: ${err instanceof Error ? err.message : String(err)}`;
      log(`FAILED ${msg}`);
      report.failures.push(msg.split('\n')[0]!.slice(0, 300));
    }
  };
  const onStart = (s: ServerProcess) => {
    children.add(s);
    s.child.once('exit', () => children.delete(s));
  };

  /** Measures a server; when the process ends underneath the benchmark (killed from outside), measures it again. */
  const serverRun = (backend: 'sqlite' | 'etcd', args: () => string[], etcdPid?: () => number, before?: () => Promise<void>) =>
    retried(backend, async () => { report.servers.push(await benchServer(backend, args(), serverPlan, log, { etcdPid: etcdPid?.(), env, onStart })); }, before);
  /** The same for the API-machinery server. */
  const apiRun = (backend: 'sqlite' | 'etcd', args: () => string[], etcdPid?: () => number, before?: () => Promise<void>) =>
    retried(backend, async () => { report.api.push(await benchApi(backend, args(), apiPlan, log, { etcdPid: etcdPid?.(), env, onStart })); }, before);
  async function retried(backend: 'sqlite' | 'etcd', measure: () => Promise<void>, before?: () => Promise<void>): Promise<void> {
    for (let attemptNo = 1; ; attemptNo++) {
      try {
        await before?.();
        await measure();
        return;
      } catch (err) {
        // Up to three attempts, while the run is young enough to stay within its time budget.
        const elapsedS = (performance.now() - started) / 1000;
        if (!(err instanceof ServerExitedError) || attemptNo >= 3 || elapsedS > 360) throw err;
        log(`  ${err.message}; measuring again`);
        report.notes.push(`First attempt on ${backend}: ${err.message}. That attempt was discarded and the server measured again.`);
      }
    }
  };

  if (!ONLY || ONLY === 'sqlite') {
    log('SQLite storage layer');
    await attempt('sqlite storage (group commit)', async () => { report.storage.push(await benchSqliteStorage(true)); });
    await attempt('sqlite storage (no group commit)', async () => { report.storage.push(await benchSqliteStorage(false)); });
    log('tskube server on SQLite');
    await attempt('server on sqlite', () => serverRun('sqlite', () => []));
    log('API machinery on SQLite');
    await attempt('API machinery on sqlite', () => apiRun('sqlite', () => []));
  }
  if (!ONLY || ONLY === 'etcd') {
    // Two etcd instances: one for the storage layer, a fresh one for the server, so the server's
    // figures (and etcd's RSS at rest) do not carry the storage benchmark's data.
    const freshEtcd = async (what: string): Promise<EtcdCluster> => {
      const e = await startEtcdCluster(1);
      etcd = e;
      await new Promise((r) => setTimeout(r, 2000));
      const m = e.members[0]!;
      log(`  etcd for ${what}: pid ${m.pid} at ${m.endpoint}, RSS at rest ${(readMemory(m.pid).rss / 2 ** 20).toFixed(1)} MiB`);
      return e;
    };
    const stopEtcd = async () => {
      if (etcd) await (etcd as EtcdCluster).stop();
      etcd = null;
    };
    log('etcd storage layer');
    await attempt('etcd storage', async () => {
      try {
        const e = await freshEtcd('the storage layer');
        const store = await openEtcdStore({ endpoints: e.endpoints });
        try {
          report.storage.push(await benchStorage(store, 'etcd', 'etcd', storagePlan, log, { etcd: e.members[0]!.pid }));
        } finally {
          await store.close();
        }
      } finally {
        await stopEtcd();
      }
    });
    log('tskube server on etcd');
    let serverEtcd: EtcdCluster | null = null;
    await attempt('server on etcd', async () => {
      try {
        await serverRun('etcd', () => ['--storage', 'etcd', '--etcd-servers', serverEtcd!.endpoints.join(',')], () => serverEtcd!.members[0]!.pid,
          async () => { await stopEtcd(); serverEtcd = await freshEtcd('the server'); });
      } finally {
        await stopEtcd();
      }
    });
    log('API machinery on etcd');
    let apiEtcd: EtcdCluster | null = null;
    await attempt('API machinery on etcd', async () => {
      try {
        await apiRun('etcd', () => ['--storage', 'etcd', '--etcd-servers', apiEtcd!.endpoints.join(',')], () => apiEtcd!.members[0]!.pid,
          async () => { await stopEtcd(); apiEtcd = await freshEtcd('the API machinery server'); });
      } finally {
        await stopEtcd();
      }
    });
  }

  if (!ONLY || ONLY === 'scheduling') {
    log('Scheduling');
    for (const scenario of schedulingPlan) {
      await attempt(`scheduling ${scenario.name}`, async () => { report.scheduling.push(await benchSchedulingScenario(scenario, log, env)); });
    }
  }

  report.wallSeconds = (performance.now() - started) / 1000;
  const markdown = renderMarkdown(report);
  process.stdout.write(`\n${markdown}\n`);
  if (QUICK || process.env.BENCH_NO_WRITE === '1') {
    log('docs/benchmarks.md left unchanged (BENCH_QUICK or BENCH_NO_WRITE)');
  } else {
    const path = join(REPO_ROOT, 'docs', 'benchmarks.md');
    await writeFile(path, markdown + '\n');
    log(`wrote ${path}`);
  }
  return report.failures.length > 0 ? 1 : 0;
}

const watchdog = setTimeout(() => {
  log(`benchmark still running after ${WATCHDOG_MS / 60_000} min: giving up`);
  for (const c of children) c.child.kill('SIGKILL');
  for (const m of (etcd as EtcdCluster | null)?.members ?? []) m.kill();
  process.exit(2);
}, WATCHDOG_MS);
watchdog.unref();

main().then((code) => {
  clearTimeout(watchdog);
  process.exitCode = code;
  // Anything left open (a stuck socket) must not keep the process alive.
  setTimeout(() => process.exit(code), 500).unref();
}, (err) => {
  console.error(err);
  for (const c of children) c.child.kill('SIGKILL');
  process.exit(1);
});
