/**
 * Watch fan-out: many watchers, each on its own HTTPS connection, follow the ConfigMap collection
 * while ConfigMaps are created, either paced (open loop at a fixed rate) or as fast as a closed
 * loop of clients can. Every event is checked: each watcher must see every created object exactly
 * once, as ADDED, in strictly increasing resourceVersion order, with the resourceVersion the create
 * answered.
 *
 * The watchers run in a few worker threads of this process (see watch-worker.ts); the load runs on
 * the main thread.
 *
 * Delivery delay is measured two ways, per watcher per event, all clocks in this process:
 * - after response: receipt time minus the time the create's 201 response had arrived (an event
 *   that arrives before the response counts as 0; how often that happens is reported);
 * - after send: receipt time minus the send time carried in the ConfigMap's data (`sentAt`),
 *   which includes the create's own latency.
 */
import { Worker } from 'node:worker_threads';
import { runClosedLoop } from './load.js';
import { CONFIGMAPS, nowMs, type BenchClient, type CreateAnswer } from './http.js';
import { summarize, type LatencySummary } from './stats.js';
import type { WatchWorkerInit, WatchWorkerMessage } from './watch-worker.js';

/** How a watch phase drives creates. */
export type WatchMode = { kind: 'paced'; ratePerSec: number; durationMs: number } | { kind: 'burst'; concurrency: number; durationMs: number };

/** The outcome of a watch phase. */
export interface WatchPhaseResult {
  mode: WatchMode;
  watchers: number;
  creates: number;
  createErrors: number;
  firstCreateError?: string;
  /** Successful creates per second during the load. */
  createRate: number;
  createLatency: LatencySummary;
  /** Events received and checked (all watchers). */
  deliveries: number;
  /** watchers × successful creates. */
  expectedDeliveries: number;
  delayAfterResponse: LatencySummary;
  delayAfterSend: LatencySummary;
  /** Share of deliveries that arrived before the create's response. */
  earlyShare: number;
  /** From the end of the load (last create answered) until the last watcher had every event, ms; NaN when not all arrived. */
  drainMs: number;
  violations: Violations;
  /** Problems reading the streams (non-200, ERROR events); the first few, for the report. */
  notes: string[];
}

/** What the correctness check found; every field 0 means ok. */
export interface Violations {
  missing: number;
  duplicates: number;
  outOfOrder: number;
  /** Events that are not an ADDED of an object this phase created. */
  unexpected: number;
  /** Events whose resourceVersion differs from the one the create answered. */
  rvMismatch: number;
  /** Watch streams that ended before the phase was over. */
  closedEarly: number;
}

/** The number of violations (0 = ok). */
export function violationCount(v: Violations): number {
  return v.missing + v.duplicates + v.outOfOrder + v.unexpected + v.rvMismatch + v.closedEarly;
}

/** Runs one watch phase. Objects are named `<prefix>-<i>`; `maxCreates` bounds the memory used for the checks. */
export async function runWatchPhase(client: BenchClient, prefix: string, watcherCount: number, mode: WatchMode,
  maxCreates: number, drainTimeoutMs: number, hooks: { loadStart?(): void; drained?(): void } = {},
  threads = 2): Promise<WatchPhaseResult> {
  const startRv = await client.currentResourceVersion();
  const W = watcherCount;
  const M = maxCreates;
  // Shared with the watcher threads. Per (watcher, object): when it arrived (0 = not yet) and with which resourceVersion.
  const shared = {
    receivedAt: new SharedArrayBuffer(W * M * 8),
    eventRv: new SharedArrayBuffer(W * M * 8),
    sentAt: new SharedArrayBuffer(M * 8),
    counters: new SharedArrayBuffer(8),
  };
  const receivedAt = new Float64Array(shared.receivedAt);
  const eventRv = new Float64Array(shared.eventRv);
  const sentAt = new Float64Array(shared.sentAt);
  const counters = new Int32Array(shared.counters);
  const answers: Array<CreateAnswer | undefined> = new Array(M);
  const v: Violations = { missing: 0, duplicates: 0, outOfOrder: 0, unexpected: 0, rvMismatch: 0, closedEarly: 0 };
  const notes: string[] = [];
  let createdOk = 0;
  const namePrefix = `${prefix}-`;

  // Start the watcher threads, each with its share of the watchers, and wait until every stream is open.
  const workers: Worker[] = [];
  const per = Math.ceil(W / threads);
  try {
    await Promise.all(Array.from({ length: Math.min(threads, W) }, (_, t) => {
      const first = t * per;
      const end = Math.min(W, first + per);
      const worker = new Worker(new URL('./watch-worker.js', import.meta.url));
      workers.push(worker);
      const init: WatchWorkerInit = {
        server: client.creds.server, ca: client.creds.ca, cert: client.creds.cert, key: client.creds.key,
        path: `${CONFIGMAPS}?watch=true&resourceVersion=${startRv}`,
        first, end, maxCreates: M, namePrefix, startRv, ...shared,
      };
      return new Promise<void>((resolve, reject) => {
        worker.once('error', reject);
        worker.once('message', (m: WatchWorkerMessage) => (m.kind === 'opened' ? resolve() : reject(new Error(m.kind === 'failed' ? m.error : m.kind))));
        worker.postMessage({ init });
      });
    }));
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  // Let the streams settle (headers are flushed before the server registers the watcher).
  await new Promise((r) => setTimeout(r, 300));

  const latencies: number[] = [];
  let createErrors = 0;
  let firstCreateError: string | undefined;
  let next = 0;
  const createOne = async (): Promise<void> => {
    const i = next++;
    if (i >= M) throw new Error('more creates than maxCreates');
    const t0 = nowMs();
    try {
      const a = await client.createConfigMap(`${namePrefix}${i}`);
      answers[i] = a;
      createdOk++;
      latencies.push(a.at - t0);
    } catch (err) {
      createErrors++;
      firstCreateError ??= err instanceof Error ? err.message : String(err);
    }
  };

  hooks.loadStart?.();
  const loadStart = nowMs();
  if (mode.kind === 'paced') {
    const total = Math.min(M, Math.floor(mode.ratePerSec * mode.durationMs / 1000));
    const gap = 1000 / mode.ratePerSec;
    const inflight: Promise<void>[] = [];
    for (let k = 0; k < total; k++) {
      const wait = loadStart + k * gap - nowMs();
      if (wait > 0.5) await new Promise((r) => setTimeout(r, wait));
      inflight.push(createOne());
    }
    await Promise.all(inflight);
  } else {
    await runClosedLoop(mode.concurrency, M, mode.durationMs, createOne);
  }
  const loadEnd = nowMs();
  const loadMs = loadEnd - loadStart;

  // Wait until every watcher has every object (or the drain timeout, or every stream has ended).
  const drainDeadline = performance.now() + drainTimeoutMs;
  while (Atomics.load(counters, 0) < createdOk * W && Atomics.load(counters, 1) < W && performance.now() < drainDeadline) {
    await new Promise((r) => setTimeout(r, 2));
  }
  hooks.drained?.();
  const deliveries = Atomics.load(counters, 0);
  const complete = deliveries === createdOk * W;
  // Linger a little so late duplicates would be seen, then close.
  await new Promise((r) => setTimeout(r, 200));
  const reports = await Promise.all(workers.map((w) => new Promise<WatchWorkerMessage>((resolve) => {
    w.once('message', resolve);
    w.postMessage({ stop: true });
  })));
  await Promise.all(workers.map((w) => w.terminate()));
  for (const rep of reports) {
    if (rep.kind !== 'stopped') continue;
    v.duplicates += rep.violations.duplicates;
    v.outOfOrder += rep.violations.outOfOrder;
    v.unexpected += rep.violations.unexpected;
    v.closedEarly += rep.violations.closedEarly;
    for (const n of rep.notes) if (notes.length < 5) notes.push(n);
  }

  // Delays and the remaining checks.
  const afterResponse: number[] = [];
  const afterSend: number[] = [];
  let early = 0;
  let lastArrival = 0;
  for (let i = 0; i < next; i++) {
    const a = answers[i];
    if (!a) continue; // failed create: not expected
    for (let w = 0; w < W; w++) {
      const slot = w * M + i;
      const at = receivedAt[slot]!;
      if (at === 0) { v.missing++; continue; }
      if (eventRv[slot] !== a.rv) v.rvMismatch++;
      const d = at - a.at;
      if (d < 0) early++;
      afterResponse.push(Math.max(0, d));
      afterSend.push(at - sentAt[i]!);
      if (at > lastArrival) lastArrival = at;
    }
  }
  // Events for objects whose create failed (e.g. timed out on the client but written) are unexpected.
  for (let i = 0; i < next; i++) {
    if (answers[i]) continue;
    for (let w = 0; w < W; w++) if (receivedAt[w * M + i] !== 0) v.unexpected++;
  }
  return {
    mode, watchers: W, creates: createdOk, createErrors, firstCreateError,
    createRate: createdOk / (loadMs / 1000),
    createLatency: summarize(latencies),
    deliveries, expectedDeliveries: createdOk * W,
    delayAfterResponse: summarize(afterResponse),
    delayAfterSend: summarize(afterSend),
    earlyShare: afterResponse.length > 0 ? early / afterResponse.length : 0,
    drainMs: complete ? Math.max(0, lastArrival - loadEnd) : NaN,
    violations: v,
    notes,
  };
}
