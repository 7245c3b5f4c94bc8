import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from './harness.js';

const NS = '/api/v1/namespaces/default';
const TABLE = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };
const b64 = (s: string) => Buffer.from(s).toString('base64');
type Row = { cells: unknown[] };

describe('core/v1 resources besides pods', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.stop(); });

  const table = async (path: string) => {
    const t = await h.client.request('GET', path, undefined, TABLE);
    assert.equal(t.status, 200, JSON.stringify(t.json));
    return {
      columns: t.json.columnDefinitions.map((c: { name: string; priority: number }) => (c.priority ? `${c.name}*` : c.name)),
      rows: t.json.rows.map((r: Row) => r.cells),
    };
  };
  const names = async (path: string) => (await h.client.request('GET', path)).json.items.map((o: { metadata: { name: string } }) => o.metadata.name);

  it('lists every resource in discovery with upstream\'s names, scope, short names and categories', async () => {
    const d = (await h.client.request('GET', '/api/v1')).json.resources as Array<Record<string, any>>;
    const want: Array<[string, string, string, boolean, string[] | undefined, string[] | undefined]> = [
      ['endpoints', 'endpoints', 'Endpoints', true, ['ep'], undefined],
      ['events', 'event', 'Event', true, ['ev'], undefined],
      ['limitranges', 'limitrange', 'LimitRange', true, ['limits'], undefined],
      ['nodes', 'node', 'Node', false, ['no'], undefined],
      ['persistentvolumeclaims', 'persistentvolumeclaim', 'PersistentVolumeClaim', true, ['pvc'], undefined],
      ['persistentvolumes', 'persistentvolume', 'PersistentVolume', false, ['pv'], undefined],
      ['podtemplates', 'podtemplate', 'PodTemplate', true, undefined, undefined],
      ['replicationcontrollers', 'replicationcontroller', 'ReplicationController', true, ['rc'], ['all']],
      ['resourcequotas', 'resourcequota', 'ResourceQuota', true, ['quota'], undefined],
      ['secrets', 'secret', 'Secret', true, undefined, undefined],
      ['serviceaccounts', 'serviceaccount', 'ServiceAccount', true, ['sa'], undefined],
    ];
    for (const [name, singular, kind, namespaced, shortNames, categories] of want) {
      const r = d.find((x) => x.name === name);
      assert.ok(r, name);
      assert.deepEqual([r!.singularName, r!.kind, r!.namespaced, r!.shortNames, r!.categories], [singular, kind, namespaced, shortNames, categories], name);
      assert.deepEqual(r!.verbs, ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], name);
    }
    const subs = d.filter((x) => x.name.includes('/')).map((x) => x.name);
    for (const s of ['nodes/status', 'persistentvolumeclaims/status', 'persistentvolumes/status', 'replicationcontrollers/scale', 'replicationcontrollers/status', 'resourcequotas/status']) {
      assert.ok(subs.includes(s), s);
    }
  });

  describe('secrets', () => {
    it('defaults the type to Opaque and folds stringData into data', async () => {
      const r = await h.client.request('POST', `${NS}/secrets`, { metadata: { name: 'creds' }, data: { a: b64('x') }, stringData: { user: 'admin', a: 'y' } });
      assert.equal(r.status, 201);
      assert.equal(r.json.type, 'Opaque');
      assert.deepEqual(r.json.data, { a: b64('y'), user: b64('admin') });
      assert.equal(r.json.stringData, undefined);
      const t = await table(`${NS}/secrets/creds`);
      assert.deepEqual(t.columns, ['Name', 'Type', 'Data', 'Age']);
      assert.deepEqual(t.rows[0].slice(0, 3), ['creds', 'Opaque', 2]);
    });

    it('requires tls.crt and tls.key in a TLS secret and valid data keys', async () => {
      const r = await h.client.request('POST', `${NS}/secrets`, { metadata: { name: 'tls' }, type: 'kubernetes.io/tls', data: { 'bad key': b64('x') } });
      assert.equal(r.status, 422);
      assert.equal(r.json.message, 'Secret "tls" is invalid: ['
        + 'data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, \'-\', \'_\' or \'.\' (e.g. \'key.name\',  or \'KEY_NAME\',  or \'key-name\', regex used for validation is \'[-._a-zA-Z0-9]+\'), '
        + 'data[tls.crt]: Required value, data[tls.key]: Required value]');
      assert.deepEqual(r.json.details.causes.slice(1), [
        { reason: 'FieldValueRequired', message: 'Required value', field: 'data[tls.crt]' },
        { reason: 'FieldValueRequired', message: 'Required value', field: 'data[tls.key]' },
      ]);
      const ok = await h.client.request('POST', `${NS}/secrets`, { metadata: { name: 'tls' }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c'), 'tls.key': b64('k') } });
      assert.equal(ok.status, 201);
    });

    it('checks service-account-token and docker config secrets', async () => {
      const sa = await h.client.request('POST', `${NS}/secrets`, { metadata: { name: 'tok' }, type: 'kubernetes.io/service-account-token' });
      assert.equal(sa.status, 422);
      assert.equal(sa.json.message, 'Secret "tok" is invalid: metadata.annotations[kubernetes.io/service-account.name]: Required value');
      const dc = await h.client.request('POST', `${NS}/secrets`, { metadata: { name: 'reg' }, type: 'kubernetes.io/dockerconfigjson', data: {} });
      assert.equal(dc.status, 422);
      assert.equal(dc.json.message, 'Secret "reg" is invalid: data[.dockerconfigjson]: Required value');
      const badJson = await h.client.request('POST', `${NS}/secrets`, { metadata: { name: 'reg' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{not json') } });
      assert.equal(badJson.status, 422);
      assert.match(badJson.json.message, /^Secret "reg" is invalid: data\[\.dockerconfigjson\]: Invalid value: "<secret contents redacted>": /);
      const good = await h.client.request('POST', `${NS}/secrets`, { metadata: { name: 'reg' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{"auths":{}}') } });
      assert.equal(good.status, 201);
      const basic = await h.client.request('POST', `${NS}/secrets`, { metadata: { name: 'basic' }, type: 'kubernetes.io/basic-auth' });
      assert.equal(basic.json.message, 'Secret "basic" is invalid: [data[%s][username]: Required value, data[%s][password]: Required value]');
    });

    it('keeps immutable secrets and secret types unchanged', async () => {
      await h.client.request('POST', `${NS}/secrets`, { metadata: { name: 'frozen' }, immutable: true, data: { k: b64('v') } });
      const cur = (await h.client.request('GET', `${NS}/secrets/frozen`)).json;
      const changed = await h.client.request('PUT', `${NS}/secrets/frozen`, { ...cur, data: { k: b64('w') } });
      assert.equal(changed.status, 422);
      assert.equal(changed.json.message, 'Secret "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set');
      const retyped = await h.client.request('PUT', `${NS}/secrets/frozen`, { ...cur, type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c'), 'tls.key': b64('k') } });
      assert.equal(retyped.status, 422);
      assert.equal(retyped.json.details.causes[0].message, 'Invalid value: "kubernetes.io/tls": field is immutable');
    });

    it('selects secrets by type', async () => {
      assert.deepEqual(await names(`${NS}/secrets?fieldSelector=type%3Dkubernetes.io%2Ftls`), ['tls']);
      assert.ok((await names(`${NS}/secrets?fieldSelector=type%3DOpaque`)).includes('creds'));
    });
  });

  describe('replication controllers', () => {
    const rc = (name: string, extra: Record<string, unknown> = {}) => ({
      metadata: { name },
      spec: { template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } }, ...extra },
    });

    it('defaults selector, labels and replicas from the template and starts at generation 1', async () => {
      const r = await h.client.request('POST', `${NS}/replicationcontrollers`, rc('frontend'));
      assert.equal(r.status, 201);
      assert.deepEqual(r.json.spec.selector, { app: 'frontend' });
      assert.deepEqual(r.json.metadata.labels, { app: 'frontend' });
      assert.equal(r.json.spec.replicas, 1);
      assert.equal(r.json.metadata.generation, 1);
      assert.deepEqual(r.json.status, { replicas: 0 });
      assert.equal(r.json.spec.template.spec.restartPolicy, 'Always');
      assert.equal(r.json.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
      const t = await table(`${NS}/replicationcontrollers/frontend`);
      assert.deepEqual(t.columns, ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers*', 'Images*', 'Selector*']);
      const cells = t.rows[0];
      assert.deepEqual([...cells.slice(0, 4), ...cells.slice(5)], ['frontend', 1, 0, 0, 'web', 'nginx:1.27', 'app=frontend']);
    });

    it('refuses a selector that does not match the template labels and a non-Always restart policy', async () => {
      const r = await h.client.request('POST', `${NS}/replicationcontrollers`, rc('mismatch', { selector: { app: 'other' } }));
      assert.equal(r.status, 422);
      assert.equal(r.json.message, 'ReplicationController "mismatch" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"mismatch"}: `selector` does not match template `labels`');
      const never = rc('never');
      (never.spec.template.spec as Record<string, unknown>).restartPolicy = 'Never';
      const n = await h.client.request('POST', `${NS}/replicationcontrollers`, never);
      assert.equal(n.json.message, 'ReplicationController "never" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"');
      const noTemplate = await h.client.request('POST', `${NS}/replicationcontrollers`, { metadata: { name: 'bare' }, spec: { selector: { a: 'b' } } });
      assert.equal(noTemplate.json.message, 'ReplicationController "bare" is invalid: spec.template: Required value');
      const neg = await h.client.request('POST', `${NS}/replicationcontrollers`, rc('neg', { replicas: -1 }));
      assert.equal(neg.json.message, 'ReplicationController "neg" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    });

    it('bumps the generation on spec changes only, and serves scale and status', async () => {
      const cur = (await h.client.request('GET', `${NS}/replicationcontrollers/frontend`)).json;
      cur.spec.replicas = 3;
      const u = await h.client.request('PUT', `${NS}/replicationcontrollers/frontend`, cur);
      assert.equal(u.json.metadata.generation, 2);
      u.json.metadata.labels.extra = 'yes';
      const l = await h.client.request('PUT', `${NS}/replicationcontrollers/frontend`, u.json);
      assert.equal(l.json.metadata.generation, 2);
      const scale = await h.client.request('GET', `${NS}/replicationcontrollers/frontend/scale`);
      assert.equal(scale.status, 200);
      assert.deepEqual([scale.json.kind, scale.json.spec, scale.json.status], ['Scale', { replicas: 3 }, { replicas: 0, selector: 'app=frontend' }]);
      l.json.status = { replicas: 3, readyReplicas: 2 };
      const st = await h.client.request('PUT', `${NS}/replicationcontrollers/frontend/status`, l.json);
      assert.equal(st.status, 200);
      assert.equal(st.json.metadata.generation, 2);
      assert.deepEqual(await names(`${NS}/replicationcontrollers?fieldSelector=status.replicas%3D3`), ['frontend']);
      const bad = structuredClone(st.json);
      bad.status = { replicas: 1, readyReplicas: 2 };
      const refused = await h.client.request('PUT', `${NS}/replicationcontrollers/frontend/status`, bad);
      assert.equal(refused.json.message, 'ReplicationController "frontend" is invalid: status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas');
    });
  });

  describe('nodes', () => {
    it('are cluster-scoped, keep a status given on create, and print upstream\'s columns', async () => {
      const r = await h.client.request('POST', '/api/v1/nodes', {
        metadata: { name: 'worker-1', labels: { 'node-role.kubernetes.io/worker': '' } },
        status: {
          capacity: { cpu: '4', memory: '8Gi', pods: '110' },
          conditions: [{ type: 'Ready', status: 'True' }],
          addresses: [{ type: 'InternalIP', address: '192.168.0.10' }],
          nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.0' },
        },
      });
      assert.equal(r.status, 201);
      assert.deepEqual(r.json.status.allocatable, { cpu: '4', memory: '8Gi', pods: '110' });
      await h.client.request('POST', '/api/v1/nodes', { metadata: { name: 'bare' }, spec: { unschedulable: true } });
      const t = await table('/api/v1/nodes');
      assert.deepEqual(t.columns, ['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP*', 'External-IP*', 'OS-Image*', 'Kernel-Version*', 'Container-Runtime*']);
      const byName = new Map<unknown, unknown[]>(t.rows.map((c: unknown[]) => [c[0], c]));
      const w = byName.get('worker-1')!;
      assert.deepEqual([...w.slice(0, 3), ...w.slice(4)], ['worker-1', 'Ready', 'worker', 'v1.32.0', '192.168.0.10', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0', 'containerd://1.7.0']);
      const b = byName.get('bare')!;
      assert.deepEqual([...b.slice(0, 3), ...b.slice(4)], ['bare', 'Unknown,SchedulingDisabled', '<none>', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
      assert.deepEqual(await names('/api/v1/nodes?fieldSelector=spec.unschedulable%3Dtrue'), ['bare']);
    });

    it('keep their status on update and take it through /status', async () => {
      const cur = (await h.client.request('GET', '/api/v1/nodes/bare')).json;
      cur.status = { conditions: [{ type: 'Ready', status: 'True' }] };
      const u = await h.client.request('PUT', '/api/v1/nodes/bare', cur);
      assert.equal(u.status, 200);
      assert.equal(u.json.status?.conditions, undefined);
      const s = await h.client.request('PUT', '/api/v1/nodes/bare/status', cur);
      assert.equal(s.status, 200);
      assert.deepEqual(s.json.status.conditions, [{ type: 'Ready', status: 'True' }]);
    });

    it('refuse an invalid taint', async () => {
      const r = await h.client.request('POST', '/api/v1/nodes', { metadata: { name: 'tainted' }, spec: { taints: [{ key: 'dedicated', value: 'x', effect: 'Sometimes' }] } });
      assert.equal(r.status, 422);
      assert.equal(r.json.message, 'Node "tainted" is invalid: spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"');
    });
  });

  describe('events', () => {
    const ev = (name: string, extra: Record<string, unknown> = {}) => ({
      metadata: { name },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u-1', apiVersion: 'v1', fieldPath: 'spec.containers{nginx}' },
      reason: 'Pulled', message: 'Successfully pulled image "nginx"  ', type: 'Normal', source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: new Date(Date.now() - 120_000).toISOString().replace(/\.\d+Z$/, 'Z'),
      lastTimestamp: new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
      count: 3, ...extra,
    });

    it('create, print and select by involved object, reason, source and type', async () => {
      assert.equal((await h.client.request('POST', `${NS}/events`, ev('web-1.a'))).status, 201);
      assert.equal((await h.client.request('POST', `${NS}/events`, ev('web-1.b', { reason: 'BackOff', type: 'Warning', involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-2' } }))).status, 201);
      const t = await table(`${NS}/events/web-1.a`);
      assert.deepEqual(t.columns, ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject*', 'Source*', 'Message', 'First Seen*', 'Count*', 'Name*']);
      assert.deepEqual(t.rows[0], ['60s', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{nginx}', 'kubelet, node-1', 'Successfully pulled image "nginx"', '2m', 3, 'web-1.a']);
      assert.deepEqual(await names(`${NS}/events?fieldSelector=involvedObject.name%3Dweb-1`), ['web-1.a']);
      assert.deepEqual(await names(`${NS}/events?fieldSelector=type%3DWarning,reason%3DBackOff`), ['web-1.b']);
      assert.deepEqual(await names(`${NS}/events?fieldSelector=source%3Dkubelet,involvedObject.kind%3DPod`), ['web-1.a', 'web-1.b']);
      assert.deepEqual(await names(`${NS}/events?fieldSelector=involvedObject.uid%3Du-1,involvedObject.fieldPath%3Dspec.containers%7Bnginx%7D`), ['web-1.a']);
    });

    it('require the involved object to be in the event\'s namespace', async () => {
      const r = await h.client.request('POST', `${NS}/events`, ev('stray', { involvedObject: { kind: 'Pod', namespace: 'other', name: 'x' } }));
      assert.equal(r.status, 422);
      assert.equal(r.json.message, 'Event "stray" is invalid: involvedObject.namespace: Invalid value: "other": does not match event.namespace');
    });
  });

  describe('pod templates, limit ranges, quotas, service accounts, endpoints', () => {
    it('pod templates default their template and print containers, images and pod labels', async () => {
      const r = await h.client.request('POST', `${NS}/podtemplates`, { metadata: { name: 'tpl' }, template: { metadata: { labels: { app: 'x', tier: 'db' } }, spec: { containers: [{ name: 'a', image: 'redis' }, { name: 'b', image: 'busybox:1' }] } } });
      assert.equal(r.status, 201);
      assert.equal(r.json.template.spec.dnsPolicy, 'ClusterFirst');
      assert.equal(r.json.metadata.generation, 1);
      const t = await table(`${NS}/podtemplates/tpl`);
      assert.deepEqual(t.columns, ['Name', 'Containers', 'Images', 'Pod Labels']);
      assert.deepEqual(t.rows[0], ['tpl', 'a,b', 'redis,busybox:1', 'app=x,tier=db']);
      const bad = await h.client.request('POST', `${NS}/podtemplates`, { metadata: { name: 'bad' }, template: { spec: { containers: [{ name: 'a' }] } } });
      assert.equal(bad.json.message, 'PodTemplate "bad" is invalid: template.spec.containers[0].image: Required value');
    });

    it('limit ranges default container limits and print Created At', async () => {
      const r = await h.client.request('POST', `${NS}/limitranges`, { metadata: { name: 'lim' }, spec: { limits: [{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' } }] } });
      assert.equal(r.status, 201);
      assert.deepEqual(r.json.spec.limits[0], { type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' }, default: { cpu: '2' }, defaultRequest: { cpu: '2', memory: '64Mi' } });
      const t = await table(`${NS}/limitranges/lim`);
      assert.deepEqual(t.columns, ['Name', 'Created At']);
      assert.deepEqual(t.rows[0], ['lim', r.json.metadata.creationTimestamp]);
      const bad = await h.client.request('POST', `${NS}/limitranges`, { metadata: { name: 'bad' }, spec: { limits: [{ type: 'Pod', default: { cpu: '1' } }] } });
      assert.equal(bad.json.message, 'LimitRange "bad" is invalid: spec.limits[0].default: Forbidden: may not be specified when `type` is \'Pod\'');
    });

    it('resource quotas start with an empty status and print used/hard from it', async () => {
      const r = await h.client.request('POST', `${NS}/resourcequotas`, { metadata: { name: 'q' }, spec: { hard: { pods: '10', 'requests.cpu': '4', 'limits.memory': '8Gi' } }, status: { hard: { pods: '1' } } });
      assert.equal(r.status, 201);
      assert.deepEqual(r.json.status, {});
      let t = await table(`${NS}/resourcequotas/q`);
      assert.deepEqual(t.columns, ['Name', 'Request', 'Limit', 'Age']);
      assert.deepEqual(t.rows[0].slice(0, 3), ['q', '', '']);
      r.json.status = { hard: { pods: '10', 'requests.cpu': '4', 'limits.memory': '8Gi' }, used: { pods: '2', 'requests.cpu': '500m' } };
      const s = await h.client.request('PUT', `${NS}/resourcequotas/q/status`, r.json);
      assert.equal(s.status, 200);
      t = await table(`${NS}/resourcequotas/q`);
      assert.deepEqual(t.rows[0].slice(0, 3), ['q', 'pods: 2/10, requests.cpu: 500m/4', 'limits.memory: 0/8Gi']);
      const bad = await h.client.request('POST', `${NS}/resourcequotas`, { metadata: { name: 'bad' }, spec: { hard: { widgets: '1' } } });
      assert.equal(bad.json.message, 'ResourceQuota "bad" is invalid: spec.hard[widgets]: Invalid value: "widgets": must be a standard resource for quota');
    });

    it('service accounts print their secret count and are returned on delete', async () => {
      const r = await h.client.request('POST', `${NS}/serviceaccounts`, { metadata: { name: 'builder' }, secrets: [{ name: 's1', namespace: 'default', kind: 'Secret' }] });
      assert.equal(r.status, 201);
      assert.deepEqual(r.json.secrets, [{ name: 's1' }]);
      const t = await table(`${NS}/serviceaccounts/builder`);
      assert.deepEqual(t.columns, ['Name', 'Secrets', 'Age']);
      assert.deepEqual(t.rows[0].slice(0, 2), ['builder', 1]);
      const d = await h.client.request('DELETE', `${NS}/serviceaccounts/builder`);
      assert.equal(d.status, 200);
      assert.equal(d.json.kind, 'ServiceAccount');
    });

    it('endpoints default port protocols, print ip:port and refuse bad addresses', async () => {
      const r = await h.client.request('POST', `${NS}/endpoints`, { metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }] }] });
      assert.equal(r.status, 201);
      assert.equal(r.json.subsets[0].ports[0].protocol, 'TCP');
      const t = await table(`${NS}/endpoints/web`);
      assert.deepEqual(t.columns, ['Name', 'Endpoints', 'Age']);
      assert.deepEqual(t.rows[0].slice(0, 2), ['web', '10.0.0.1:80,10.0.0.2:80']);
      const bad = await h.client.request('POST', `${NS}/endpoints`, { metadata: { name: 'bad' }, subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ port: 0 }] }] });
      assert.equal(bad.json.message, 'Endpoints "bad" is invalid: [subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128), '
        + 'subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive]');
    });
  });

  describe('persistent volumes and claims', () => {
    it('volumes default reclaim policy and mode, start Pending, and print upstream\'s columns', async () => {
      const r = await h.client.request('POST', '/api/v1/persistentvolumes', { metadata: { name: 'pv1' }, spec: { capacity: { storage: '1.5Gi' }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], hostPath: { path: '/data' }, storageClassName: 'manual' } });
      assert.equal(r.status, 201);
      assert.equal(r.json.spec.persistentVolumeReclaimPolicy, 'Retain');
      assert.equal(r.json.spec.volumeMode, 'Filesystem');
      assert.deepEqual(r.json.spec.hostPath, { path: '/data', type: '' });
      assert.equal(r.json.status.phase, 'Pending');
      const t = await table('/api/v1/persistentvolumes/pv1');
      assert.deepEqual(t.columns, ['Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age', 'VolumeMode*']);
      const c = t.rows[0];
      assert.deepEqual([...c.slice(0, 9), c[10]], ['pv1', '1536Mi', 'RWO,ROX', 'Retain', 'Pending', '', 'manual', '<unset>', '', 'Filesystem']);
      const bad = await h.client.request('POST', '/api/v1/persistentvolumes', { metadata: { name: 'bad' }, spec: { hostPath: { path: '/x' }, capacity: { storage: '1Gi' } } });
      assert.equal(bad.json.message, 'PersistentVolume "bad" is invalid: spec.accessModes: Required value');
      const d = await h.client.request('DELETE', '/api/v1/persistentvolumes/pv1');
      assert.equal(d.json.kind, 'PersistentVolume');
    });

    it('claims require storage, start Pending and keep their spec', async () => {
      const bad = await h.client.request('POST', `${NS}/persistentvolumeclaims`, { metadata: { name: 'bad' }, spec: { accessModes: ['ReadWriteOnce'] } });
      assert.equal(bad.status, 422);
      assert.equal(bad.json.message, 'PersistentVolumeClaim "bad" is invalid: spec.resources[storage]: Required value');
      const none = await h.client.request('POST', `${NS}/persistentvolumeclaims`, { metadata: { name: 'bad' }, spec: { resources: { requests: { storage: '1Gi' } } } });
      assert.equal(none.json.message, 'PersistentVolumeClaim "bad" is invalid: spec.accessModes: Required value: at least 1 access mode is required');
      const r = await h.client.request('POST', `${NS}/persistentvolumeclaims`, { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
      assert.equal(r.status, 201);
      assert.equal(r.json.spec.volumeMode, 'Filesystem');
      assert.deepEqual(r.json.status, { phase: 'Pending' });
      const t = await table(`${NS}/persistentvolumeclaims/data`);
      assert.deepEqual(t.columns, ['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode*']);
      const c = t.rows[0];
      assert.deepEqual([...c.slice(0, 7), c[8]], ['data', 'Pending', '', '', '', '', '<unset>', 'Filesystem']);
      r.json.spec.accessModes = ['ReadWriteMany'];
      const u = await h.client.request('PUT', `${NS}/persistentvolumeclaims/data`, r.json);
      assert.equal(u.status, 422);
      assert.ok(u.json.message.startsWith('PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n'), u.json.message);
      const d = await h.client.request('DELETE', `${NS}/persistentvolumeclaims/data`);
      assert.equal(d.json.kind, 'PersistentVolumeClaim');
    });
  });
});
