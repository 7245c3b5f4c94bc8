/**
 * A worker thread of the watch benchmark: opens its share of the watch streams, reads every event
 * and records, in arrays shared with the main thread, when each (watcher, object) event arrived and
 * with which resourceVersion. It checks order and duplicates itself; the main thread checks the rest.
 * Running the watchers in a few threads keeps the receipt of 100 copies of each event from being
 * serialized behind one event loop (which would add the client's own work to the measured delay).
 */
import type { ClientRequest } from 'node:http';
import { request } from 'node:https';
import { parentPort } from 'node:worker_threads';
import type { Violations } from './watch.js';

/** What the main thread sends to start a worker. */
export interface WatchWorkerInit {
  server: string;
  ca: string;
  cert: string;
  key: string;
  path: string;
  /** Watcher indexes this worker owns: [first, end). */
  first: number;
  end: number;
  /** Objects per watcher in the shared arrays. */
  maxCreates: number;
  /** Objects are named `<namePrefix><i>`. */
  namePrefix: string;
  startRv: number;
  /** Float64Array(W × M): receipt time (0 = not yet). */
  receivedAt: SharedArrayBuffer;
  /** Float64Array(W × M): resourceVersion of the event. */
  eventRv: SharedArrayBuffer;
  /** Float64Array(M): the `sentAt` of each object, from its data. */
  sentAt: SharedArrayBuffer;
  /** Int32Array: [0] deliveries, [1] streams ended. */
  counters: SharedArrayBuffer;
}

/** Messages from a worker. */
export type WatchWorkerMessage =
  | { kind: 'opened' }
  | { kind: 'failed'; error: string }
  | { kind: 'stopped'; violations: Pick<Violations, 'duplicates' | 'outOfOrder' | 'unexpected' | 'closedEarly'>; notes: string[] };

function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

if (parentPort) {
  const port = parentPort;
  let stopping = false;
  const requests: ClientRequest[] = [];
  const v = { duplicates: 0, outOfOrder: 0, unexpected: 0, closedEarly: 0 };
  const notes: string[] = [];
  const note = (s: string) => { if (notes.length < 5) notes.push(s); };

  const start = async (cfg: WatchWorkerInit) => {
    const M = cfg.maxCreates;
    const receivedAt = new Float64Array(cfg.receivedAt);
    const eventRv = new Float64Array(cfg.eventRv);
    const sentAt = new Float64Array(cfg.sentAt);
    const counters = new Int32Array(cfg.counters);
    const url = new URL(cfg.server);
    const prefix = cfg.namePrefix;

    const onLine = (index: number, state: { lastRv: number }, line: string, at: number) => {
      if (!line.startsWith('{"type":"ADDED"')) {
        v.unexpected++;
        note(`watcher ${index}: ${line.slice(0, 200)}`);
        return;
      }
      const n = line.indexOf('"name":"');
      const name = n < 0 ? '' : line.slice(n + 8, line.indexOf('"', n + 8));
      if (!name.startsWith(prefix)) {
        v.unexpected++;
        note(`watcher ${index}: unexpected object ${name}`);
        return;
      }
      const i = Number(name.slice(prefix.length));
      const r = line.indexOf('"resourceVersion":"');
      const rv = Number(line.slice(r + 19, line.indexOf('"', r + 19)));
      const s = line.indexOf('"sentAt":"');
      const sent = Number(line.slice(s + 10, line.indexOf('"', s + 10)));
      if (!Number.isInteger(i) || i < 0 || i >= M || r < 0 || s < 0) {
        v.unexpected++;
        note(`watcher ${index}: unreadable event ${line.slice(0, 200)}`);
        return;
      }
      if (rv <= state.lastRv) v.outOfOrder++;
      state.lastRv = rv;
      const slot = index * M + i;
      if (receivedAt[slot] !== 0) {
        v.duplicates++;
        return;
      }
      receivedAt[slot] = at;
      eventRv[slot] = rv;
      sentAt[i] = sent;
      Atomics.add(counters, 0, 1);
    };

    const open = (index: number): Promise<void> => new Promise((resolve, reject) => {
      const req = request({
        host: url.hostname, port: url.port, method: 'GET', agent: false, path: cfg.path,
        headers: { Accept: 'application/json' }, ca: cfg.ca, cert: cfg.cert, key: cfg.key,
      }, (res) => {
        let ended = false;
        const end = () => {
          if (ended) return;
          ended = true;
          Atomics.add(counters, 1, 1);
          if (!stopping) { v.closedEarly++; note(`watcher ${index}: stream ended early`); }
        };
        if (res.statusCode !== 200) {
          note(`watcher ${index}: HTTP ${res.statusCode}`);
          res.resume();
          end();
          resolve();
          return;
        }
        const state = { lastRv: cfg.startRv };
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const at = nowMs();
          buf += chunk;
          let from = 0;
          let nl: number;
          while ((nl = buf.indexOf('\n', from)) >= 0) {
            if (nl > from) onLine(index, state, buf.slice(from, nl), at);
            from = nl + 1;
          }
          if (from > 0) buf = buf.slice(from);
        });
        res.on('end', end);
        res.on('close', end);
        res.on('error', end);
        resolve();
      });
      req.on('error', (err) => { if (!stopping) reject(err); });
      req.end();
      requests.push(req);
    });

    // A few connections at a time: 100 TLS handshakes at once only measure handshakes.
    for (let i = cfg.first; i < cfg.end; i += 5) {
      await Promise.all(Array.from({ length: Math.min(5, cfg.end - i) }, (_, k) => open(i + k)));
    }
  };

  port.on('message', (msg: { init?: WatchWorkerInit; stop?: true }) => {
    if (msg.init) {
      start(msg.init).then(() => port.postMessage({ kind: 'opened' } satisfies WatchWorkerMessage),
        (err) => port.postMessage({ kind: 'failed', error: err instanceof Error ? err.message : String(err) } satisfies WatchWorkerMessage));
    } else if (msg.stop) {
      stopping = true;
      for (const r of requests) r.destroy();
      port.postMessage({ kind: 'stopped', violations: v, notes } satisfies WatchWorkerMessage);
    }
  });
}
