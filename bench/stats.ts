/** Small statistics helpers for the benchmark: percentiles, medians and number formatting. */

/** The `q`-quantile (0..1) of `values` by nearest rank; NaN for an empty list. Sorts a copy. */
export function percentile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  return quantileOfSorted(sorted, q);
}

/** Nearest-rank quantile of an already sorted array. */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(q * sorted.length);
  const i = Math.min(sorted.length - 1, Math.max(0, rank - 1));
  return sorted[i]!;
}

/** The median of `values` (mean of the two middle ones for an even count); NaN when empty. */
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Latency summary in milliseconds. */
export interface LatencySummary {
  n: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** Summarizes latencies given in milliseconds. */
export function summarize(latenciesMs: ArrayLike<number>): LatencySummary {
  const n = latenciesMs.length;
  if (n === 0) return { n: 0, p50: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = Float64Array.from(latenciesMs as ArrayLike<number>).sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  return { n, p50: quantileOfSorted(sorted, 0.5), p99: quantileOfSorted(sorted, 0.99), max: sorted[n - 1]!, mean: sum / n };
}

/** A number with thousands separators and `digits` decimals. */
export function fmtNum(v: number, digits = 0): string {
  if (!Number.isFinite(v)) return 'n/a';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Milliseconds, with precision adapted to the size (0.42 ms, 3.1 ms, 87 ms, 1,234 ms). */
export function fmtMs(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (Math.abs(v) < 1) return `${v.toFixed(2)} ms`;
  if (Math.abs(v) < 10) return `${v.toFixed(1)} ms`;
  return `${fmtNum(v, 0)} ms`;
}

/** Seconds of CPU time. */
export function fmtCpu(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'n/a';
  return `${seconds.toFixed(2)} s`;
}
