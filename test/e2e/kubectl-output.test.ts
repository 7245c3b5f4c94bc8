/**
 * `kubectl get` in every output form — the server-side table, -o wide|json|yaml|name|jsonpath|
 * custom-columns|go-template, --show-labels, -L, -l, --field-selector, -A, --chunk-size, --sort-by,
 * `get all` and `get -w` — with the real kubectl 1.27, 1.29, 1.32 and 1.33 against one `tskube up`.
 * Every output is compared byte for byte with what kubectl prints against upstream v1.32; only
 * ages, uids, timestamps, resourceVersions and allocated IPs are placeholders.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, configMap } from '../support/client.js';
import { assertOutput, assertTable, describeKubectlSuite, loggedPaths, type Harness } from './kubectl-harness.js';

/** A Deployment body as a client would POST it. */
function deployment(name: string, replicas: number, containers: Array<{ name: string; image: string }>, labels: Record<string, string> = { app: name }): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers } },
    },
  };
}

/** POSTs `body` to `path` through the test client and returns the created object. */
async function create(h: Harness, path: string, body: Record<string, unknown>): Promise<any> {
  const r = await h.client.request('POST', path, body);
  assert.equal(r.status, 201, `POST ${path}: ${r.text}`);
  return r.json;
}

/** A function that runs `fn` once and hands every caller the same promise. */
function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= fn());
}

/** Recursively sorts object keys, as Go's encoding/json writes maps. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

/** The defaulted container upstream stores for `{name, image}` (an image with a tag). */
function defaultedContainer(name: string, image: string): Record<string, unknown> {
  return { image, imagePullPolicy: 'IfNotPresent', name, resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' };
}

describeKubectlSuite('kubectl get output forms', (h, version) => {
  const t = version.tag;
  const ns = () => h.namespace;
  const apps = () => `/apis/apps/v1/namespaces/${ns()}/deployments`;

  /** Two deployments, `api` (3 replicas, label tier=be) and `web` (2 replicas, two containers, tier=fe). */
  const fixtures = once(async () => {
    const api = await create(h, apps(), deployment('api', 3, [{ name: 'api', image: 'httpd:2.4' }], { app: 'api', tier: 'be' }));
    const web = await create(h, apps(), deployment('web', 2, [{ name: 'web', image: 'nginx:1.25' }, { name: 'sidecar', image: 'busybox:1.36' }], { app: 'web', tier: 'fe' }));
    return { api, web };
  });

  it('get deployments: the server-side table, READY 0/N without a controller', async () => {
    await fixtures();
    const r = await h.kubectl(['get', 'deployments']);
    assertTable(r.stdout, [
      ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
      ['api', '0/3', '0', '0', '{age}'],
      ['web', '0/2', '0', '0', '{age}'],
    ], 'get deployments');
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    // By name and by kind/name: the same rows.
    const named = await h.kubectl(['get', 'deploy/web', 'deployment.apps/api']);
    assertTable(named.stdout, [
      ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
      ['web', '0/2', '0', '0', '{age}'],
      ['api', '0/3', '0', '0', '{age}'],
    ], 'get deploy/web deployment.apps/api');
    assert.equal(named.code, 0);
  });

  it('get -o wide: CONTAINERS, IMAGES and SELECTOR columns', async () => {
    await fixtures();
    const r = await h.kubectl(['get', 'deploy', '-o', 'wide']);
    assertTable(r.stdout, [
      ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'],
      ['api', '0/3', '0', '0', '{age}', 'api', 'httpd:2.4', 'app=api'],
      ['web', '0/2', '0', '0', '{age}', 'web,sidecar', 'nginx:1.25,busybox:1.36', 'app=web'],
    ], 'get deploy -o wide');
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
  });

  it('get --show-labels: a LABELS column, keys sorted', async () => {
    await fixtures();
    const r = await h.kubectl(['get', 'deploy', '--show-labels']);
    assertTable(r.stdout, [
      ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'LABELS'],
      ['api', '0/3', '0', '0', '{age}', 'app=api,tier=be'],
      ['web', '0/2', '0', '0', '{age}', 'app=web,tier=fe'],
    ], 'get deploy --show-labels');
    assert.equal(r.code, 0);
  });

  it('get -L: one column per label key, empty when the label is missing', async () => {
    await fixtures();
    const r = await h.kubectl(['get', 'deploy', '-L', 'tier', '-L', 'missing,app']);
    assertTable(r.stdout, [
      ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'TIER', 'MISSING', 'APP'],
      ['api', '0/3', '0', '0', '{age}', 'be', '', 'api'],
      ['web', '0/2', '0', '0', '{age}', 'fe', '', 'web'],
    ], 'get deploy -L');
    assert.equal(r.code, 0);
  });

  it('get -l: equality, set-based and no match', async () => {
    await fixtures();
    const eq = await h.kubectl(['get', 'deploy', '-l', 'tier=fe']);
    assertTable(eq.stdout, [['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], ['web', '0/2', '0', '0', '{age}']], 'get -l tier=fe');
    assert.equal(eq.code, 0);
    const set = await h.kubectl(['get', 'deploy', '-l', 'tier in (fe,be),app!=web']);
    assertTable(set.stdout, [['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], ['api', '0/3', '0', '0', '{age}']], 'get -l set-based');
    assert.equal(set.code, 0);
    const none = await h.kubectl(['get', 'deploy', '-l', 'app=nope']);
    assert.deepEqual(none, { stdout: '', stderr: `No resources found in ${ns()} namespace.\n`, code: 0, signal: null });
  });

  it('get --field-selector: metadata.name, and an unsupported field refused', async () => {
    await fixtures();
    const r = await h.kubectl(['get', 'deploy', '--field-selector', 'metadata.name=web']);
    assertTable(r.stdout, [['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], ['web', '0/2', '0', '0', '{age}']], 'field selector metadata.name');
    assert.equal(r.code, 0);
    const ne = await h.kubectl(['get', 'deploy', '--field-selector', 'metadata.name!=web', '-o', 'name']);
    assert.deepEqual(ne, { stdout: 'deployment.apps/api\n', stderr: '', code: 0, signal: null });
    const bad = await h.kubectl(['get', 'deploy', '--field-selector', 'spec.replicas=2']);
    assert.deepEqual(bad, {
      stdout: '',
      stderr: 'Error from server (BadRequest): Unable to find "apps/v1, Resource=deployments" that match label selector "", field selector "spec.replicas=2": "spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"\n',
      code: 1,
      signal: null,
    });
  });

  it('get -A: a NAMESPACE column; several kinds give one table each', async () => {
    const other = `other-${t}`;
    await h.createNamespace(other);
    await create(h, `/apis/apps/v1/namespaces/${other}/deployments`, deployment('two', 1, [{ name: 'c', image: 'nginx:1.25' }], { app: 'two', ver: t }));
    await create(h, apps(), deployment('one', 1, [{ name: 'c', image: 'nginx:1.25' }], { app: 'one', ver: t }));
    await h.createConfigMap(ns(), configMap('cm-one', { k: 'v' }, { labels: { ver: t } }));
    const r = await h.kubectl(['get', 'deployments,configmaps', '-A', '-l', `ver=${t}`]);
    const deployTable = [
      ['NAMESPACE', 'NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
      [ns(), 'deployment.apps/one', '0/1', '0', '0', '{age}'],
      [other, 'deployment.apps/two', '0/1', '0', '0', '{age}'],
    ];
    const cmTable = [
      ['NAMESPACE', 'NAME', 'DATA', 'AGE'],
      [ns(), 'configmap/cm-one', '1', '{age}'],
    ];
    const [first, second] = r.stdout.split('\n\n');
    assert.ok(second !== undefined, `two tables separated by an empty line:\n${r.stdout}`);
    assertTable(`${first}\n`, deployTable, 'get -A: the deployments');
    assertTable(second, cmTable, 'get -A: the configmaps');
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
  });

  it('get --chunk-size: one request per page, the same table', async () => {
    await fixtures();
    const r = await h.kubectl(['get', 'deploy', '-l', 'tier', '--chunk-size=1', '-v=6']);
    assertTable(r.stdout, [
      ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
      ['api', '0/3', '0', '0', '{age}'],
      ['web', '0/2', '0', '0', '{age}'],
    ], 'get --chunk-size=1');
    assert.equal(r.code, 0);
    const paths = loggedPaths(r.stderr, `/apis/apps/v1/namespaces/${ns()}/deployments`);
    assert.equal(paths.length, 2, `requests: ${JSON.stringify(paths)}`);
    assert.equal(paths[0], `/apis/apps/v1/namespaces/${ns()}/deployments?labelSelector=tier&limit=1`);
    assert.match(paths[1], new RegExp(`^/apis/apps/v1/namespaces/${ns()}/deployments\\?continue=[A-Za-z0-9_-]+&labelSelector=tier&limit=1$`));
  });

  it('get --sort-by: rows ordered by a field of the object', async () => {
    await fixtures();
    const r = await h.kubectl(['get', 'deploy', '-l', 'tier', '--sort-by=.spec.replicas']);
    assertTable(r.stdout, [
      ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
      ['web', '0/2', '0', '0', '{age}'],
      ['api', '0/3', '0', '0', '{age}'],
    ], 'get --sort-by=.spec.replicas');
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    const names = await h.kubectl(['get', 'deploy', '-l', 'tier', '--sort-by={.spec.template.spec.containers[0].image}', '-o', 'name']);
    assert.deepEqual(names, { stdout: 'deployment.apps/api\ndeployment.apps/web\n', stderr: '', code: 0, signal: null });
  });

  it('get -o name', async () => {
    await fixtures();
    const r = await h.kubectl(['get', 'deploy', '-l', 'tier', '-o', 'name']);
    assert.deepEqual(r, { stdout: 'deployment.apps/api\ndeployment.apps/web\n', stderr: '', code: 0, signal: null });
  });

  it('get -o json: the stored object with every upstream default, managedFields hidden', async () => {
    const { web } = await fixtures();
    const m = web.metadata;
    const expected = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        creationTimestamp: m.creationTimestamp,
        generation: 1,
        labels: { app: 'web', tier: 'fe' },
        name: 'web',
        namespace: ns(),
        resourceVersion: m.resourceVersion,
        uid: m.uid,
      },
      spec: {
        progressDeadlineSeconds: 600,
        replicas: 2,
        revisionHistoryLimit: 10,
        selector: { matchLabels: { app: 'web' } },
        strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
        template: {
          metadata: { creationTimestamp: null, labels: { app: 'web' } },
          spec: {
            containers: [defaultedContainer('web', 'nginx:1.25'), defaultedContainer('sidecar', 'busybox:1.36')],
            dnsPolicy: 'ClusterFirst',
            restartPolicy: 'Always',
            schedulerName: 'default-scheduler',
            securityContext: {},
            terminationGracePeriodSeconds: 30,
          },
        },
      },
      status: {},
    };
    const r = await h.kubectl(['get', 'deploy', 'web', '-o', 'json']);
    assert.equal(r.stdout, `${JSON.stringify(sortKeys(expected), null, 4)}\n`);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
  });

  it('get -o yaml: the stored object as upstream serialises it', async () => {
    const { api } = await fixtures();
    const m = api.metadata;
    const r = await h.kubectl(['get', 'deploy', 'api', '-o', 'yaml']);
    assert.equal(r.stdout, [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  creationTimestamp: "${m.creationTimestamp}"`,
      '  generation: 1',
      '  labels:',
      '    app: api',
      '    tier: be',
      '  name: api',
      `  namespace: ${ns()}`,
      `  resourceVersion: "${m.resourceVersion}"`,
      `  uid: ${m.uid}`,
      'spec:',
      '  progressDeadlineSeconds: 600',
      '  replicas: 3',
      '  revisionHistoryLimit: 10',
      '  selector:',
      '    matchLabels:',
      '      app: api',
      '  strategy:',
      '    rollingUpdate:',
      '      maxSurge: 25%',
      '      maxUnavailable: 25%',
      '    type: RollingUpdate',
      '  template:',
      '    metadata:',
      '      creationTimestamp: null',
      '      labels:',
      '        app: api',
      '    spec:',
      '      containers:',
      '      - image: httpd:2.4',
      '        imagePullPolicy: IfNotPresent',
      '        name: api',
      '        resources: {}',
      '        terminationMessagePath: /dev/termination-log',
      '        terminationMessagePolicy: File',
      '      dnsPolicy: ClusterFirst',
      '      restartPolicy: Always',
      '      schedulerName: default-scheduler',
      '      securityContext: {}',
      '      terminationGracePeriodSeconds: 30',
      'status: {}',
      '',
    ].join('\n'));
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    // A list comes back as a v1 List with an empty resourceVersion.
    const list = await h.kubectl(['get', 'deploy', '-l', 'tier=be', '-o', 'yaml']);
    assert.equal(list.code, 0);
    assert.ok(list.stdout.startsWith('apiVersion: v1\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n'), list.stdout);
    assert.ok(list.stdout.endsWith('  status: {}\nkind: List\nmetadata:\n  resourceVersion: ""\n'), list.stdout);
  });

  it('get -o jsonpath: lists, ranges, a single object and a missing field', async () => {
    await fixtures();
    const names = await h.kubectl(['get', 'deploy', '-l', 'tier', '-o', 'jsonpath={.items[*].metadata.name}']);
    assert.deepEqual(names, { stdout: 'api web', stderr: '', code: 0, signal: null });
    const range = await h.kubectl(['get', 'deploy', '-l', 'tier', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.spec.replicas}{"\\n"}{end}']);
    assert.deepEqual(range, { stdout: 'api\t3\nweb\t2\n', stderr: '', code: 0, signal: null });
    const images = await h.kubectl(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].image}']);
    assert.deepEqual(images, { stdout: 'nginx:1.25 busybox:1.36', stderr: '', code: 0, signal: null });
    const filter = await h.kubectl(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[?(@.name=="sidecar")].image}']);
    assert.deepEqual(filter, { stdout: 'busybox:1.36', stderr: '', code: 0, signal: null });
    const missing = await h.kubectl(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.nope}']);
    assert.deepEqual(missing, { stdout: '', stderr: '', code: 0, signal: null });
  });

  it('get -o custom-columns: a table of the chosen fields, <none> when absent', async () => {
    await fixtures();
    const r = await h.kubectl(['get', 'deploy', '-l', 'tier', '-o', 'custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas,IMAGES:.spec.template.spec.containers[*].image,PAUSED:.spec.paused']);
    assertTable(r.stdout, [
      ['NAME', 'REPLICAS', 'IMAGES', 'PAUSED'],
      ['api', '3', 'httpd:2.4', '<none>'],
      ['web', '2', 'nginx:1.25,busybox:1.36', '<none>'],
    ], 'custom-columns');
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
  });

  it('get -o go-template', async () => {
    await fixtures();
    const r = await h.kubectl(['get', 'deploy', '-l', 'tier', '-o', 'go-template={{range .items}}{{.metadata.name}}={{.spec.replicas}};{{end}}']);
    assert.deepEqual(r, { stdout: 'api=3;web=2;', stderr: '', code: 0, signal: null });
  });

  it('get pods: Pending without a scheduler; -o wide adds IP, NODE, NOMINATED NODE, READINESS GATES', async () => {
    await create(h, `/api/v1/namespaces/${ns()}/pods`, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1', labels: { run: 'p1' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] },
    });
    const r = await h.kubectl(['get', 'pods']);
    assertTable(r.stdout, [['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'], ['p1', '0/1', 'Pending', '0', '{age}']], 'get pods');
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    const wide = await h.kubectl(['get', 'po', 'p1', '-o', 'wide']);
    assertTable(wide.stdout, [
      ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
      ['p1', '0/1', 'Pending', '0', '{age}', '<none>', '<none>', '<none>', '<none>'],
    ], 'get pod -o wide');
    assert.equal(wide.code, 0);
    // Pod field selectors: status.phase and an unscheduled spec.nodeName.
    const phase = await h.kubectl(['get', 'pods', '--field-selector', 'status.phase=Pending,spec.nodeName=', '-o', 'name']);
    assert.deepEqual(phase, { stdout: 'pod/p1\n', stderr: '', code: 0, signal: null });
    const running = await h.kubectl(['get', 'pods', '--field-selector', 'status.phase=Running']);
    assert.deepEqual(running, { stdout: '', stderr: `No resources found in ${ns()} namespace.\n`, code: 0, signal: null });
    const bad = await h.kubectl(['get', 'pods', '--field-selector', 'spec.bogus=x']);
    assert.deepEqual(bad, {
      stdout: '',
      stderr: 'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "spec.bogus=x": field label not supported: spec.bogus\n',
      code: 1,
      signal: null,
    });
  });

  it('get all: one table per kind of the "all" category, kind-qualified names', async () => {
    const inNs = `all-${t}`;
    await h.createNamespace(inNs);
    await create(h, `/apis/apps/v1/namespaces/${inNs}/deployments`, deployment('dp', 1, [{ name: 'c', image: 'nginx:1.25' }]));
    await create(h, `/api/v1/namespaces/${inNs}/services`, {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { selector: { app: 'dp' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    await h.createConfigMap(inNs, configMap('not-in-all', {}));
    const r = await h.kubectl(['get', 'all', '-n', inNs]);
    const [svc, dep] = r.stdout.split('\n\n');
    assert.ok(dep !== undefined, `two tables:\n${r.stdout}`);
    assertTable(`${svc}\n`, [
      ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
      ['service/svc', 'ClusterIP', '{ip}', '<none>', '80/TCP', '{age}'],
    ], 'get all: services');
    assertTable(dep, [
      ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
      ['deployment.apps/dp', '0/1', '0', '0', '{age}'],
    ], 'get all: deployments');
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    const empty = await h.kubectl(['get', 'all', '-n', 'kube-public']);
    assert.deepEqual(empty, { stdout: '', stderr: 'No resources found in kube-public namespace.\n', code: 0, signal: null });
  });

  it('get -w: the rows of changes another client makes, then the deletion', async () => {
    await create(h, apps(), deployment('watched', 1, [{ name: 'c', image: 'nginx:1.25' }]));
    const w = h.spawnKubectl(['get', 'deploy', 'watched', '-w']);
    try {
      await eventually(() => w.out().split('\n').length >= 3, 15_000, 'the initial row of the watch');
      const p = await h.client.request('PATCH', `${apps()}/watched`, { spec: { replicas: 4 } }, { 'Content-Type': 'application/merge-patch+json' });
      assert.equal(p.status, 200, p.text);
      await eventually(() => w.out().split('\n').length >= 4, 15_000, 'the row of the scale-up');
      const d = await h.client.request('DELETE', `${apps()}/watched`);
      assert.equal(d.status, 200, d.text);
      await eventually(() => w.out().split('\n').length >= 5, 15_000, 'the row of the deletion');
      await new Promise((r) => setTimeout(r, 300));
      assertOutput(w.out(), [
        'NAME      READY   UP-TO-DATE   AVAILABLE   AGE',
        'watched   0/1     0            0           {age}',
        'watched   0/4     0            0           {age}',
        'watched   0/4     0            0           {age}',
      ], 'get deploy watched -w');
      assert.equal(w.err(), '');
    } finally {
      await w.stop();
    }
  });

  it('get of a missing object: NotFound, exit code 1; --ignore-not-found', async () => {
    const r = await h.kubectl(['get', 'deploy', 'nope']);
    assert.deepEqual(r, { stdout: '', stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n', code: 1, signal: null });
    const ignored = await h.kubectl(['get', 'deploy', 'nope', '--ignore-not-found']);
    assert.deepEqual(ignored, { stdout: '', stderr: '', code: 0, signal: null });
  });
}, { command: 'server' });
