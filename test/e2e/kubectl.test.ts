/**
 * The real kubectl binaries (1.27, 1.32, 1.33) against a real `tskube up` child process. Each
 * version gets its own server, its own HOME and KUBECACHEDIR, and every command's stdout, stderr
 * and exit code are compared with what kubectl prints against an upstream kube-apiserver.
 * Regexes stand only for ages, uids, timestamps and resourceVersions; where the server reports a
 * value through another client, the exact value is compared instead.
 *
 * Tests that expect upstream behaviour the server does not have yet are marked `todo`.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeDir, startServerProcess, type ServerProcess } from '../support/process.js';
import { TestClient, configMap, eventually } from '../support/client.js';

const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';
/** How long one kubectl command may run. */
const KUBECTL_TIMEOUT_MS = 30_000;

/** What one kubectl binary prints about itself. */
interface KubectlVersion {
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

const VERSIONS: KubectlVersion[] = [
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
interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The environment of a kubectl run: nothing from the test's own environment but PATH. */
function kubectlEnv(home: string, kubeconfig: string): NodeJS.ProcessEnv {
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
const PLACEHOLDERS: Record<string, string> = {
  '{age}': '(?:\\d+[smhdy])+',
  '{rv}': '\\d+',
  '{uid}': '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
  '{ts}': '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z',
};

/** A regex matching `lines` (each ended by a newline) exactly, placeholders aside. */
function templateRegex(lines: string[]): RegExp {
  const text = lines.map((l) => `${l}\n`).join('');
  const parts = text.split(/(\{age\}|\{rv\}|\{uid\}|\{ts\})/);
  const src = parts.map((p) => PLACEHOLDERS[p] ?? p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('');
  return new RegExp(`^${src}$`);
}

/** Asserts `actual` is exactly `lines` (newline-terminated), placeholders aside. */
function assertOutput(actual: string, lines: string[], what: string): void {
  assert.match(actual, templateRegex(lines), `${what}: got\n${JSON.stringify(actual)}\nexpected\n${JSON.stringify(lines.map((l) => `${l}\n`).join(''))}`);
}

// --- One server and one kubectl per version -----------------------------------------------------

/** Everything a version's tests share. */
class Harness {
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

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise<void>((r) => child.once('close', () => r()));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 5000);
  await closed;
  clearTimeout(t);
}

/** A GET without any client certificate. */
function anonymousGet(server: ServerProcess, path: string): Promise<{ status: number; contentType: string | undefined; body: string }> {
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
function loggedPaths(stderr: string, prefix: string): string[] {
  const re = /https:\/\/127\.0\.0\.1:\d+(\/[^\s"]*)/g;
  const paths: string[] = [];
  for (const m of stderr.matchAll(re)) if (m[1].startsWith(prefix)) paths.push(m[1]);
  return paths;
}

/** The server's /version platform string, as upstream prints GOOS/GOARCH. */
const SERVER_PLATFORM = `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`;

for (const version of VERSIONS) {
  const binaryPresent = existsSync(join(KUBECTL_DIR, `kubectl.${version.minor}`));
  describe(`kubectl ${version.minor}`, { skip: binaryPresent ? false : `kubectl.${version.minor} is not installed` }, () => {
    const h = new Harness(version);
    const t = version.tag;

    before(async () => { await h.start(); });
    after(async () => { await h.stop(); });

    it('version: client lines, the server line and what goes to stderr', async () => {
      const r = await h.kubectl(['version']);
      const serverLine = version.legacyVersionOutput
        ? `Server Version: version.Info{Major:"1", Minor:"32", GitVersion:"v1.32.5", GitCommit:"tskube", GitTreeState:"clean", BuildDate:"2026-01-01T00:00:00Z", GoVersion:"node ${process.version}", Compiler:"tsc", Platform:"${SERVER_PLATFORM}"}`
        : 'Server Version: v1.32.5';
      assert.equal(r.stdout, [...version.clientLines, serverLine].map((l) => `${l}\n`).join(''));
      assert.equal(r.stderr, version.versionStderr);
      assert.equal(r.code, 0);
    });

    it('get --raw /readyz, /readyz?verbose, /readyz/ping and /healthz', async () => {
      const ready = await h.kubectl(['get', '--raw', '/readyz']);
      assert.deepEqual(ready, { stdout: 'ok', stderr: '', code: 0, signal: null });
      const verbose = await h.kubectl(['get', '--raw', '/readyz?verbose']);
      assert.equal(verbose.stdout, [
        '[+]ping ok',
        '[+]log ok',
        '[+]etcd ok',
        '[+]informer-sync ok',
        '[+]shutdown ok',
        'readyz check passed',
        '',
      ].join('\n'));
      assert.equal(verbose.stderr, '');
      assert.equal(verbose.code, 0);
      const ping = await h.kubectl(['get', '--raw', '/readyz/ping']);
      assert.deepEqual(ping, { stdout: 'ok', stderr: '', code: 0, signal: null });
      const healthz = await h.kubectl(['get', '--raw', '/healthz']);
      assert.deepEqual(healthz, { stdout: 'ok', stderr: '', code: 0, signal: null });
    });

    it('get namespaces: the four system namespaces, Active', async () => {
      const r = await h.kubectl(['get', 'namespaces']);
      assertOutput(r.stdout, [
        'NAME              STATUS   AGE',
        'default           Active   {age}',
        'kube-node-lease   Active   {age}',
        'kube-public       Active   {age}',
        'kube-system       Active   {age}',
      ], 'get namespaces');
      assert.equal(r.stderr, '');
      assert.equal(r.code, 0);
    });

    it('get namespace default -o yaml carries the kubernetes finalizer as upstream', async () => {
      const ns = (await h.client.request('GET', '/api/v1/namespaces/default')).json;
      const r = await h.kubectl(['get', 'namespace', 'default', '-o', 'yaml']);
      assert.equal(r.stdout, [
        'apiVersion: v1',
        'kind: Namespace',
        'metadata:',
        `  creationTimestamp: "${ns.metadata.creationTimestamp}"`,
        '  labels:',
        '    kubernetes.io/metadata.name: default',
        '  name: default',
        `  resourceVersion: "${ns.metadata.resourceVersion}"`,
        `  uid: ${ns.metadata.uid}`,
        'spec:',
        '  finalizers:',
        '  - kubernetes',
        'status:',
        '  phase: Active',
        '',
      ].join('\n'));
      assert.equal(r.code, 0);
    });

    if (version.minor === '1.27') {
      it('create configmap --from-literal (JSON body from kubectl 1.27)', async () => {
        const name = `created-${t}`;
        try {
          const r = await h.kubectl(['create', 'configmap', name, '--from-literal=a=b']);
          assert.deepEqual(r, { stdout: `configmap/${name} created\n`, stderr: '', code: 0, signal: null });
          const got = await h.getConfigMap('default', name);
          assert.equal(got.status, 200);
          assert.deepEqual(got.json.data, { a: 'b' });
          const again = await h.kubectl(['create', 'configmap', name, '--from-literal=a=b']);
          assert.deepEqual(again, { stdout: '', stderr: `error: failed to create configmap: configmaps "${name}" already exists\n`, code: 1, signal: null });
        } finally {
          await h.cleanup([['default', name]]);
        }
      });
    }

    it('get configmaps -A: NAMESPACE NAME DATA AGE columns', async () => {
      const ns = `all-${t}`;
      const made: Array<[string, string]> = [['default', `a-${t}`], [ns, `b-${t}`], [ns, `c-long-name-${t}`]];
      try {
        await h.createNamespace(ns);
        await h.createConfigMap('default', configMap(`a-${t}`, { k: 'v' }));
        await h.createConfigMap(ns, configMap(`b-${t}`, { k: 'v', k2: 'v2' }));
        await h.createConfigMap(ns, configMap(`c-long-name-${t}`, {}));
        const r = await h.kubectl(['get', 'configmaps', '-A']);
        assertOutput(r.stdout, [
          'NAMESPACE   NAME               DATA   AGE',
          `all-${t}    b-${t}             2      {age}`,
          `all-${t}    c-long-name-${t}   0      {age}`,
          `default     a-${t}             1      {age}`,
        ], 'get configmaps -A (sorted by namespace, then name)');
        assert.equal(r.stderr, '');
        assert.equal(r.code, 0);
        // Only the namespace's own objects with -n.
        const inNs = await h.kubectl(['get', 'configmaps', '-n', ns]);
        assertOutput(inNs.stdout, [
          'NAME               DATA   AGE',
          `b-${t}             2      {age}`,
          `c-long-name-${t}   0      {age}`,
        ], 'get configmaps -n');
        assert.equal(inNs.code, 0);
      } finally {
        await h.cleanup(made, [ns]);
      }
    });

    it('get configmaps in an empty namespace: "No resources found"', async () => {
      const r = await h.kubectl(['get', 'configmaps', '-n', 'kube-public']);
      assert.deepEqual(r, { stdout: '', stderr: 'No resources found in kube-public namespace.\n', code: 0, signal: null });
    });

    it('get configmap -o yaml: the whole object', async () => {
      const name = `yaml-${t}`;
      try {
        const created = await h.createConfigMap('default', configMap(name, { a: 'b', multi: 'line1\nline2\n', num: '1' }, {
          labels: { app: 'web', tier: 'fe' }, annotations: { note: 'hi' },
        }));
        const r = await h.kubectl(['get', 'configmap', name, '-o', 'yaml']);
        const m = created.metadata;
        assert.equal(r.stdout, [
          'apiVersion: v1',
          'data:',
          '  a: b',
          '  multi: |',
          '    line1',
          '    line2',
          '  num: "1"',
          'kind: ConfigMap',
          'metadata:',
          '  annotations:',
          '    note: hi',
          `  creationTimestamp: "${m.creationTimestamp}"`,
          '  labels:',
          '    app: web',
          '    tier: fe',
          `  name: ${name}`,
          '  namespace: default',
          `  resourceVersion: "${m.resourceVersion}"`,
          `  uid: ${m.uid}`,
          '',
        ].join('\n'));
        assert.equal(r.stderr, '');
        assert.equal(r.code, 0);
        // The values the server reports are well formed as well.
        assert.match(m.creationTimestamp, new RegExp(`^${PLACEHOLDERS['{ts}']}$`));
        assert.match(m.resourceVersion, new RegExp(`^${PLACEHOLDERS['{rv}']}$`));
        assert.match(m.uid, new RegExp(`^${PLACEHOLDERS['{uid}']}$`));
      } finally {
        await h.cleanup([['default', name]]);
      }
    });

    it('get configmaps -w prints the rows of changes made by another client', async () => {
      const name = `watch-${t}`;
      const ns = `watch-${t}`;
      try {
        await h.createNamespace(ns);
        await h.createConfigMap(ns, configMap(name, { a: '1' }));
        const w = h.spawnKubectl(['get', 'configmaps', '-w', '-n', ns]);
        try {
          await eventually(() => w.out().split('\n').length >= 3, 15_000, 'the initial list of the watch');
          assertOutput(w.out(), ['NAME         DATA   AGE', `${name}   1      {age}`], 'initial list');
          // A merge patch through the HTTPS client: one more key.
          const p = await h.client.request('PATCH', `/api/v1/namespaces/${ns}/configmaps/${name}`, { data: { b: '2' } }, { 'Content-Type': 'application/merge-patch+json' });
          assert.equal(p.status, 200, p.text);
          await eventually(() => w.out().split('\n').length >= 4, 15_000, 'the watch row of the patch');
          // A PUT that empties the data.
          const u = await h.client.request('PUT', `/api/v1/namespaces/${ns}/configmaps/${name}`, configMap(name, {}));
          assert.equal(u.status, 200, u.text);
          await eventually(() => w.out().split('\n').length >= 5, 15_000, 'the watch row of the update');
          // A new object in the namespace.
          await h.createConfigMap(ns, configMap(`other-${t}`, { x: 'y', z: 'w', q: 'r' }));
          await eventually(() => w.out().split('\n').length >= 6, 15_000, 'the watch row of the new object');
          // A deletion shows the last state once more.
          const d = await h.client.request('DELETE', `/api/v1/namespaces/${ns}/configmaps/${name}`);
          assert.equal(d.status, 200, d.text);
          await eventually(() => w.out().split('\n').length >= 7, 15_000, 'the watch row of the deletion');
          await new Promise((r) => setTimeout(r, 300));
          assertOutput(w.out(), [
            'NAME         DATA   AGE',
            `${name}   1      {age}`,
            `${name}   2      {age}`,
            `${name}   0      {age}`,
            `other-${t}   3      {age}`,
            `${name}   0      {age}`,
          ], 'watch output');
          assert.equal(w.err(), '');
        } finally {
          await w.stop();
        }
      } finally {
        await h.cleanup([[ns, name], [ns, `other-${t}`]], [ns]);
      }
    });

    it('delete configmap, then get it: NotFound', async () => {
      const name = `del-${t}`;
      try {
        await h.createConfigMap('default', configMap(name, { a: 'b' }));
        const del = await h.kubectl(['delete', 'configmap', name]);
        assert.deepEqual(del, { stdout: `configmap "${name}" deleted\n`, stderr: '', code: 0, signal: null });
        assert.equal((await h.getConfigMap('default', name)).status, 404);
        const get = await h.kubectl(['get', 'configmap', name]);
        assert.deepEqual(get, { stdout: '', stderr: `Error from server (NotFound): configmaps "${name}" not found\n`, code: 1, signal: null });
        const again = await h.kubectl(['delete', 'configmap', name]);
        assert.deepEqual(again, { stdout: '', stderr: `Error from server (NotFound): configmaps "${name}" not found\n`, code: 1, signal: null });
      } finally {
        await h.cleanup([['default', name]]);
      }
    });

    it('get cm nope: the NotFound line, exit code 1', async () => {
      const r = await h.kubectl(['get', 'cm', 'nope']);
      assert.deepEqual(r, { stdout: '', stderr: 'Error from server (NotFound): configmaps "nope" not found\n', code: 1, signal: null });
      // After a NotFound, kubectl asks for the namespace and reports that one when it is missing.
      const ns = await h.kubectl(['get', 'cm', 'x', '-n', `no-such-ns-${t}`]);
      assert.deepEqual(ns, { stdout: '', stderr: `Error from server (NotFound): namespaces "no-such-ns-${t}" not found\n`, code: 1, signal: null });
    });

    it('get one existing and one missing configmap: the row, then the NotFound line', async () => {
      const name = `mix-${t}`;
      try {
        await h.createConfigMap('default', configMap(name, { a: 'b' }));
        const r = await h.kubectl(['get', 'cm', name, 'nope']);
        assertOutput(r.stdout, ['NAME       DATA   AGE', `${name}   1      {age}`], 'get cm <name> nope');
        assert.equal(r.stderr, 'Error from server (NotFound): configmaps "nope" not found\n');
        assert.equal(r.code, 1);
      } finally {
        await h.cleanup([['default', name]]);
      }
    });

    it('patch --type=merge and --type=json', async () => {
      const name = `patch-${t}`;
      try {
        const created = await h.createConfigMap('default', configMap(name, { a: 'b' }));
        const merge = await h.kubectl(['patch', 'cm', name, '--type=merge', '-p', '{"data":{"a":"z","m":"n"}}']);
        assert.deepEqual(merge, { stdout: `configmap/${name} patched\n`, stderr: '', code: 0, signal: null });
        let got = await h.getConfigMap('default', name);
        assert.deepEqual(got.json.data, { a: 'z', m: 'n' });
        assert.notEqual(got.json.metadata.resourceVersion, created.metadata.resourceVersion);
        const rvAfterMerge = got.json.metadata.resourceVersion;

        // The same patch again changes nothing: kubectl says so because the object is unchanged.
        const noop = await h.kubectl(['patch', 'cm', name, '--type=merge', '-p', '{"data":{"a":"z"}}']);
        assert.deepEqual(noop, { stdout: `configmap/${name} patched (no change)\n`, stderr: '', code: 0, signal: null });
        assert.equal((await h.getConfigMap('default', name)).json.metadata.resourceVersion, rvAfterMerge);

        // null removes a key.
        const remove = await h.kubectl(['patch', 'cm', name, '--type=merge', '-p', '{"data":{"m":null}}']);
        assert.deepEqual(remove, { stdout: `configmap/${name} patched\n`, stderr: '', code: 0, signal: null });
        assert.deepEqual((await h.getConfigMap('default', name)).json.data, { a: 'z' });

        const json = await h.kubectl(['patch', 'cm', name, '--type=json', '-p', '[{"op":"add","path":"/data/c","value":"d"},{"op":"replace","path":"/data/a","value":"y"}]']);
        assert.deepEqual(json, { stdout: `configmap/${name} patched\n`, stderr: '', code: 0, signal: null });
        got = await h.getConfigMap('default', name);
        assert.deepEqual(got.json.data, { a: 'y', c: 'd' });

        const missing = await h.kubectl(['patch', 'cm', `nope-${t}`, '--type=merge', '-p', '{"data":{"a":"z"}}']);
        assert.deepEqual(missing, { stdout: '', stderr: `Error from server (NotFound): configmaps "nope-${t}" not found\n`, code: 1, signal: null });
      } finally {
        await h.cleanup([['default', name]]);
      }
    });

    it('patch --type=json with a failing operation: the message upstream gives', async () => {
      const name = `jpfail-${t}`;
      try {
        await h.createConfigMap('default', configMap(name, { a: 'b' }));
        const r = await h.kubectl(['patch', 'cm', name, '--type=json', '-p', '[{"op":"replace","path":"/data/nope","value":"x"}]']);
        assert.deepEqual(r, { stdout: '', stderr: 'The request is invalid: the server rejected our request due to an error in our request\n', code: 1, signal: null });
        assert.deepEqual((await h.getConfigMap('default', name)).json.data, { a: 'b' });
      } finally {
        await h.cleanup([['default', name]]);
      }
    });

    it('patch with the default (strategic merge) type', { todo: 'application/strategic-merge-patch+json answers 415; upstream ConfigMap accepts it' }, async () => {
      const name = `smp-${t}`;
      try {
        await h.createConfigMap('default', configMap(name, { a: 'b' }));
        const r = await h.kubectl(['patch', 'cm', name, '-p', '{"data":{"a":"z"}}']);
        assert.deepEqual(r, { stdout: `configmap/${name} patched\n`, stderr: '', code: 0, signal: null });
        assert.deepEqual((await h.getConfigMap('default', name)).json.data, { a: 'z' });
      } finally {
        await h.cleanup([['default', name]]);
      }
    });

    it('label, get -l (equality and set-based), unlabel', async () => {
      const web = `lab-web-${t}`;
      const other = `lab-other-${t}`;
      try {
        await h.createConfigMap('default', configMap(web, { a: 'b' }));
        await h.createConfigMap('default', configMap(other, {}, { labels: { tier: 'be' } }));
        const label = await h.kubectl(['label', 'cm', web, 'app=web']);
        assert.deepEqual(label, { stdout: `configmap/${web} labeled\n`, stderr: '', code: 0, signal: null });
        assert.deepEqual((await h.getConfigMap('default', web)).json.metadata.labels, { app: 'web' });

        const eq = await h.kubectl(['get', 'cm', '-l', 'app=web']);
        assertOutput(eq.stdout, ['NAME           DATA   AGE', `${web}   1      {age}`], 'get cm -l app=web');
        assert.equal(eq.stderr, '');
        assert.equal(eq.code, 0);

        const notExists = await h.kubectl(['get', 'cm', '-l', '!app']);
        assertOutput(notExists.stdout, ['NAME             DATA   AGE', `${other}   0      {age}`], 'get cm -l !app');
        assert.equal(notExists.code, 0);

        const setBased = await h.kubectl(['get', 'cm', '-l', 'tier in (fe,be)']);
        assertOutput(setBased.stdout, ['NAME             DATA   AGE', `${other}   0      {age}`], 'get cm -l tier in (fe,be)');
        assert.equal(setBased.code, 0);

        const none = await h.kubectl(['get', 'cm', '-l', 'app=nope']);
        assert.deepEqual(none, { stdout: '', stderr: 'No resources found in default namespace.\n', code: 0, signal: null });

        const overwrite = await h.kubectl(['label', 'cm', web, 'app=db', '--overwrite']);
        assert.deepEqual(overwrite, { stdout: `configmap/${web} labeled\n`, stderr: '', code: 0, signal: null });
        assert.deepEqual((await h.getConfigMap('default', web)).json.metadata.labels, { app: 'db' });

        const unlabel = await h.kubectl(['label', 'cm', web, 'app-']);
        assert.deepEqual(unlabel, { stdout: `configmap/${web} unlabeled\n`, stderr: '', code: 0, signal: null });
        const after = (await h.getConfigMap('default', web)).json.metadata.labels;
        assert.ok(after === undefined || Object.keys(after).length === 0, `labels left: ${JSON.stringify(after)}`);
      } finally {
        await h.cleanup([['default', web], ['default', other]]);
      }
    });

    it('get cm --field-selector metadata.name=… and !=', async () => {
      const a = `fs-a-${t}`;
      const b = `fs-b-${t}`;
      try {
        await h.createConfigMap('default', configMap(a, { k: 'v' }));
        await h.createConfigMap('default', configMap(b, {}));
        const eq = await h.kubectl(['get', 'cm', '--field-selector', `metadata.name=${a}`]);
        assertOutput(eq.stdout, ['NAME        DATA   AGE', `${a}   1      {age}`], 'field selector =');
        assert.equal(eq.stderr, '');
        assert.equal(eq.code, 0);
        const ne = await h.kubectl(['get', 'cm', '--field-selector', `metadata.name!=${a}`]);
        assertOutput(ne.stdout, ['NAME        DATA   AGE', `${b}   0      {age}`], 'field selector !=');
        assert.equal(ne.code, 0);
        const ns = await h.kubectl(['get', 'cm', '-A', '--field-selector', `metadata.namespace=default,metadata.name=${b}`]);
        assertOutput(ns.stdout, ['NAMESPACE   NAME        DATA   AGE', `default     ${b}   0      {age}`], 'field selector namespace and name');
        assert.equal(ns.code, 0);
        const none = await h.kubectl(['get', 'cm', '--field-selector', 'metadata.name=nope']);
        assert.deepEqual(none, { stdout: '', stderr: 'No resources found in default namespace.\n', code: 0, signal: null });
      } finally {
        await h.cleanup([['default', a], ['default', b]]);
      }
    });

    it('get cm --field-selector on an unsupported field: the BadRequest upstream gives', async () => {
      const r = await h.kubectl(['get', 'cm', '--field-selector', 'data.a=b']);
      assert.deepEqual(r, {
        stdout: '',
        stderr: 'Error from server (BadRequest): Unable to find "/v1, Resource=configmaps" that match label selector "", field selector "data.a=b": "data.a" is not a known field selector: only "metadata.name", "metadata.namespace"\n',
        code: 1,
        signal: null,
      });
    });

    it('get ns --field-selector on an unsupported field: BadRequest', async () => {
      const r = await h.kubectl(['get', 'ns', '--field-selector', 'spec.x=b']);
      assert.deepEqual(r, {
        stdout: '',
        stderr: 'Error from server (BadRequest): Unable to find "/v1, Resource=namespaces" that match label selector "", field selector "spec.x=b": field label not supported: spec.x\n',
        code: 1,
        signal: null,
      });
    });

    it('get cm --chunk-size=1 pages through the list with continue tokens', async () => {
      const ns = `page-${t}`;
      const names = [1, 2, 3, 4].map((i) => `pg-${i}-${t}`);
      try {
        await h.createNamespace(ns);
        for (const [i, n] of names.entries()) await h.createConfigMap(ns, configMap(n, Object.fromEntries(Array.from({ length: i }, (_, k) => [`k${k}`, 'v']))));
        const r = await h.kubectl(['get', 'cm', '-n', ns, '--chunk-size=1', '-v=6']);
        assertOutput(r.stdout, [
          'NAME        DATA   AGE',
          `${names[0]}   0      {age}`,
          `${names[1]}   1      {age}`,
          `${names[2]}   2      {age}`,
          `${names[3]}   3      {age}`,
        ], 'get --chunk-size=1');
        assert.equal(r.code, 0);
        // Four requests: the first page, then one per continue token.
        const paths = loggedPaths(r.stderr, `/api/v1/namespaces/${ns}/configmaps`);
        assert.equal(paths.length, 4, `requests: ${JSON.stringify(paths)}\n${r.stderr}`);
        assert.equal(paths[0], `/api/v1/namespaces/${ns}/configmaps?limit=1`);
        const rvs = new Set<string>();
        for (let i = 1; i < 4; i++) {
          const m = /^\/api\/v1\/namespaces\/[^/]+\/configmaps\?continue=([A-Za-z0-9_-]+)&limit=1$/.exec(paths[i]);
          assert.ok(m, `page ${i + 1}: ${paths[i]}`);
          // Upstream's continue token: base64url (no padding) of {"v","rv","start"}.
          const token = Buffer.from(m[1], 'base64url').toString('utf8');
          const tm = /^\{"v":"meta\.k8s\.io\/v1","rv":(\d+),"start":"(.*)"\}$/.exec(token);
          assert.ok(tm, `token ${token}`);
          assert.equal(tm[2], `${names[i - 1]}\\u0000`);
          rvs.add(tm[1]);
        }
        assert.equal(rvs.size, 1, 'every page is read at the first page\'s revision');

        // Without chunking, one request.
        const one = await h.kubectl(['get', 'cm', '-n', ns, '--chunk-size=0', '-v=6']);
        assert.deepEqual(loggedPaths(one.stderr, `/api/v1/namespaces/${ns}/configmaps`), [`/api/v1/namespaces/${ns}/configmaps`]);
        const withoutAges = (out: string) => out.replace(/ (?:\d+[smhdy])+\n/g, ' <age>\n');
        assert.equal(withoutAges(one.stdout), withoutAges(r.stdout));
      } finally {
        await h.cleanup(names.map((n) => [ns, n] as [string, string]), [ns]);
      }
    });

    it('get --raw of a first page reports remainingItemCount as upstream', async () => {
      const ns = `remain-${t}`;
      const names = [1, 2, 3].map((i) => `rc-${i}-${t}`);
      try {
        await h.createNamespace(ns);
        for (const n of names) await h.createConfigMap(ns, configMap(n, {}));
        const r = await h.kubectl(['get', '--raw', `/api/v1/namespaces/${ns}/configmaps?limit=1`]);
        assert.equal(r.code, 0, r.stderr);
        const list = JSON.parse(r.stdout);
        assert.equal(list.items.length, 1);
        assert.equal(typeof list.metadata.continue, 'string');
        assert.equal(list.metadata.remainingItemCount, 2);
      } finally {
        await h.cleanup(names.map((n) => [ns, n] as [string, string]), [ns]);
      }
    });

    it('no client certificate: 401 Status JSON; kubectl with a bad token: "You must be logged in"', async () => {
      const raw = await anonymousGet(h.server, '/api/v1/namespaces');
      assert.equal(raw.status, 401);
      assert.equal(raw.contentType, 'application/json');
      assert.equal(raw.body, '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}');
      const cm = await anonymousGet(h.server, '/api/v1/namespaces/default/configmaps');
      assert.equal(cm.status, 401);
      assert.equal(cm.body, raw.body);
      // Health checks and /version stay open to anonymous clients.
      const ready = await anonymousGet(h.server, '/readyz');
      assert.deepEqual([ready.status, ready.body], [200, 'ok']);

      const kubeconfig = join(h.home, 'bad-token.kubeconfig');
      await writeFile(kubeconfig, [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: tskube',
        '  cluster:',
        `    server: https://127.0.0.1:${h.server.port}`,
        `    certificate-authority: ${join(h.server.dataDir, 'pki', 'ca.crt')}`,
        'users:',
        '- name: nobody',
        '  user:',
        '    token: not-a-valid-token',
        'contexts:',
        '- name: tskube',
        '  context: {cluster: tskube, user: nobody}',
        'current-context: tskube',
        '',
      ].join('\n'));
      // With the discovery cache of the earlier tests, the list request itself gets the 401 Status.
      const cached = await h.kubectl(['get', 'configmaps'], kubeconfig);
      assert.deepEqual(cached, { stdout: '', stderr: 'error: You must be logged in to the server (Unauthorized)\n', code: 1, signal: null });
      // With a fresh cache, discovery (GET /api, /apis) fails first, five times, then kubectl gives up.
      const freshHome = join(h.home, 'fresh-home');
      const r = await h.kubectl(['get', 'configmaps'], kubeconfig, freshHome);
      assert.equal(r.stdout, '');
      assert.equal(r.code, 1);
      const msg = "couldn't get current server API group list: the server has asked for the client to provide credentials";
      const klog = `E\\d{4} \\d{2}:\\d{2}:\\d{2}\\.\\d{6}\\s+\\d+ ${version.discoveryErrorLine(msg).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`;
      assert.match(r.stderr, new RegExp(`^(?:${klog}\\n){5}error: You must be logged in to the server \\(the server has asked for the client to provide credentials\\)\\n$`), r.stderr);
    });

    it('raw Status bodies of a NotFound and of a delete keep upstream\'s field order', async () => {
      const name = `status-${t}`;
      try {
        const created = await h.createConfigMap('default', configMap(name, {}));
        const del = await h.client.request('DELETE', `/api/v1/namespaces/default/configmaps/${name}`);
        assert.equal(del.status, 200);
        assert.equal(del.text, `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","details":{"name":"${name}","kind":"configmaps","uid":"${created.metadata.uid}"}}`);
        const missing = await h.client.request('GET', `/api/v1/namespaces/default/configmaps/${name}`);
        assert.equal(missing.status, 404);
        assert.equal(missing.text, `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \\"${name}\\" not found","reason":"NotFound","details":{"name":"${name}","kind":"configmaps"},"code":404}`);
      } finally {
        await h.cleanup([['default', name]]);
      }
    });
  });
}
