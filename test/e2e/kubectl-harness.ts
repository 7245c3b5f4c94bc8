/**
 * What the kubectl e2e tests share: the kubectl versions under test, a per-version harness (a real
 * `tskube up` child process, its own HOME and KUBECACHEDIR, a runner for the real kubectl binary),
 * and exact-output assertions in which regexes stand only for ages, uids, timestamps and
 * resourceVersions.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { after, afterEach, before, describe } from 'node:test';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeDir, startServerProcess, type ServerProcess } from '../support/process.js';
import { TestClient } from '../support/client.js';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { recordTestOutcome } from './compatibility.js';

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

/** kubectl 1.29: the first version that loads OpenAPI v2 lazily (validation and explain read v3). */
export const KUBECTL_1_29: KubectlVersion = {
  minor: '1.29',
  tag: 'v129',
  clientLines: ['Client Version: v1.29.14', 'Kustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3'],
  legacyVersionOutput: false,
  versionStderr: 'WARNING: version difference between client (1.29) and server (1.32) exceeds the supported minor version skew of +/-1\n',
  discoveryErrorLine: (msg) => `memcache.go:265] ${msg}`,
};

/** The versions the newer suites run against, oldest first: {@link VERSIONS} plus 1.29. */
export const E2E_VERSIONS: KubectlVersion[] = [VERSIONS[0], KUBECTL_1_29, ...VERSIONS.slice(1)];

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
  '{ip}': '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}',
};

/** Splits a template at its placeholders, keeping them (a capture group). */
const PLACEHOLDER_SPLIT = new RegExp(`(${Object.keys(PLACEHOLDERS).map((k) => k.replace(/[{}]/g, '\\$&')).join('|')})`);

/** A regex matching `lines` (each ended by a newline) exactly, placeholders aside. */
export function templateRegex(lines: string[]): RegExp {
  const text = lines.map((l) => `${l}\n`).join('');
  const parts = text.split(PLACEHOLDER_SPLIT);
  const src = parts.map((p) => PLACEHOLDERS[p] ?? p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('');
  return new RegExp(`^${src}$`);
}

/** Asserts `actual` is exactly `lines` (newline-terminated), placeholders aside. */
export function assertOutput(actual: string, lines: string[], what: string): void {
  assert.match(actual, templateRegex(lines), `${what}: got\n${JSON.stringify(actual)}\nexpected\n${JSON.stringify(lines.map((l) => `${l}\n`).join(''))}`);
}

/** The padding and minimum cell width of kubectl's tab writer (cli-runtime's printers). */
const TAB_PADDING = 3;
const TAB_MIN_WIDTH = 6;

/**
 * `rows` (the header first) laid out as kubectl's tab writer lays out a table: every cell but a
 * row's last is padded with spaces to its column's widest cell plus three (at least six); the last
 * cell is written as is, each row ends with a newline.
 */
export function renderTable(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? TAB_MIN_WIDTH, cell.length + TAB_PADDING); });
  }
  return rows.map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]) : cell)).join('') + '\n').join('');
}

/**
 * Asserts `actual` is exactly the table `rows` as {@link renderTable} lays it out. Cells may hold
 * placeholders ({@link PLACEHOLDERS}): the values found there are put into the cells before the
 * byte-for-byte comparison, so a placeholder's width still counts in its column.
 */
export function assertTable(actual: string, rows: string[][], what: string): void {
  const cellSource = (cell: string) => cell.split(PLACEHOLDER_SPLIT)
    .map((p) => (PLACEHOLDERS[p] ? `(${PLACEHOLDERS[p]})` : p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
  const source = rows.map((row) => `${row.map(cellSource).join(' +')}\n`).join('');
  const expectedText = renderTable(rows);
  const m = new RegExp(`^${source}$`).exec(actual);
  assert.ok(m, `${what}: got\n${actual}\nexpected (placeholders unfilled)\n${expectedText}`);
  let next = 1;
  const filled = rows.map((row) => row.map((cell) => cell.split(PLACEHOLDER_SPLIT).map((p) => (PLACEHOLDERS[p] ? m[next++] : p)).join('')));
  assert.equal(actual, renderTable(filled), `${what}: the columns are not laid out as kubectl lays them out`);
}

// --- One server and one kubectl per version -----------------------------------------------------

/** Everything a version's tests share. */
export class Harness {
  server!: ServerProcess;
  client!: TestClient;
  home!: string;
  /** The kubeconfig kubectl runs with: the server's own, or {@link attach}'s copy with a namespace. */
  kubeconfig!: string;
  /** The namespace kubectl works in when no `-n` is given. */
  namespace = 'default';
  /** Whether {@link stop} stops the server too (false when the server is shared through {@link attach}). */
  private ownsServer = true;
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

  /** Starts `tskube <command>` of its own (`server`: the API server alone, no controllers). */
  async start(command: 'up' | 'server' = 'up'): Promise<void> {
    process.once('exit', this.onExit);
    this.home = await mkdtemp(join(tmpdir(), `tskube-kubectl-${this.version.minor}-`));
    this.server = await startServerProcess({ command });
    this.client = new TestClient(this.server.credentials);
    this.kubeconfig = this.server.kubeconfigPath;
  }

  /**
   * Uses a server started elsewhere (shared by the suites of one file): a home of this version's
   * own, the namespace `namespace` created, and a kubeconfig whose context selects it.
   */
  async attach(server: ServerProcess, namespace: string): Promise<void> {
    process.once('exit', this.onExit);
    this.ownsServer = false;
    this.server = server;
    this.client = new TestClient(server.credentials);
    this.home = await mkdtemp(join(tmpdir(), `tskube-kubectl-${this.version.minor}-`));
    this.namespace = namespace;
    await this.createNamespace(namespace);
    const config = parseYaml(await readFile(server.kubeconfigPath, 'utf8')) as { contexts?: Array<{ name: string; context: Record<string, unknown> }>; 'current-context'?: string };
    for (const c of config.contexts ?? []) if (c.name === config['current-context']) c.context.namespace = namespace;
    this.kubeconfig = join(this.home, 'kubeconfig');
    await writeFile(this.kubeconfig, stringifyYaml(config));
  }

  async stop(): Promise<void> {
    process.removeListener('exit', this.onExit);
    for (const c of this.children) await killChild(c);
    this.children.clear();
    this.client?.close();
    if (this.server && this.ownsServer) {
      const stopped = await Promise.race([this.server.stop(), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000))]);
      if (stopped === 'timeout') await this.server.kill();
      await removeDir(this.server.dataDir);
    }
    if (this.home) await removeDir(this.home);
  }

  /** Runs kubectl to completion (killed after {@link KUBECTL_TIMEOUT_MS}). */
  kubectl(args: string[], kubeconfig = this.kubeconfig, home = this.home): Promise<KubectlResult> {
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

  /**
   * Starts kubectl with extra environment variables (an `EDITOR`, `KUBECTL_EXTERNAL_DIFF`) and
   * optional standard input; `done` settles with its result as {@link kubectl}'s does (killed
   * after `timeoutMs`), `out()`/`err()` show what it printed so far.
   */
  startKubectl(args: string[], opts: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): { out(): string; err(): string; done: Promise<KubectlResult> } {
    const child = spawn(this.binary, args, {
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: { ...kubectlEnv(this.home, this.kubeconfig), ...(opts.env ?? {}) },
    });
    this.children.add(child);
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const done = new Promise<KubectlResult>((resolve, reject) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? KUBECTL_TIMEOUT_MS);
      child.once('error', (err) => { clearTimeout(timer); this.children.delete(child); reject(err); });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        this.children.delete(child);
        if (signal === 'SIGKILL') reject(new Error(`kubectl ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
        else resolve({ stdout, stderr, code, signal });
      });
    });
    return { out: () => stdout, err: () => stderr, done };
  }

  /** Runs kubectl to completion with extra environment variables and standard input ({@link startKubectl}). */
  kubectlWith(args: string[], opts: { env?: Record<string, string>; input?: string }): Promise<KubectlResult> {
    return this.startKubectl(args, opts).done;
  }

  /** Starts a long-running kubectl (a watch); the caller reads `out()` and stops it with `stop()`. */
  spawnKubectl(args: string[]): { out(): string; err(): string; stop(): Promise<void> } {
    const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: kubectlEnv(this.home, this.kubeconfig) });
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
 * {@link Harness}; a version whose binary is missing is skipped. `command` is what the harness
 * starts: `tskube up` (default) or `tskube server`, the API server without controllers.
 */
export function describeEachKubectl(suffix: string, body: (h: Harness, version: KubectlVersion) => void, versions: KubectlVersion[] = VERSIONS, command: 'up' | 'server' = 'up'): void {
  for (const version of versions) {
    const present = existsSync(join(KUBECTL_DIR, `kubectl.${version.minor}`));
    describe(`kubectl ${version.minor}${suffix}`, { skip: present ? false : `kubectl.${version.minor} is not installed` }, () => {
      const h = new Harness(version);
      before(async () => { await h.start(command); });
      after(async () => { await h.stop(); });
      afterEach((t) => { recordTestOutcome(t, version.minor); });
      body(h, version);
    });
  }
}

/**
 * Declares `title` with one `tskube up` shared by every kubectl version of `versions` (default
 * {@link E2E_VERSIONS}), whose suites (`kubectl 1.NN`) run one after the other. Each version has its
 * own {@link Harness}: its own home and discovery cache, and a namespace of its own (`<prefix>-<tag>`,
 * e.g. `e2e-v132`) that its kubeconfig selects, so the versions' objects never meet. A version whose
 * binary is missing is skipped. Every test's outcome is recorded for docs/compatibility.md.
 * `command` is `up` (default) or `server` (the API server without controllers); `serverArgs` are
 * extra arguments of it (e.g. `['--sim-nodes', '3']`).
 */
export function describeKubectlSuite(title: string, body: (h: Harness, version: KubectlVersion) => void, opts: { versions?: KubectlVersion[]; namespacePrefix?: string; serverArgs?: string[]; command?: 'up' | 'server' } = {}): void {
  describe(title, () => {
    let server: ServerProcess | undefined;
    let starting: Promise<ServerProcess> | undefined;
    const shared = () => (starting ??= startServerProcess({ command: opts.command, args: opts.serverArgs }).then((s) => (server = s)));
    after(async () => {
      if (!server) return;
      const stopped = await Promise.race([server.stop(), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000))]);
      if (stopped === 'timeout') await server.kill();
      await removeDir(server.dataDir);
    });
    for (const version of opts.versions ?? E2E_VERSIONS) {
      const present = existsSync(join(KUBECTL_DIR, `kubectl.${version.minor}`));
      describe(`kubectl ${version.minor}`, { skip: present ? false : `kubectl.${version.minor} is not installed` }, () => {
        const h = new Harness(version);
        before(async () => { await h.attach(await shared(), `${opts.namespacePrefix ?? 'e2e'}-${version.tag}`); });
        after(async () => { await h.stop(); });
        afterEach((t) => { recordTestOutcome(t, version.minor); });
        body(h, version);
      });
    }
  });
}
