/**
 * Discovery-driven commands with the real kubectl 1.27, 1.29, 1.32 and 1.33 against one `tskube up`:
 * `version`, `api-resources` (the whole table and one group, -o wide, -o name), `api-versions`,
 * `explain` (1.27 needs OpenAPI v2 before it reads v3; 1.29+ read v3 only), `cluster-info` and an
 * unknown resource type. Layouts are kubectl's own; the rows are what upstream v1.32 serves.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { SERVER_PLATFORM, assertTable, describeKubectlSuite, renderTable } from './kubectl-harness.js';

/** One `api-resources` row: NAME, SHORTNAMES, APIVERSION, NAMESPACED, KIND. */
type ResourceRow = [string, string, string, string, string];

/** The core (v1) rows upstream v1.32 lists, by name. */
const CORE_ROWS: ResourceRow[] = [
  ['bindings', '', 'v1', 'true', 'Binding'],
  ['componentstatuses', 'cs', 'v1', 'false', 'ComponentStatus'],
  ['configmaps', 'cm', 'v1', 'true', 'ConfigMap'],
  ['endpoints', 'ep', 'v1', 'true', 'Endpoints'],
  ['events', 'ev', 'v1', 'true', 'Event'],
  ['limitranges', 'limits', 'v1', 'true', 'LimitRange'],
  ['namespaces', 'ns', 'v1', 'false', 'Namespace'],
  ['nodes', 'no', 'v1', 'false', 'Node'],
  ['persistentvolumeclaims', 'pvc', 'v1', 'true', 'PersistentVolumeClaim'],
  ['persistentvolumes', 'pv', 'v1', 'false', 'PersistentVolume'],
  ['pods', 'po', 'v1', 'true', 'Pod'],
  ['podtemplates', '', 'v1', 'true', 'PodTemplate'],
  ['replicationcontrollers', 'rc', 'v1', 'true', 'ReplicationController'],
  ['resourcequotas', 'quota', 'v1', 'true', 'ResourceQuota'],
  ['secrets', '', 'v1', 'true', 'Secret'],
  ['serviceaccounts', 'sa', 'v1', 'true', 'ServiceAccount'],
  ['services', 'svc', 'v1', 'true', 'Service'],
];

/** The apps/v1 rows. */
const APPS_ROWS: ResourceRow[] = [
  ['controllerrevisions', '', 'apps/v1', 'true', 'ControllerRevision'],
  ['daemonsets', 'ds', 'apps/v1', 'true', 'DaemonSet'],
  ['deployments', 'deploy', 'apps/v1', 'true', 'Deployment'],
  ['replicasets', 'rs', 'apps/v1', 'true', 'ReplicaSet'],
  ['statefulsets', 'sts', 'apps/v1', 'true', 'StatefulSet'],
];

/** Rows of the other groups tskube serves, each group's preferred version only. */
const OTHER_ROWS: ResourceRow[] = [
  ['horizontalpodautoscalers', 'hpa', 'autoscaling/v2', 'true', 'HorizontalPodAutoscaler'],
  ['cronjobs', 'cj', 'batch/v1', 'true', 'CronJob'],
  ['jobs', '', 'batch/v1', 'true', 'Job'],
  ['leases', '', 'coordination.k8s.io/v1', 'true', 'Lease'],
  ['endpointslices', '', 'discovery.k8s.io/v1', 'true', 'EndpointSlice'],
  ['events', 'ev', 'events.k8s.io/v1', 'true', 'Event'],
  ['ingressclasses', '', 'networking.k8s.io/v1', 'false', 'IngressClass'],
  ['ingresses', 'ing', 'networking.k8s.io/v1', 'true', 'Ingress'],
  ['networkpolicies', 'netpol', 'networking.k8s.io/v1', 'true', 'NetworkPolicy'],
  ['poddisruptionbudgets', 'pdb', 'policy/v1', 'true', 'PodDisruptionBudget'],
  ['clusterrolebindings', '', 'rbac.authorization.k8s.io/v1', 'false', 'ClusterRoleBinding'],
  ['clusterroles', '', 'rbac.authorization.k8s.io/v1', 'false', 'ClusterRole'],
  ['rolebindings', '', 'rbac.authorization.k8s.io/v1', 'true', 'RoleBinding'],
  ['roles', '', 'rbac.authorization.k8s.io/v1', 'true', 'Role'],
  ['priorityclasses', 'pc', 'scheduling.k8s.io/v1', 'false', 'PriorityClass'],
];

const HEADER: ResourceRow = ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'];

/** The cells of a tab-aligned table, cut at the header's column starts. */
function parseTable(text: string): string[][] {
  const lines = text.split('\n').filter((l) => l !== '');
  const starts = [...lines[0].matchAll(/\S+(?: \S+)*/g)].map((m) => m.index ?? 0);
  return lines.map((l) => starts.map((s, i) => l.slice(s, i + 1 < starts.length ? starts[i + 1] : undefined).trim()));
}

/** `text` word-wrapped at `width` columns, greedily, paragraph by paragraph. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    out.push(line);
  }
  return out;
}

describeKubectlSuite('kubectl discovery, explain and cluster-info', (h, version) => {
  const minor = Number(version.minor.split('.')[1]);

  it('version: the client lines, the server\'s v1.32.5 and the skew warning', async () => {
    const r = await h.kubectl(['version']);
    const serverLine = version.legacyVersionOutput
      ? `Server Version: version.Info{Major:"1", Minor:"32", GitVersion:"v1.32.5", GitCommit:"tskube", GitTreeState:"clean", BuildDate:"2026-01-01T00:00:00Z", GoVersion:"node ${process.version}", Compiler:"tsc", Platform:"${SERVER_PLATFORM}"}`
      : 'Server Version: v1.32.5';
    assert.deepEqual(r, { stdout: [...version.clientLines, serverLine].map((l) => `${l}\n`).join(''), stderr: version.versionStderr, code: 0, signal: null });
  });

  it('api-resources --api-group=apps: the apps/v1 table', async () => {
    const r = await h.kubectl(['api-resources', '--api-group=apps']);
    assert.deepEqual(r, { stdout: renderTable([HEADER, ...APPS_ROWS]), stderr: '', code: 0, signal: null });
  });

  it('api-resources --api-group=apps -o wide: VERBS and CATEGORIES', async () => {
    const r = await h.kubectl(['api-resources', '--api-group=apps', '-o', 'wide']);
    const verbs = 'create,delete,deletecollection,get,list,patch,update,watch';
    assert.deepEqual(r, {
      stdout: renderTable([[...HEADER, 'VERBS', 'CATEGORIES'], ...APPS_ROWS.map((row) => [...row, verbs, row[0] === 'controllerrevisions' ? '' : 'all'])]),
      stderr: '',
      code: 0,
      signal: null,
    });
  });

  it('api-resources --api-group=: every core resource upstream serves', async () => {
    const r = await h.kubectl(['api-resources', '--api-group=']);
    assert.equal(r.stdout, renderTable([HEADER, ...CORE_ROWS]));
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
  });

  it('api-resources: the whole table, grouped by API group, names sorted within a group', async () => {
    const r = await h.kubectl(['api-resources']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    const rows = parseTable(r.stdout);
    assert.deepEqual(rows[0], HEADER);
    // The layout is kubectl's tab writer's (columns as wide as their widest cell plus three).
    assert.equal(r.stdout, renderTable(rows));
    const body = rows.slice(1);
    const group = (row: string[]) => (row[2].includes('/') ? row[2].split('/')[0] : '');
    const order = body.map((row) => `${group(row)} ${row[0]}`);
    assert.deepEqual(order, [...order].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), 'sorted by group, then name');
    const byKey = new Map(body.map((row) => [`${row[2]} ${row[0]}`, row.join(' | ')]));
    const missing: string[] = [];
    for (const want of [...CORE_ROWS, ...APPS_ROWS, ...OTHER_ROWS]) {
      const got = byKey.get(`${want[2]} ${want[0]}`);
      if (got !== want.join(' | ')) missing.push(`${want.join(' | ')} (got ${got ?? 'nothing'})`);
    }
    assert.deepEqual(missing, [], r.stdout);
    // Only each group's preferred version is listed.
    assert.equal(body.filter((row) => row[0] === 'horizontalpodautoscalers').length, 1);
  });

  it('api-resources -o name: resource.group names', async () => {
    const r = await h.kubectl(['api-resources', '--api-group=batch', '-o', 'name']);
    assert.deepEqual(r, { stdout: 'cronjobs.batch\njobs.batch\n', stderr: '', code: 0, signal: null });
    const core = await h.kubectl(['api-resources', '--api-group=', '--namespaced=false', '-o', 'name']);
    assert.deepEqual(core, { stdout: 'componentstatuses\nnamespaces\nnodes\npersistentvolumes\n', stderr: '', code: 0, signal: null });
  });

  it('api-versions: sorted group/versions, with every group tskube serves', async () => {
    const r = await h.kubectl(['api-versions']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    const lines = r.stdout.trimEnd().split('\n');
    assert.deepEqual(lines, [...lines].sort(), 'sorted');
    for (const gv of ['apps/v1', 'autoscaling/v1', 'autoscaling/v2', 'batch/v1', 'coordination.k8s.io/v1', 'discovery.k8s.io/v1', 'events.k8s.io/v1', 'networking.k8s.io/v1', 'policy/v1', 'rbac.authorization.k8s.io/v1', 'scheduling.k8s.io/v1', 'v1']) {
      assert.ok(lines.includes(gv), `${gv} missing from\n${r.stdout}`);
    }
  });

  it('explain deployment.spec.replicas: the field\'s type and the description the OpenAPI schema carries', async () => {
    const root = (await h.client.request('GET', '/openapi/v3')).json;
    const doc = (await h.client.request('GET', root.paths['apis/apps/v1'].serverRelativeURL)).json;
    const description: string = doc.components.schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.replicas.description;
    assert.equal(typeof description, 'string');
    const r = await h.kubectl(['explain', 'deployment.spec.replicas']);
    // kubectl 1.32 and 1.33 print one more empty line after FIELD than 1.27 and 1.29 (their templates).
    assert.deepEqual(r, {
      stdout: [
        'GROUP:      apps',
        'KIND:       Deployment',
        'VERSION:    v1',
        '',
        'FIELD: replicas <integer>',
        '',
        ...(minor >= 32 ? [''] : []),
        'DESCRIPTION:',
        ...wrap(description, 76).map((l) => `    ${l}`),
        '    ',
        '',
        '',
      ].join('\n'),
      stderr: '',
      code: 0,
      signal: null,
    });
  });

  it('explain deployment.spec.bogus: the field does not exist', async () => {
    const r = await h.kubectl(['explain', 'deployment.spec.bogus']);
    assert.deepEqual(r, {
      stdout: 'GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n',
      stderr: 'error: field "bogus" does not exist\n',
      code: 1,
      signal: null,
    });
  });

  it('cluster-info: where the control plane runs', async () => {
    const r = await h.kubectl(['cluster-info']);
    const url = `https://127.0.0.1:${h.server.port}`;
    // kubectl 1.27 and 1.29 colour the line even when stdout is not a terminal.
    const first = minor < 32 ? `\x1b[0;32mKubernetes control plane\x1b[0m is running at \x1b[0;33m${url}\x1b[0m` : `Kubernetes control plane is running at ${url}`;
    assert.deepEqual(r, {
      stdout: `${first}\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`,
      stderr: '',
      code: 0,
      signal: null,
    });
  });

  it('get of an unknown resource type: the error after discovery is refreshed', async () => {
    const r = await h.kubectl(['get', 'foos']);
    assert.deepEqual(r, { stdout: '', stderr: 'error: the server doesn\'t have a resource type "foos"\n', code: 1, signal: null });
    assertTable((await h.kubectl(['get', 'ns', h.namespace])).stdout, [['NAME', 'STATUS', 'AGE'], [h.namespace, 'Active', '{age}']], 'get ns after a refresh');
  });
}, { command: 'server' });
