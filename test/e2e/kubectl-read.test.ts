/**
 * The real kubectl binaries (1.27, 1.32, 1.33) against a real `tskube up`: reads and watches —
 * version, health, get in its forms, -w, selectors, paging — and credentials. Every command's
 * stdout, stderr and exit code are compared with what kubectl prints against upstream.
 * Tests that expect upstream behaviour the server does not have yet are marked `todo`.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configMap, eventually } from '../support/client.js';
import { PLACEHOLDERS, assertOutput, anonymousGet, loggedPaths, SERVER_PLATFORM, describeEachKubectl, VERSIONS } from './kubectl-harness.js';

describeEachKubectl('', (h, version) => {
  const t = version.tag;

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
}, VERSIONS, 'server');
