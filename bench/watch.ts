/**
 * Watch fan-out: many watchers, each on its own HTTPS connection, follow the ConfigMap collection
 * while ConfigMaps are created, either paced (open loop at a fixed rate) or as fast as a closed
 * loop of clients can. Every event is checked: each watcher must see every created object exactly
 * once, as ADDED, in strictly increasing resourceVersion order, with the resourceVersion the create
 * answered.
 *
 * Delivery delay is measured two ways, per watcher per event, all clocks in this process:
 * - after response: receipt time minus the time the create's 201 response had arrived (an event
 *   that arrives before the response counts as 0; how often that happens is reported);
 * - after send: receipt time minus the send time carried in the ConfigMap's data (`sentAt`),
 *   which includes the create's own latency.
 */
import { request } from 'node:https';
import { runClosedLoop } from './load.js';
import { BenchClient, CONFIGMAPS, nowMs, type CreateAnswer } from './http.js';
import { summarize, type LatencySummary } from './stats.js';

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

interface WatcherState {
  index: number;
  lastRv: number;
  received: number;
  ended: boolean;
  stop(): void;
}

/** Runs one watch phase. Objects are named `<prefix>-<i>`; `maxCreates` bounds the memory used for the checks. */
export async function runWatchPhase(client: BenchClient, prefix: string, watcherCount: number, mode: WatchMode,
  maxCreates: number, drainTimeoutMs: number, hooks: { loadStart?(): void; drained?(): void } = {}): Promise<WatchPhaseResult> {
  const startRv = await client.currentResourceVersion();
  const W = watcherCount;
  const M = maxCreates;
  // Per (watcher, object): when it arrived (0 = not yet) and with which resourceVersion.
  const receivedAt = new Float64Array(W * M);
  const eventRv = new Float64Array(W * M);
  const sentAt = new Float64Array(M);
  const answers: Array<CreateAnswer | undefined> = new Array(M);
  const v: Violations = { missing: 0, duplicates: 0, outOfOrder: 0, unexpected: 0, rvMismatch: 0, closedEarly: 0 };
  const notes: string[] = [];
  const note = (s: string) => { if (notes.length < 5) notes.push(s); };
  let phaseOver = false;
  let deliveries = 0;
  let createdOk = 0;
  let allDelivered: (() => void) | null = null;

  const namePrefix = `${prefix}-`;
  const onLine = (w: WatcherState, line: string, at: number) => {
    if (!line.startsWith('{"type":"ADDED"')) {
      v.unexpected++;
      note(`watcher ${w.index}: ${line.slice(0, 200)}`);
      return;
    }
    const n = line.indexOf('"name":"');
    const nEnd = line.indexOf('"', n + 8);
    const name = line.slice(n + 8, nEnd);
    if (n < 0 || !name.startsWith(namePrefix)) {
      v.unexpected++;
      note(`watcher ${w.index}: unexpected object ${name}`);
      return;
    }
    const i = Number(name.slice(namePrefix.length));
    const r = line.indexOf('"resourceVersion":"');
    const rv = Number(line.slice(r + 19, line.indexOf('"', r + 19)));
    const s = line.indexOf('"sentAt":"');
    const sent = Number(line.slice(s + 10, line.indexOf('"', s + 10)));
    if (!Number.isInteger(i) || i < 0 || i >= M || r < 0 || s < 0) {
      v.unexpected++;
      note(`watcher ${w.index}: unreadable event ${line.slice(0, 200)}`);
      return;
    }
    if (rv <= w.lastRv) v.outOfOrder++;
    w.lastRv = rv;
    const slot = w.index * M + i;
    if (receivedAt[slot] !== 0) {
      v.duplicates++;
      return;
    }
    receivedAt[slot] = at;
    eventRv[slot] = rv;
    sentAt[i] = sent;
    deliveries++;
    w.received++;
    if (allDelivered && deliveries === createdOk * W) allDelivered();
  };

  const openWatcher = (index: number): Promise<WatcherState> => new Promise((resolve, reject) => {
    const url = new URL(client.creds.server);
    const req = request({
      host: url.hostname, port: url.port, method: 'GET', agent: false,
      path: `${CONFIGMAPS}?watch=true&resourceVersion=${startRv}`,
      headers: { Accept: 'application/json' },
      ca: client.creds.ca, cert: client.creds.cert, key: client.creds.key,
    }, (res) => {
      const w: WatcherState = { index, lastRv: startRv, received: 0, ended: false, stop: () => req.destroy() };
      if (res.statusCode !== 200) {
        note(`watcher ${index}: HTTP ${res.statusCode}`);
        w.ended = true;
        res.resume();
        resolve(w);
        return;
      }
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = nowMs();
        buf += chunk;
        let start = 0;
        let nl: number;
        while ((nl = buf.indexOf('\n', start)) >= 0) {
          if (nl > start) onLine(w, buf.slice(start, nl), at);
          start = nl + 1;
        }
        buf = start > 0 ? buf.slice(start) : buf;
      });
      const ended = () => {
        if (w.ended) return;
        w.ended = true;
        if (!phaseOver) { v.closedEarly++; note(`watcher ${index}: stream ended early`); }
      };
      res.on('end', ended);
      res.on('close', ended);
      res.on('error', ended);
      resolve(w);
    });
    req.on('error', (err) => {
      if (!phaseOver) reject(err);
    });
    req.end();
  });

  const watchers: WatcherState[] = [];
  // Open the connections a few at a time: 100 TLS handshakes at once only measure handshakes.
  for (let i = 0; i < W; i += 10) {
    watchers.push(...await Promise.all(Array.from({ length: Math.min(10, W - i) }, (_, k) => openWatcher(i + k))));
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

  // Wait until every watcher has every object (or the drain timeout).
  if (deliveries < createdOk * W) {
    await new Promise<void>((resolve) => {
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        clearInterval(poll);
        allDelivered = null;
        resolve();
      };
      const timer = setTimeout(finish, drainTimeoutMs);
      // Stop waiting early when every stream has ended: nothing more can come.
      const poll = setInterval(() => { if (watchers.every((w) => w.ended)) finish(); }, 100);
      allDelivered = finish;
    });
  }
  hooks.drained?.();
  const complete = deliveries === createdOk * W;
  // Linger a little so late duplicates would be seen, then close.
  await new Promise((r) => setTimeout(r, 200));
  phaseOver = true;
  for (const w of watchers) w.stop();

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
