import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from dist/test/...). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
/** The CLI entry point. */
export const TSKUBE_BIN = join(REPO_ROOT, 'bin', 'tskube.js');

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

/** A `tskube up|server` child process. */
export interface ServerProcess {
  child: ChildProcess;
  port: number;
  dataDir: string;
  kubeconfigPath: string;
  /** The PEMs of the admin kubeconfig, for test clients. */
  credentials: { server: string; ca: string; cert: string; key: string };
  /** Everything the process printed. */
  output(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

/**
 * Starts `tskube <command>` as a child process and waits for its `export KUBECONFIG=` line.
 * `dataDir` defaults to a new temporary directory (not removed: call {@link removeDir}).
 */
export async function startServerProcess(opts: { command?: 'up' | 'server'; dataDir?: string; port?: number; args?: string[]; env?: Record<string, string> } = {}): Promise<ServerProcess> {
  const dataDir = opts.dataDir ?? await mkdtemp(join(tmpdir(), 'tskube-e2e-'));
  const port = opts.port ?? await freePort();
  const child = spawn(process.execPath, [TSKUBE_BIN, opts.command ?? 'up', '--data-dir', dataDir, '--port', String(port), ...(opts.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(opts.env ?? {}) },
  });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await new Promise<void>((res, rej) => {
    // A process that did not start is killed, so that it cannot keep the test process alive.
    const t = setTimeout(() => { child.kill('SIGKILL'); rej(new Error(`tskube did not start in 20s:\n${out}`)); }, 20_000);
    const check = () => {
      if (out.includes('export KUBECONFIG=')) { clearTimeout(t); res(); }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => { clearTimeout(t); rej(new Error(`tskube exited with ${code}:\n${out}`)); });
  });
  const kubeconfigPath = join(dataDir, 'admin.kubeconfig');
  const pki = join(dataDir, 'pki');
  const credentials = {
    server: `https://127.0.0.1:${port}`,
    ca: await readFile(join(pki, 'ca.crt'), 'utf8'),
    cert: await readFile(join(pki, 'admin.crt'), 'utf8'),
    key: await readFile(join(pki, 'admin.key'), 'utf8'),
  };
  return {
    child, port, dataDir, kubeconfigPath, credentials,
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Removes a directory tree. */
export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}
