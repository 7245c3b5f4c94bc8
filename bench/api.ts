/**
 * API machinery as a client sees it, against a `tskube server` process of its own (so the figures
 * of server.ts are not disturbed by the objects created here):
 * - reads: GET of one object and LIST (from the watch cache at resourceVersion=0, consistent, and
 *   paged with limit/continue) of a namespace holding 1,000 and then 10,000 ConfigMaps;
 * - contended updates: many clients doing GET then PUT (with the resourceVersion read) on a few
 *   objects, retrying on 409 Conflict;
 * - creates through the whole request chain: Deployments sent as Kubernetes protobuf (as kubectl
 *   1.32 sends them) and as JSON, going through decoding, defaulting, schema validation, admission
 *   and storage, interleaved with ConfigMap JSON creates on the same server for reference.
 */
import { mkdtemp } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { builtinSchemas } from '../src/api/index.js';
import { PROTOBUF_MEDIA_TYPE, ProtobufCodec } from '../src/api/protobuf/codec.js';
import { removeDir, startServerProcess, type ServerProcess } from '../test/support/process.js';
import { BenchClient } from './http.js';
import { runClosedLoop, type LoadResult } from './load.js';
import { CpuMeter, readMemory } from './proc.js';
import { ServerExitedError, type PhaseCpu } from './server.js';
import { summarize, type LatencySummary } from './stats.js';
import { medianResult } from './storage.js';

/** Load sizes of {@link benchApi}. */
export interface ApiBenchPlan {
  /** Creates of each create variant before anything is measured (JIT, caches, connections). */
  warmupOps: number;
  /** Sizes of the ConfigMap collection the reads are measured at, ascending. */
  listSizes: number[];
  /** Concurrency of the creates that fill the collection. */
  fillConcurrency: number;
  /** GET requests per size, one at a time, each of a random object. */
  getOps: number;
  /** Each LIST form per size is repeated up to `listReps` times, stopping after `listMaxMs` but not before `listMinReps`. */
  listReps: number;
  listMinReps: number;
  listMaxMs: number;
  /** Page size of the paged LIST. */
  pageLimit: number;
  /** Contended updates: this many clients on this many objects for this long. */
  updateClients: number;
  updateObjects: number;
  updateMs: number;
  /** Creates of each variant: `createRuns` runs (variants interleaved) of up to `createOps` creates or `createMaxMs`. */
  createConcurrency: number;
  createOps: number;
  createMaxMs: number;
  createRuns: number;
}

/** Read latencies with a collection of `objects` ConfigMaps. */
export interface ReadFigures {
  objects: number;
  /** The creates that brought the collection to this size (c = fillConcurrency). */
  fill: LoadResult;
  get: LatencySummary;
  /** LIST at resourceVersion=0, answered from the watch cache. */
  listCache: LatencySummary;
  /** LIST without resourceVersion (consistent read). */
  listConsistent: LatencySummary;
  /** One full walk of `limit=pageLimit` pages following `continue` to the end. */
  listPaged: LatencySummary;
  pagesPerWalk: number;
  /** Bytes of one whole JSON list answer. */
  listBytes: number;
}

/** Contended GET-then-PUT updates. */
export interface UpdateFigures {
  clients: number;
  objects: number;
  elapsedMs: number;
  /** Successful PUTs. */
  updates: number;
  /** PUTs answered 409 Conflict (each retried with a fresh GET). */
  conflicts: number;
  /** Any other failure (ends that update). */
  errors: number;
  firstError?: string;
  updatesPerSec: number;
  conflictsPerSec: number;
  /** From the first GET of an update until its successful PUT was answered, retries included. */
  latency: LatencySummary;
}

/** One kind of create measured at the same concurrency. */
export interface CreateVariant {
  label: string;
  /** Bytes of one request body. */
  bodyBytes: number;
  runs: LoadResult[];
  /** Each figure the median over the runs (see medianResult). */
  median: LoadResult;
  /** CPU seconds over all runs, per process (`server`, `etcd`, `bench`, `other`), and the creates they made. */
  cpu: Record<string, number>;
  creates: number;
}

/** Everything measured against one API-machinery server process. */
export interface ApiBenchResult {
  backend: 'sqlite' | 'etcd';
  /** Deployments with protobuf bodies (and protobuf answers), the full-chain figure. */
  deployProtobuf: CreateVariant;
  /** Deployments with JSON bodies and answers. */
  deployJson: CreateVariant;
  /** ConfigMaps with JSON bodies on this same server, interleaved with the Deployment runs. */
  configMapJson: CreateVariant;
  reads: ReadFigures[];
  updates: UpdateFigures;
  phases: PhaseCpu[];
  /** RSS of the server after everything. */
  rssAtEnd: number;
  /** The server's output when it printed anything beyond its start line. */
  serverOutput: string;
}

/** An HTTP answer read whole. */
interface Answer {
  status: number;
  body: Buffer;
}

const JSON_TYPE = 'application/json';
/** What a protobuf-speaking client asks for: protobuf, JSON when the server cannot. */
const PROTOBUF_ACCEPT = `${PROTOBUF_MEDIA_TYPE}, application/json`;
/** Query of the creates, as kubectl create sends it. */
const CREATE_QUERY = '?fieldManager=kubectl-create&fieldValidation=Strict';
const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const DEFAULT_CONFIGMAPS = '/api/v1/namespaces/default/configmaps';
const READ_NAMESPACE = 'bench-reads';
const UPDATE_NAMESPACE = 'bench-updates';
/** 1 KiB of ConfigMap data, as the other server benches create. */
const PAYLOAD = 'x'.repeat(1024);

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Sends one request over the client's keep-alive pool and reads the whole answer. */
function send(client: BenchClient, method: string, path: string, body?: Buffer, contentType = JSON_TYPE, accept = JSON_TYPE): Promise<Answer> {
  const url = new URL(client.creds.server);
  const headers: Record<string, string | number> = { Accept: accept };
  if (body) {
    headers['Content-Type'] = contentType;
    headers['Content-Length'] = body.length;
  }
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method, headers, agent: client.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Fails unless the answer has status `want`. */
function expectStatus(what: string, a: Answer, want: number): void {
  if (a.status !== want) throw new Error(`${what}: HTTP ${a.status}: ${a.body.toString('utf8', 0, 300)}`);
}

/** A Deployment as `kubectl create deployment <name> --image=nginx:1.27 --port=80` writes it. */
export function benchDeployment(name: string): Record<string, unknown> {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      strategy: {},
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: {} }] },
      },
    },
    status: {},
  };
}

function configMapBody(name: string, data: Record<string, string>): Buffer {
  return Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data }));
}

/** The ways of creating an object that are measured against each other. */
interface CreateKind {
  label: string;
  path: string;
  contentType: string;
  accept: string;
  body: (name: string) => Buffer;
}

function createKinds(codec: ProtobufCodec): { pb: CreateKind; json: CreateKind; cm: CreateKind } {
  return {
    pb: {
      label: 'Deployment, protobuf', path: DEPLOYMENTS + CREATE_QUERY, contentType: PROTOBUF_MEDIA_TYPE, accept: PROTOBUF_ACCEPT,
      body: (name) => codec.encodeObject(benchDeployment(name)),
    },
    json: {
      label: 'Deployment, JSON', path: DEPLOYMENTS + CREATE_QUERY, contentType: JSON_TYPE, accept: JSON_TYPE,
      body: (name) => Buffer.from(JSON.stringify(benchDeployment(name))),
    },
    cm: {
      label: 'ConfigMap, JSON (same server)', path: DEFAULT_CONFIGMAPS, contentType: JSON_TYPE, accept: JSON_TYPE,
      body: (name) => configMapBody(name, { payload: PAYLOAD }),
    },
  };
}

/** Creates `<prefix>-<i>` of one kind with a closed loop; any answer but 201 counts as an error. */
function runCreates(client: BenchClient, kind: CreateKind, prefix: string, concurrency: number, maxOps: number, maxMs: number): Promise<LoadResult> {
  return runClosedLoop(concurrency, maxOps, maxMs, async (i) => {
    const name = `${prefix}-${i}`;
    expectStatus(`create ${name}`, await send(client, 'POST', kind.path, kind.body(name), kind.contentType, kind.accept), 201);
  });
}

/**
 * Repeats `fn` one at a time: up to `maxReps` times, stopping once `maxMs` passed after at least
 * `minReps`. Returns the latency of each call.
 */
async function repeat(maxReps: number, minReps: number, maxMs: number, fn: () => Promise<void>): Promise<LatencySummary> {
  const latencies: number[] = [];
  const deadline = performance.now() + maxMs;
  while (latencies.length < maxReps && (latencies.length < minReps || performance.now() < deadline)) {
    const t0 = performance.now();
    await fn();
    latencies.push(performance.now() - t0);
  }
  return summarize(latencies);
}

/** The `continue` token of a JSON list answer (its metadata comes before the items), or '' at the end. */
function continueOf(body: Buffer): string {
  const head = body.toString('utf8', 0, Math.min(body.length, 4096));
  const m = /"metadata":\{[^}]*"continue":"([^"]*)"/.exec(head);
  return m ? m[1]! : '';
}

/** Reads a JSON list answer whole and returns its item count (for checking, outside the timed part). */
function itemCount(what: string, a: Answer): number {
  expectStatus(what, a, 200);
  return (JSON.parse(a.body.toString('utf8')) as { items: unknown[] }).items.length;
}

/** Measures GET and the three LIST forms against `ns` holding exactly `objects` ConfigMaps `cm-0`…. */
async function measureReads(client: BenchClient, plan: ApiBenchPlan, objects: number, fill: LoadResult, log: (s: string) => void): Promise<ReadFigures> {
  const base = `/api/v1/namespaces/${READ_NAMESPACE}/configmaps`;
  const get = await repeat(plan.getOps, plan.getOps, Infinity, async () => {
    const name = `cm-${Math.floor(Math.random() * objects)}`;
    expectStatus(`get ${name}`, await send(client, 'GET', `${base}/${name}`), 200);
  });
  // One untimed walk of each form checks that it answers every object (and warms it up).
  const cacheAnswer = await send(client, 'GET', `${base}?resourceVersion=0`);
  const check = (what: string, n: number) => {
    if (n !== objects) throw new Error(`${what} of ${READ_NAMESPACE} gave ${n} ConfigMaps, expected ${objects}`);
  };
  check('LIST resourceVersion=0', itemCount('list rv=0', cacheAnswer));
  check('consistent LIST', itemCount('list', await send(client, 'GET', base)));
  let pages = 0;
  {
    let n = 0;
    let token = '';
    do {
      const a = await send(client, 'GET', `${base}?limit=${plan.pageLimit}${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
      n += itemCount('paged list', a);
      token = continueOf(a.body);
      pages++;
    } while (token);
    check('paged LIST', n);
  }
  const listOnce = (path: string) => async () => expectStatus('list', await send(client, 'GET', path), 200);
  const listCache = await repeat(plan.listReps, plan.listMinReps, plan.listMaxMs, listOnce(`${base}?resourceVersion=0`));
  const listConsistent = await repeat(plan.listReps, plan.listMinReps, plan.listMaxMs, listOnce(base));
  const listPaged = await repeat(plan.listReps, plan.listMinReps, plan.listMaxMs, async () => {
    let token = '';
    let walked = 0;
    do {
      const a = await send(client, 'GET', `${base}?limit=${plan.pageLimit}${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
      expectStatus('paged list', a, 200);
      token = continueOf(a.body);
      walked++;
    } while (token);
    if (walked !== pages) throw new Error(`paged LIST took ${walked} pages, the checked walk ${pages}`);
  });
  const f = (s: LatencySummary) => `p50 ${s.p50.toFixed(2)} ms p99 ${s.p99.toFixed(2)} ms (n=${s.n})`;
  log(`    ${objects} ConfigMaps: GET ${f(get)}; LIST rv=0 ${f(listCache)}; consistent ${f(listConsistent)}; paged walk (${pages} pages) ${f(listPaged)}`);
  return { objects, fill, get, listCache, listConsistent, listPaged, pagesPerWalk: pages, listBytes: cacheAnswer.body.length };
}

/** `clients` clients update `objects` ConfigMaps for `durationMs`: GET, change, PUT with the read resourceVersion, again on 409. */
async function measureUpdates(client: BenchClient, clients: number, objects: number, durationMs: number): Promise<UpdateFigures> {
  const base = `/api/v1/namespaces/${UPDATE_NAMESPACE}/configmaps`;
  for (let k = 0; k < objects; k++) {
    expectStatus('create contended object', await send(client, 'POST', base, configMapBody(`contended-${k}`, { counter: '0' })), 201);
  }
  const latencies: number[] = [];
  let conflicts = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const deadline = start + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const name = `contended-${Math.floor(Math.random() * objects)}`;
      const t0 = performance.now();
      try {
        for (;;) {
          const got = await send(client, 'GET', `${base}/${name}`);
          expectStatus(`get ${name}`, got, 200);
          const obj = JSON.parse(got.body.toString('utf8')) as { data: Record<string, string> };
          obj.data.counter = String(Number(obj.data.counter) + 1);
          const put = await send(client, 'PUT', `${base}/${name}`, Buffer.from(JSON.stringify(obj)));
          if (put.status === 409) { conflicts++; continue; }
          expectStatus(`update ${name}`, put, 200);
          latencies.push(performance.now() - t0);
          break;
        }
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  const elapsedMs = performance.now() - start;
  // Every successful PUT added one to a counter: the sum must match (no lost update).
  let total = 0;
  for (let k = 0; k < objects; k++) {
    const a = await send(client, 'GET', `${base}/contended-${k}`);
    expectStatus('read back', a, 200);
    total += Number((JSON.parse(a.body.toString('utf8')) as { data: Record<string, string> }).data.counter);
  }
  if (total !== latencies.length) throw new Error(`contended updates: counters sum to ${total} but ${latencies.length} PUTs succeeded (lost or phantom updates)`);
  return {
    clients, objects, elapsedMs, updates: latencies.length, conflicts, errors, firstError,
    updatesPerSec: latencies.length / (elapsedMs / 1000), conflictsPerSec: conflicts / (elapsedMs / 1000), latency: summarize(latencies),
  };
}

/**
 * Starts `tskube server` (with `args`) on an empty store, measures creates, reads and contended
 * updates (see the file comment), stops it. `etcdPid` is read for CPU when given. Throws
 * {@link ServerExitedError} when the server ends underneath the measurement.
 */
export async function benchApi(backend: 'sqlite' | 'etcd', args: string[], plan: ApiBenchPlan, log: (s: string) => void,
  opts: { etcdPid?: number; env?: Record<string, string>; onStart?: (s: ServerProcess) => void } = {}): Promise<ApiBenchResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tskube-bench-'));
  const server = await startServerProcess({ command: 'server', dataDir, args, env: opts.env });
  opts.onStart?.(server);
  let currentPhase = 'start';
  let exit: string | null = null;
  server.child.once('exit', (code, signal) => { exit = `exited with code ${code}, signal ${signal} during "${currentPhase}"`; });
  const checkAlive = () => {
    if (exit !== null) {
      const out = server.output().split('\n').filter((l) => l.trim() && !l.startsWith('export KUBECONFIG=')).slice(-10).join(' | ');
      throw new ServerExitedError(`${backend} API server ${exit}${out ? `; it printed: ${out.slice(0, 500)}` : '; it printed nothing'}`);
    }
  };
  const pid = server.child.pid!;
  const pids: Record<string, number> = { server: pid };
  if (opts.etcdPid) pids.etcd = opts.etcdPid;
  const client = new BenchClient(server.credentials, 64);
  const phases: PhaseCpu[] = [];
  const phase = async <T>(name: string, fn: () => Promise<T>, creates: (r: T) => number = () => 0): Promise<{ r: T; cpu: Record<string, number> }> => {
    checkAlive();
    currentPhase = name;
    const meter = new CpuMeter(pids);
    const start = performance.now();
    const r = await fn();
    const cpu = meter.read();
    phases.push({ phase: name, wallMs: performance.now() - start, cpu, creates: creates(r), benchLoopDelayP99Ms: meter.loopDelayP99Ms() });
    checkAlive();
    return { r, cpu };
  };
  try {
    log(`  ${backend}: API server pid ${pid} started`);
    await sleep(1000);
    for (const ns of [READ_NAMESPACE, UPDATE_NAMESPACE]) {
      expectStatus(`create namespace ${ns}`, await send(client, 'POST', '/api/v1/namespaces', Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }))), 201);
    }
    const kinds = createKinds(new ProtobufCodec(builtinSchemas()));
    const c = plan.createConcurrency;

    // Creates: warm-up of each variant, then the variants interleaved run by run.
    await phase(`warm-up creates (c=${c})`, async () => {
      for (const [tag, k] of Object.entries(kinds)) {
        // Failures are not fatal here: the measured runs report them, and the reads still get measured.
        const r = await runCreates(client, k, `warm-${tag}`, c, plan.warmupOps, 30_000);
        if (r.errors) log(`  ${backend} warm-up ${k.label}: ${r.errors} errors: ${r.firstError}`);
      }
    });
    const variants = Object.fromEntries(Object.entries(kinds).map(([tag, k]) => [tag, {
      label: k.label, bodyBytes: k.body(`${tag}-0`).length, runs: [] as LoadResult[], cpu: {} as Record<string, number>, creates: 0,
    }])) as Record<keyof typeof kinds, Omit<CreateVariant, 'median'>>;
    for (let run = 0; run < plan.createRuns; run++) {
      for (const tag of ['cm', 'pb', 'json'] as const) {
        const v = variants[tag];
        const { r, cpu } = await phase(`${v.label} creates c=${c}, run ${run + 1}`, () => runCreates(client, kinds[tag], `${tag}r${run}`, c, plan.createOps, plan.createMaxMs), (x) => x.ops);
        v.runs.push(r);
        v.creates += r.ops;
        for (const [p, s] of Object.entries(cpu)) v.cpu[p] = (v.cpu[p] ?? 0) + s;
        log(`  ${backend} ${v.label} c=${c} run ${run + 1}: ${r.rate.toFixed(0)} creates/s, p50 ${r.latency.p50.toFixed(2)} ms, p99 ${r.latency.p99.toFixed(2)} ms${r.errors ? `, ${r.errors} errors: ${r.firstError}` : ''}`);
      }
    }
    const done = (tag: keyof typeof kinds): CreateVariant => ({ ...variants[tag], median: medianResult(variants[tag].runs) });

    // Reads at each collection size.
    const reads: ReadFigures[] = [];
    let have = 0;
    for (const size of plan.listSizes) {
      const from = have;
      const { r: fill } = await phase(`fill to ${size} ConfigMaps (c=${plan.fillConcurrency})`, () => runClosedLoop(plan.fillConcurrency, size - from, 600_000, async (i) => {
        const name = `cm-${from + i}`;
        expectStatus(`create ${name}`, await send(client, 'POST', `/api/v1/namespaces/${READ_NAMESPACE}/configmaps`, configMapBody(name, { payload: PAYLOAD })), 201);
      }), (x) => x.ops);
      if (fill.errors) throw new Error(`filling ${READ_NAMESPACE}: ${fill.errors} errors: ${fill.firstError}`);
      have = size;
      log(`  ${backend}: ${size} ConfigMaps in ${READ_NAMESPACE} (${fill.rate.toFixed(0)} creates/s)`);
      reads.push((await phase(`GET and LIST, ${size} ConfigMaps`, () => measureReads(client, plan, size, fill, log))).r);
    }

    const { r: updates } = await phase(`contended updates (${plan.updateClients} clients, ${plan.updateObjects} objects)`,
      () => measureUpdates(client, plan.updateClients, plan.updateObjects, plan.updateMs));
    log(`  ${backend} contended updates: ${updates.updatesPerSec.toFixed(0)} updates/s, ${updates.conflictsPerSec.toFixed(0)} conflicts/s, `
      + `p99 ${updates.latency.p99.toFixed(2)} ms${updates.errors ? `, ${updates.errors} errors: ${updates.firstError}` : ''}`);
    currentPhase = 'after load';
    client.close();
    checkAlive();
    const output = server.output().split('\n').filter((l) => l.trim() && !l.startsWith('export KUBECONFIG=')).slice(-20).join('\n');
    return {
      backend, deployProtobuf: done('pb'), deployJson: done('json'), configMapJson: done('cm'), reads, updates, phases,
      rssAtEnd: readMemory(pid).rss, serverOutput: output,
    };
  } finally {
    client.close();
    const stopped = await Promise.race([server.stop().then(() => true), sleep(10_000).then(() => false)]);
    if (!stopped) {
      log(`  ${backend}: API server did not stop within 10 s of SIGTERM; killed`);
      await server.kill();
    }
    await removeDir(server.dataDir);
  }
}
