/**
 * The API server as a client sees it: `tskube server` runs as its own process (so its memory and
 * CPU can be read from /proc), and this process drives HTTPS load against it.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess, removeDir, type ServerProcess } from '../test/support/process.js';
import { BenchClient, CONFIGMAPS, runHttpCreates } from './http.js';
import type { LoadResult } from './load.js';
import type { StorageBenchPlan } from './storage.js';
import { CpuMeter, readCpuSeconds, readMemory } from './proc.js';
import { medianResult } from './storage.js';
import { runWatchPhase, violationCount, type WatchMode, type WatchPhaseResult } from './watch.js';

/** Load sizes of {@link benchServer}: the create loads of the storage bench, plus idle and watch phases. */
export interface ServerBenchPlan extends StorageBenchPlan {
  idleMs: number;
  watchers: number;
  /** Worker threads the watchers are spread over. */
  watchThreads: number;
  paced: WatchMode & { kind: 'paced' };
  burst: WatchMode & { kind: 'burst' };
  /** Upper bound of creates in a watch phase (memory for the checks). */
  watchMaxCreates: number;
  pacedDrainMs: number;
  burstDrainMs: number;
}

/** CPU seconds used during one phase, per process. */
export interface PhaseCpu {
  phase: string;
  wallMs: number;
  /** Keys: `server`, `etcd` (when there is one), `bench` (this process: load generator and watchers). */
  cpu: Record<string, number>;
  /** Successful creates during the phase (for CPU per create). */
  creates: number;
  /** p99 event-loop delay of the benchmark process during the phase, ms (high: the load generator lagged). */
  benchLoopDelayP99Ms?: number;
}

/** Everything measured against one server process. */
export interface ServerBenchResult {
  backend: 'sqlite' | 'etcd';
  startupMs: number;
  rssAtRest: number;
  rssAfterLoad: number;
  /** Peak RSS of the server over the run (VmHWM). */
  rssPeak: number;
  /** etcd's RSS at the same moments, when etcd is the backend. */
  etcdRssAtRest?: number;
  etcdRssAfterLoad?: number;
  c1: LoadResult;
  c32: LoadResult;
  /** SQLite: writes per storage transaction during the c=32 runs, from the server's /metrics (group commit at work). */
  writesPerCommitC32?: number;
  /** Objects in the ConfigMap collection at the end (all held in the watch cache). */
  objectsAtEnd: number;
  c32Runs: LoadResult[];
  paced: WatchPhaseResult;
  burst: WatchPhaseResult;
  phases: PhaseCpu[];
  /** The server's output when it printed anything beyond its start line (errors, warnings). */
  serverOutput: string;
}

/** The server process ended while it was being measured. */
export class ServerExitedError extends Error {
  override name = 'ServerExitedError';
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Starts `tskube server` (with `args`), measures it, stops it. `etcdPid` is read for CPU and RSS when given. */
export async function benchServer(backend: 'sqlite' | 'etcd', args: string[], plan: ServerBenchPlan, log: (s: string) => void,
  opts: { etcdPid?: number; env?: Record<string, string>; onStart?: (s: ServerProcess) => void } = {}): Promise<ServerBenchResult> {
  const t0 = performance.now();
  // Our own directory name (not the tests' `tskube-e2e-`), so clean-ups aimed at test servers leave it alone.
  const dataDir = await mkdtemp(join(tmpdir(), 'tskube-bench-'));
  const server = await startServerProcess({ command: 'server', dataDir, args, env: opts.env });
  let currentPhase = 'start';
  let exit: string | null = null;
  server.child.once('exit', (code, signal) => { exit = `exited with code ${code}, signal ${signal} during "${currentPhase}"`; });
  /** Fails when the server is gone: its figures would be meaningless. */
  const checkAlive = () => {
    if (exit !== null) {
      const out = server.output().split('\n').filter((l) => l.trim() && !l.startsWith('export KUBECONFIG=')).slice(-10).join(' | ');
      const hint = exit.startsWith('exited with code 0,') && !out
        ? ' (a clean exit with no output is what `tskube server` does on SIGTERM or SIGINT: something outside the benchmark stopped it)' : '';
      throw new ServerExitedError(`${backend} server ${exit}${out ? `; it printed: ${out.slice(0, 500)}` : `; it printed nothing${hint}`}`);
    }
  };
  opts.onStart?.(server);
  const startupMs = performance.now() - t0;
  const pid = server.child.pid!;
  const pids: Record<string, number> = { server: pid };
  if (opts.etcdPid) pids.etcd = opts.etcdPid;
  const client = new BenchClient(server.credentials, 64);
  const phases: PhaseCpu[] = [];
  const phase = async <T>(name: string, fn: () => Promise<T>, creates: (r: T) => number): Promise<T> => {
    checkAlive();
    currentPhase = name;
    const meter = new CpuMeter(pids);
    const start = performance.now();
    const r = await fn();
    phases.push({ phase: name, wallMs: performance.now() - start, cpu: meter.read(), creates: creates(r), benchLoopDelayP99Ms: meter.loopDelayP99Ms() });
    checkAlive();
    return r;
  };
  try {
    log(`  ${backend}: server pid ${pid} started in ${startupMs.toFixed(0)} ms`);
    await sleep(plan.idleMs);
    checkAlive();
    const rssAtRest = readMemory(pid).rss;
    const etcdRssAtRest = opts.etcdPid ? readMemory(opts.etcdPid).rss : undefined;
    // Startup CPU is everything the process used until now (it did nothing else).
    const startCpu: Record<string, number> = { server: readCpuSeconds(pid) };
    phases.push({ phase: `start + ${plan.idleMs / 1000} s idle`, wallMs: startupMs + plan.idleMs, cpu: startCpu, creates: 0 });
    log(`  ${backend}: RSS at rest ${(rssAtRest / 2 ** 20).toFixed(1)} MiB`);

    await phase('warm-up creates (c=32)', () => runHttpCreates(client, 'warm', 32, plan.warmupOps, 20_000), (r) => r.ops);
    const c1 = await phase('creates c=1', () => runHttpCreates(client, 'c1', 1, plan.c1Ops, plan.c1MaxMs), (r) => r.ops);
    log(`  ${backend} HTTPS c=1: ${c1.rate.toFixed(0)} creates/s, p50 ${c1.latency.p50.toFixed(2)} ms, p99 ${c1.latency.p99.toFixed(2)} ms${c1.errors ? `, ${c1.errors} errors: ${c1.firstError}` : ''}`);
    const batchesBefore = await readBatchFigures(client);
    const c32Runs = await phase(`creates c=32 (${plan.c32Runs} runs)`, async () => {
      const runs: LoadResult[] = [];
      for (let r = 0; r < plan.c32Runs; r++) {
        const res = await runHttpCreates(client, `c32r${r}`, 32, plan.c32Ops, plan.c32MaxMs);
        runs.push(res);
        log(`  ${backend} HTTPS c=32 run ${r + 1}: ${res.rate.toFixed(0)} creates/s, p50 ${res.latency.p50.toFixed(2)} ms, p99 ${res.latency.p99.toFixed(2)} ms${res.errors ? `, ${res.errors} errors: ${res.firstError}` : ''}`);
      }
      return runs;
    }, (runs) => runs.reduce((s, r) => s + r.ops, 0));
    const batchesAfter = await readBatchFigures(client);
    const writesPerCommitC32 = batchesBefore && batchesAfter && batchesAfter.batches > batchesBefore.batches
      ? (batchesAfter.writes - batchesBefore.writes) / (batchesAfter.batches - batchesBefore.batches) : undefined;
    if (writesPerCommitC32 !== undefined) log(`  ${backend}: ${writesPerCommitC32.toFixed(1)} writes per storage commit during the c=32 runs`);
    const describe = (w: WatchPhaseResult) => {
      const n = violationCount(w.violations);
      return `${w.creates} creates (${w.createRate.toFixed(0)}/s), ${w.deliveries}/${w.expectedDeliveries} deliveries, `
        + `delay after response p50 ${w.delayAfterResponse.p50.toFixed(2)} ms p99 ${w.delayAfterResponse.p99.toFixed(2)} ms, `
        + `check ${n === 0 ? 'ok' : `${n} violations ${JSON.stringify(w.violations)}`}${w.notes.length ? ` (${w.notes.join('; ')})` : ''}`;
    };
    // The CPU of a watch phase is counted from the first create until every event was delivered
    // (opening the 100 watch connections is left out).
    const watchPhase = async (name: string, prefix: string, mode: WatchMode, drainMs: number) => {
      checkAlive();
      currentPhase = name;
      let meter: CpuMeter | null = null;
      let start = 0;
      let cpu: Record<string, number> = {};
      let wallMs = 0;
      let loopDelay = NaN;
      const r = await runWatchPhase(client, prefix, plan.watchers, mode, plan.watchMaxCreates, drainMs, {
        loadStart: () => { meter = new CpuMeter(pids); start = performance.now(); },
        drained: () => { cpu = meter!.read(); wallMs = performance.now() - start; loopDelay = meter!.loopDelayP99Ms(); },
      }, plan.watchThreads);
      phases.push({ phase: name, wallMs, cpu, creates: r.creates, benchLoopDelayP99Ms: loopDelay });
      checkAlive();
      return r;
    };
    const paced = await watchPhase(`watch fan-out, paced ${plan.paced.ratePerSec}/s`, 'paced', plan.paced, plan.pacedDrainMs);
    log(`  ${backend} watch paced: ${describe(paced)}`);
    const burst = await watchPhase(`watch fan-out, burst c=${plan.burst.concurrency}`, 'burst', plan.burst, plan.burstDrainMs);
    log(`  ${backend} watch burst: ${describe(burst)}`);
    currentPhase = 'after load';
    const objectsAtEnd = await countConfigMaps(client);
    client.close();
    await sleep(1000);
    checkAlive();
    const mem = readMemory(pid);
    const etcdRssAfterLoad = opts.etcdPid ? readMemory(opts.etcdPid).rss : undefined;
    log(`  ${backend}: RSS after load ${(mem.rss / 2 ** 20).toFixed(1)} MiB (peak ${(mem.hwm / 2 ** 20).toFixed(1)} MiB)`);
    const output = server.output().split('\n').filter((l) => l.trim() && !l.startsWith('export KUBECONFIG=')).slice(-20).join('\n');
    return {
      backend, startupMs, rssAtRest, rssAfterLoad: mem.rss, rssPeak: mem.hwm, etcdRssAtRest, etcdRssAfterLoad,
      c1, c32: medianResult(c32Runs), c32Runs, writesPerCommitC32, objectsAtEnd, paced, burst, phases, serverOutput: output,
    };
  } finally {
    client.close();
    const stopped = await Promise.race([server.stop().then(() => true), sleep(10_000).then(() => false)]);
    if (!stopped) {
      log(`  ${backend}: server did not stop within 10 s of SIGTERM; killed`);
      await server.kill();
    }
    await removeDir(server.dataDir);
  }
}

/** The group-commit counters of the server's /metrics (SQLite only), or undefined. */
async function readBatchFigures(client: BenchClient): Promise<{ batches: number; writes: number } | undefined> {
  try {
    const r = await client.request('GET', '/metrics');
    const batches = /tskube_storage_info\{figure="write_batches"\} (\d+)/.exec(r.text);
    const writes = /tskube_storage_info\{figure="batched_writes"\} (\d+)/.exec(r.text);
    return batches && writes ? { batches: Number(batches[1]), writes: Number(writes[1]) } : undefined;
  } catch {
    return undefined;
  }
}

/** How many ConfigMaps exist in `default` (a list limited to one item reports the rest as remainingItemCount). */
async function countConfigMaps(client: BenchClient): Promise<number> {
  try {
    const r = await client.request('GET', `${CONFIGMAPS}?limit=1`);
    const body = JSON.parse(r.text) as { items: unknown[]; metadata: { remainingItemCount?: number } };
    return body.items.length + (body.metadata.remainingItemCount ?? 0);
  } catch {
    return NaN;
  }
}
