/**
 * Test helpers that run real etcd processes (`/usr/bin/etcd`) on 127.0.0.1 only.
 *
 * Every member gets free ports (found by binding port 0 and closing) and its own temporary data
 * directory. `stop()` kills with SIGKILL (fast; the data is thrown away) and removes the
 * directories. Members still running when the test process exits are killed as well.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The etcd binary the helpers start. */
export const ETCD_BINARY = process.env.ETCD_BINARY ?? '/usr/bin/etcd';

/** One running etcd member of {@link startEtcdCluster}. */
export interface EtcdMember {
  name: string;
  /** Client URL, `http://127.0.0.1:PORT`. */
  endpoint: string;
  pid: number;
  /** Kills the member with SIGKILL (no cleanup; the cluster's `stop()` still removes its data). */
  kill(): void;
}

/** A running single etcd. */
export interface EtcdInstance {
  endpoints: string[];
  stop(): Promise<void>;
}

/** A running etcd cluster. */
export interface EtcdCluster extends EtcdInstance {
  members: EtcdMember[];
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('no port'));
        return;
      }
      const port = address.port;
      server.close(() => resolve(port));
    });
  });
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once `GET <endpoint>/health` answers `{"health":"true"}`; rejects after `timeoutMs` or when `alive()` turns false. */
export async function waitHealthy(endpoint: string, timeoutMs: number, alive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`etcd at ${endpoint} exited before it was healthy`);
    try {
      const res = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
      const body = (await res.json()) as { health?: string };
      if (body.health === 'true') return;
      last = JSON.stringify(body);
    } catch (err) {
      last = String(err);
    }
    await sleep(50);
  }
  throw new Error(`etcd at ${endpoint} not healthy after ${timeoutMs} ms: ${last}`);
}

interface MemberSpec {
  name: string;
  clientPort: number;
  peerPort: number;
  dataDir: string;
}

function spawnMember(spec: MemberSpec, initialCluster: string, token: string): { child: ChildProcess; stderr: () => string } {
  const client = `http://127.0.0.1:${spec.clientPort}`;
  const peer = `http://127.0.0.1:${spec.peerPort}`;
  const args = [
    `--name=${spec.name}`,
    `--data-dir=${spec.dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=${initialCluster}`,
    '--initial-cluster-state=new',
    `--initial-cluster-token=${token}`,
    '--logger=zap',
    '--log-level=error',
  ];
  const child = spawn(ETCD_BINARY, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString()).slice(-4000);
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return { child, stderr: () => err };
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

async function startMembers(count: number): Promise<EtcdCluster> {
  installExitHook();
  const specs: MemberSpec[] = [];
  for (let i = 0; i < count; i++) {
    specs.push({
      name: `m${i}`,
      clientPort: await freePort(),
      peerPort: await freePort(),
      dataDir: await mkdtemp(join(tmpdir(), `tskube-etcd-m${i}-`)),
    });
  }
  const initialCluster = specs.map((s) => `${s.name}=http://127.0.0.1:${s.peerPort}`).join(',');
  // One token for the whole cluster: etcd derives the cluster ID from it and the member list.
  const token = `tskube-test-${process.pid}-${specs[0]!.peerPort}`;
  const procs = specs.map((s) => spawnMember(s, initialCluster, token));
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await Promise.all(procs.map((p) => killAndWait(p.child)));
    await Promise.all(specs.map((s) => rm(s.dataDir, { recursive: true, force: true })));
  };
  try {
    await Promise.all(
      specs.map((s, i) =>
        waitHealthy(`http://127.0.0.1:${s.clientPort}`, 20_000, () => procs[i]!.child.exitCode === null).catch((err: Error) => {
          throw new Error(`${err.message}\n${procs[i]!.stderr()}`);
        }),
      ),
    );
  } catch (err) {
    await stop();
    throw err;
  }
  const members: EtcdMember[] = specs.map((s, i) => {
    const child = procs[i]!.child;
    return {
      name: s.name,
      endpoint: `http://127.0.0.1:${s.clientPort}`,
      pid: child.pid ?? -1,
      kill: () => {
        child.kill('SIGKILL');
      },
    };
  });
  return { endpoints: members.map((m) => m.endpoint), members, stop };
}

async function withRetries<T>(fn: () => Promise<T>): Promise<T> {
  // A port picked by freePort() can be taken by someone else before etcd binds it; start again.
  let lastErr: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await fn();
    } catch (err) {
      lastErr = err;
    }
  }
  throw lastErr;
}

/** Starts one etcd member on free 127.0.0.1 ports with a temporary data directory and waits until it is healthy. */
export async function startEtcd(): Promise<EtcdInstance> {
  const cluster = await withRetries(() => startMembers(1));
  return { endpoints: cluster.endpoints, stop: cluster.stop };
}

/** Starts a `size`-member etcd cluster on 127.0.0.1 and waits until every member is healthy (has a leader). */
export async function startEtcdCluster(size: number): Promise<EtcdCluster> {
  if (!Number.isInteger(size) || size < 1) throw new Error(`bad cluster size ${size}`);
  return withRetries(() => startMembers(size));
}
