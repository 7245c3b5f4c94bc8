/** The storage layer alone: creates of 1 KiB values straight through the {@link Storage} contract. */
import { randomBytes } from 'node:crypto';
import type { Storage } from '../src/storage/interface.js';
import { runClosedLoop, type LoadResult } from './load.js';
import { CpuMeter } from './proc.js';
import { median } from './stats.js';

/** A 1 KiB value (JSON-ish text, as tskube stores). */
const VALUE = Buffer.from(JSON.stringify({ data: randomBytes(900).toString('base64').slice(0, 1000) }).padEnd(1024, ' ').slice(0, 1024));

/** What one configuration of a backend gave. */
export interface StorageBenchResult {
  /** Label such as `sqlite (group commit)`. */
  label: string;
  c1: LoadResult;
  /** The median of the c=32 runs (rate, p50, p99 each the median of the runs). */
  c32: LoadResult;
  c32Runs: LoadResult[];
  /** SQLite only: writes per transaction during the c=32 runs. */
  writesPerCommit?: number;
  /** CPU seconds during the measured runs: `bench` (this process, which runs SQLite), `etcd`, `other` (everything else on the machine). */
  cpu: Record<string, number>;
  wallMs: number;
}

/** Load sizes of {@link benchStorage}. */
export interface StorageBenchPlan {
  warmupOps: number;
  c1Ops: number;
  c1MaxMs: number;
  c32Ops: number;
  c32MaxMs: number;
  c32Runs: number;
}

/** The median of several runs of the same load: each figure is the median of that figure. */
export function medianResult(runs: LoadResult[]): LoadResult {
  const pick = (f: (r: LoadResult) => number) => median(runs.map(f));
  const errors = runs.reduce((s, r) => s + r.errors, 0);
  return {
    concurrency: runs[0]!.concurrency,
    ops: runs.reduce((s, r) => s + r.ops, 0),
    errors,
    firstError: runs.find((r) => r.firstError)?.firstError,
    elapsedMs: runs.reduce((s, r) => s + r.elapsedMs, 0),
    rate: pick((r) => r.rate),
    latency: {
      n: runs.reduce((s, r) => s + r.latency.n, 0),
      p50: pick((r) => r.latency.p50),
      p99: pick((r) => r.latency.p99),
      max: Math.max(...runs.map((r) => r.latency.max)),
      mean: pick((r) => r.latency.mean),
    },
  };
}

/** Runs the storage benchmark on an open store; keys go under `/bench/<tag>/`. */
export async function benchStorage(store: Storage, label: string, tag: string, plan: StorageBenchPlan,
  log: (s: string) => void, pids: Record<string, number> = {}): Promise<StorageBenchResult> {
  const create = (run: string) => async (i: number) => {
    await store.create(`/bench/${tag}/${run}/${i}`, VALUE);
  };
  await runClosedLoop(32, plan.warmupOps, 10_000, create('warmup'));
  const meter = new CpuMeter(pids);
  const t0 = performance.now();
  const c1 = await runClosedLoop(1, plan.c1Ops, plan.c1MaxMs, create('c1'));
  log(`  ${label} c=1: ${c1.rate.toFixed(0)} creates/s, p50 ${c1.latency.p50.toFixed(2)} ms, p99 ${c1.latency.p99.toFixed(2)} ms`);
  const batchStats = () => (store as { batchStats?: { batches: number; writes: number } }).batchStats;
  const before = batchStats() ? { ...batchStats()! } : undefined;
  const runs: LoadResult[] = [];
  for (let r = 0; r < plan.c32Runs; r++) {
    const res = await runClosedLoop(32, plan.c32Ops, plan.c32MaxMs, create(`c32-${r}`));
    runs.push(res);
    log(`  ${label} c=32 run ${r + 1}: ${res.rate.toFixed(0)} creates/s, p50 ${res.latency.p50.toFixed(2)} ms, p99 ${res.latency.p99.toFixed(2)} ms`);
  }
  const cpu = meter.read();
  meter.loopDelayP99Ms();
  const wallMs = performance.now() - t0;
  const after = batchStats();
  const writesPerCommit = before && after && after.batches > before.batches
    ? (after.writes - before.writes) / (after.batches - before.batches) : undefined;
  return { label, c1, c32: medianResult(runs), c32Runs: runs, writesPerCommit, cpu, wallMs };
}
