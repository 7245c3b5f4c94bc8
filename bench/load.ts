/** Closed-loop load: `concurrency` workers each run one operation at a time until a count or a time is reached. */
import { performance } from 'node:perf_hooks';
import { summarize, type LatencySummary } from './stats.js';

/** The outcome of one load run. */
export interface LoadResult {
  concurrency: number;
  /** Operations that succeeded. */
  ops: number;
  errors: number;
  /** The first error seen, for the report. */
  firstError?: string;
  elapsedMs: number;
  /** Successful operations per second. */
  rate: number;
  latency: LatencySummary;
}

/**
 * Runs `op(i)` for i = 0, 1, … with `concurrency` in flight, until `maxOps` were started or
 * `maxMs` passed (no new operation starts after that; running ones finish). Latency is measured
 * around each call with `performance.now()`.
 */
export async function runClosedLoop(concurrency: number, maxOps: number, maxMs: number, op: (i: number) => Promise<void>): Promise<LoadResult> {
  const latencies = new Float64Array(maxOps);
  let next = 0;
  let done = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const deadline = start + maxMs;
  const worker = async () => {
    for (;;) {
      if (next >= maxOps || performance.now() >= deadline) return;
      const i = next++;
      const t0 = performance.now();
      try {
        await op(i);
        latencies[done++] = performance.now() - t0;
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - start;
  return {
    concurrency, ops: done, errors, firstError, elapsedMs,
    rate: done / (elapsedMs / 1000),
    latency: summarize(latencies.subarray(0, done)),
  };
}
