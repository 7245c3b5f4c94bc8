/**
 * What the kubectl e2e tests share: the kubectl versions under test, a per-version harness (a real
 * `tskube up` child process, its own HOME and KUBECACHEDIR, a runner for the real kubectl binary),
 * and exact-output assertions in which regexes stand only for ages, uids, timestamps and
 * resourceVersions.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { after, before, describe } from 'node:test';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeDir, startServerProcess, type ServerProcess } from '../support/process.js';
import { TestClient } from '../support/client.js';

export const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';
/** How long one kubectl command may run. */
export const KUBECTL_TIMEOUT_MS = 30_000;

/** What one kubectl binary prints about itself. */
export interface KubectlVersion {
  /** `1.27`, `1.32`, `1.33`: the binary is `kubectl.<minor>`. */
  minor: string;
  /** A short tag for object names, unique per version. */
  tag: string;
  /** The client lines `kubectl version` prints before the server line. */
  clientLines: string[];
  /** Whether `kubectl version` prints the server as `version.Info{...}` (1.27) or as `v1.32.5`. */
  legacyVersionOutput: boolean;
  /** What `kubectl version` prints on stderr against a v1.32 server. */
  versionStderr: string;
  /** How a klog error line of the discovery cache reads (after the klog header). */
  discoveryErrorLine: (msg: string) => string;
}

export const VERSIONS: KubectlVersion[] = [
  {
    minor: '1.27',
    tag: 'v127',
    clientLines: [
      'Client Version: version.Info{Major:"1", Minor:"27", GitVersion:"v1.27.16", GitCommit:"cbb86e0d7f4a049666fac0551e8b02ef3d6c3d9a", GitTreeState:"clean", BuildDate:"2024-07-17T01:53:56Z", GoVersion:"go1.22.5", Compiler:"gc", Platform:"linux/amd64"}',
      'Kustomize Version: v5.0.1',
    ],
    legacyVersionOutput: true,
    versionStderr:
      'WARNING: This version information is deprecated and will be replaced with the output from kubectl version --short.  Use --output=yaml|json to get the full version.\n' +
      'WARNING: version difference between client (1.27) and server (1.32) exceeds the supported minor version skew of +/-1\n',
    discoveryErrorLine: (msg) => `memcache.go:265] ${msg}`,
  },
  {
    minor: '1.32',
    tag: 'v132',
    clientLines: ['Client Version: v1.32.5', 'Kustomize Version: v5.5.0'],
    legacyVersionOutput: false,
    versionStderr: '',
    discoveryErrorLine: (msg) => `memcache.go:265] "Unhandled Error" err="${msg}"`,
  },
  {
    minor: '1.33',
    tag: 'v133',
    clientLines: ['Client Version: v1.33.1', 'Kustomize Version: v5.6.0'],
    legacyVersionOutput: false,
    versionStderr: '',
    discoveryErrorLine: (msg) => `memcache.go:265] "Unhandled Error" err="${msg}"`,
  },
];

/** The output of one kubectl run. */
export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The environment of a kubectl run: nothing from the test's own environment but PATH. */
export function kubectlEnv(home: string, kubeconfig: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    KUBECONFIG: kubeconfig,
    KUBECACHEDIR: join(home, 'kube-cache'),
    NO_PROXY: '127.0.0.1',
    no_proxy: '127.0.0.1',
  };
}

// --- Expected-output templates ------------------------------------------------------------------

/** Placeholders a template may use; everything else must match byte for byte. */
export const PLACEHOLDERS: Record<string, string> = {
  '{age}': '(?:\\d+[smhdy])+',
  '{rv}': '\\d+',
  '{uid}': '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
  '{ts}': '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z',
};

/** A regex matching `lines` (each ended by a newline) exactly, placeholders aside. */
export function templateRegex(lines: string[]): RegExp {
  const text = lines.map((l) => `${l}\n`).join('');
  const parts = text.split(/(\{age\}|\{rv\}|\{uid\}|\{ts\})/);
  const src = parts.map((p) => PLACEHOLDERS[p] ?? p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('');
  return new RegExp(`^${src}$`);
}

/** Asserts `actual` is exactly `lines` (newline-terminated), placeholders aside. */
export function assertOutput(actual: string, lines: string[], what: string): void {
  assert.match(actual, templateRegex(lines), `${what}: got\n${JSON.stringify(actual)}\nexpected\n${JSON.stringify(lines.map((l) => `${l}\n`).join(''))}`);
}

// --- One server and one kubectl per version -----------------------------------------------------

/** Everything a version's tests share. */
export class Harness {
  server!: ServerProcess;
  client!: TestClient;
  home!: string;
  private readonly children = new Set<ChildProcess>();

  constructor(readonly version: KubectlVersion) {}

  get binary(): string {
    return join(KUBECTL_DIR, `kubectl.${this.version.minor}`);
  }

  /** Kills the children should the test process exit without running `after`. */
  private readonly onExit = () => {
    for (const c of this.children) c.kill('SIGKILL');
    this.server?.child.kill('SIGKILL');
  };

  async start(): Promise<void> {
    process.once('exit', this.onExit);
    this.home = await mkdtemp(join(tmpdir(), `tskube-kubectl-${this.version.minor}-`));
    this.server = await startServerProcess();
    this.client = new TestClient(this.server.credentials);
  }

  async stop(): Promise<void> {
    process.removeListener('exit', this.onExit);
    for (const c of this.children) await killChild(c);
    this.children.clear();
    this.client?.close();
    if (this.server) {
      const stopped = await Promise.race([this.server.stop(), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000))]);
      if (stopped === 'timeout') await this.server.kill();
      await removeDir(this.server.dataDir);
    }
    if (this.home) await removeDir(this.home);
  }

  /** Runs kubectl to completion (killed after {@link KUBECTL_TIMEOUT_MS}). */
  kubectl(args: string[], kubeconfig = this.server.kubeconfigPath, home = this.home): Promise<KubectlResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: kubectlEnv(home, kubeconfig) });
      this.children.add(child);
      let stdout = '';
      let stderr = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
      child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
      const timer = setTimeout(() => child.kill('SIGKILL'), KUBECTL_TIMEOUT_MS);
      child.once('error', (err) => { clearTimeout(timer); this.children.delete(child); reject(err); });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        this.children.delete(child);
        if (signal === 'SIGKILL') reject(new Error(`kubectl ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
        else resolve({ stdout, stderr, code, signal });
      });
    });
  }

  /** Starts a long-running kubectl (a watch); the caller reads `out()` and stops it with `stop()`. */
  spawnKubectl(args: string[]): { out(): string; err(): string; stop(): Promise<void> } {
    const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: kubectlEnv(this.home, this.server.kubeconfigPath) });
    this.children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    return {
      out: () => stdout,
      err: () => stderr,
      stop: async () => {
        await killChild(child);
        this.children.delete(child);
      },
    };
  }

  /** Creates a configmap through the HTTPS test client, as another client would. */
  async createConfigMap(ns: string, body: Record<string, unknown>): Promise<any> {
    const r = await this.client.request('POST', `/api/v1/namespaces/${ns}/configmaps`, body);
    assert.equal(r.status, 201, `create configmap: ${r.text}`);
    return r.json;
  }

  async getConfigMap(ns: string, name: string): Promise<{ status: number; json: any }> {
    const r = await this.client.request('GET', `/api/v1/namespaces/${ns}/configmaps/${name}`);
    return { status: r.status, json: r.json };
  }

  async createNamespace(name: string): Promise<void> {
    const r = await this.client.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    assert.equal(r.status, 201, `create namespace: ${r.text}`);
  }

  /** Deletes configmaps (and then namespaces) a test made; missing ones are fine. */
  async cleanup(configMaps: Array<[string, string]>, namespaces: string[] = []): Promise<void> {
    for (const [ns, name] of configMaps) {
      const r = await this.client.request('DELETE', `/api/v1/namespaces/${ns}/configmaps/${name}`);
      assert.ok(r.status === 200 || r.status === 404, `cleanup of ${ns}/${name}: ${r.status} ${r.text}`);
    }
    for (const ns of namespaces) {
      const r = await this.client.request('DELETE', `/api/v1/namespaces/${ns}`);
      assert.ok(r.status === 200 || r.status === 202 || r.status === 404, `cleanup of namespace ${ns}: ${r.status} ${r.text}`);
    }
  }
}

export async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise<void>((r) => child.once('close', () => r()));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 5000);
  await closed;
  clearTimeout(t);
}

/** A GET without any client certificate. */
export function anonymousGet(server: ServerProcess, path: string): Promise<{ status: number; contentType: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port: server.port, path, method: 'GET', ca: server.credentials.ca, agent: false, headers: { Accept: 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The paths (from `https://127.0.0.1:<port>`) of the requests kubectl logged at -v=6, in order. */
export function loggedPaths(stderr: string, prefix: string): string[] {
  const re = /https:\/\/127\.0\.0\.1:\d+(\/[^\s"]*)/g;
  const paths: string[] = [];
  for (const m of stderr.matchAll(re)) if (m[1].startsWith(prefix)) paths.push(m[1]);
  return paths;
}

/** The server's /version platform string, as upstream prints GOOS/GOARCH. */
export const SERVER_PLATFORM = `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`;


/**
 * Declares one suite per kubectl version (`kubectl 1.NN<suffix>`), each with its own started
 * {@link Harness}; a version whose binary is missing is skipped.
 */
export function describeEachKubectl(suffix: string, body: (h: Harness, version: KubectlVersion) => void): void {
  for (const version of VERSIONS) {
    const present = existsSync(join(KUBECTL_DIR, `kubectl.${version.minor}`));
    describe(`kubectl ${version.minor}${suffix}`, { skip: present ? false : `kubectl.${version.minor} is not installed` }, () => {
      const h = new Harness(version);
      before(async () => { await h.start(); });
      after(async () => { await h.stop(); });
      body(h, version);
    });
  }
}
