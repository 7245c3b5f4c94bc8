import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from './harness.js';

const AGG_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const AGG_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('discovery, version, health and metrics', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.stop(); });

  it('/version reports a v1.32 server', async () => {
    const r = await h.client.request('GET', '/version');
    assert.equal(r.status, 200);
    assert.equal(r.json.major, '1');
    assert.equal(r.json.minor, '32');
    assert.equal(r.json.gitVersion, 'v1.32.5');
    assert.equal(r.json.platform, 'linux/amd64');
  });

  it('/api and /apis answer the legacy forms to a plain Accept', async () => {
    const api = await h.client.request('GET', '/api');
    assert.equal(api.headers['content-type'], 'application/json');
    assert.deepEqual(api.json.versions, ['v1']);
    assert.equal(api.json.kind, 'APIVersions');
    const apis = await h.client.request('GET', '/apis');
    assert.equal(apis.json.kind, 'APIGroupList');
    assert.deepEqual(apis.json.groups.map((g: any) => g.name), [
      'apps', 'events.k8s.io', 'autoscaling', 'batch', 'networking.k8s.io', 'policy', 'rbac.authorization.k8s.io', 'scheduling.k8s.io',
      'coordination.k8s.io', 'discovery.k8s.io',
    ]);
    assert.deepEqual(apis.json.groups.find((g: any) => g.name === 'autoscaling'), {
      name: 'autoscaling',
      versions: [{ groupVersion: 'autoscaling/v2', version: 'v2' }, { groupVersion: 'autoscaling/v1', version: 'v1' }],
      preferredVersion: { groupVersion: 'autoscaling/v2', version: 'v2' },
    });
  });

  it('/api/v1 lists the served resources with short names and verbs', async () => {
    const r = await h.client.request('GET', '/api/v1');
    assert.equal(r.json.kind, 'APIResourceList');
    assert.equal(r.json.groupVersion, 'v1');
    const byName = Object.fromEntries(r.json.resources.map((x: any) => [x.name, x]));
    assert.deepEqual(Object.keys(byName).filter((n) => !n.includes('/')), [
      'bindings', 'componentstatuses', 'configmaps', 'endpoints', 'events', 'limitranges', 'namespaces', 'nodes', 'persistentvolumeclaims', 'persistentvolumes', 'pods',
      'podtemplates', 'replicationcontrollers', 'resourcequotas', 'secrets', 'serviceaccounts', 'services',
    ]);
    assert.deepEqual(byName['pods/status'], { name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch', 'update'] });
    assert.deepEqual(byName.pods.categories, ['all']);
    assert.equal(byName.configmaps.namespaced, true);
    assert.deepEqual(byName.configmaps.shortNames, ['cm']);
    assert.deepEqual(byName.configmaps.verbs, ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
    assert.equal(byName.namespaces.namespaced, false);
    assert.deepEqual(byName.namespaces.shortNames, ['ns']);
    assert.equal(byName.namespaces.kind, 'Namespace');
  });

  it('negotiates aggregated discovery v2 and v2beta1 by the Accept header', async () => {
    const v2 = await h.client.request('GET', '/api', undefined, { Accept: AGG_V2 });
    assert.equal(v2.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    assert.equal(v2.headers.vary, 'Accept');
    assert.ok(v2.headers.etag);
    assert.equal(v2.json.apiVersion, 'apidiscovery.k8s.io/v2');
    const core = v2.json.items[0];
    assert.equal(core.metadata.name, '');
    const cm = core.versions[0].resources.find((x: any) => x.resource === 'configmaps');
    assert.deepEqual(cm, {
      resource: 'configmaps', responseKind: { group: '', version: 'v1', kind: 'ConfigMap' }, scope: 'Namespaced', singularResource: 'configmap',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['cm'],
    });
    const b1 = await h.client.request('GET', '/apis', undefined, { Accept: AGG_V2BETA1 });
    assert.equal(b1.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
    assert.equal(b1.json.apiVersion, 'apidiscovery.k8s.io/v2beta1');
    const apps = b1.json.items.find((g: any) => g.metadata.name === 'apps');
    const deploy = apps.versions[0].resources.find((x: any) => x.resource === 'deployments');
    assert.deepEqual(deploy, {
      resource: 'deployments', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, scope: 'Namespaced', singularResource: 'deployment',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['deploy'], categories: ['all'],
      subresources: [
        { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
        { subresource: 'status', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
      ],
    });
  });

  it('answers NotFound for group-versions it does not serve', async () => {
    const r = await h.client.request('GET', '/apis/apps/v2');
    assert.equal(r.status, 404);
    assert.equal(r.json.message, 'the server could not find the requested resource');
    const res = await h.client.request('GET', '/api/v1/namespaces/default/widgets');
    assert.equal(res.status, 404);
    assert.equal(res.json.reason, 'NotFound');
  });

  it('/healthz, /livez and /readyz answer ok, verbose lists the checks', async () => {
    for (const p of ['/healthz', '/livez', '/readyz']) {
      const r = await h.client.request('GET', p);
      assert.equal(r.status, 200);
      assert.equal(r.text, 'ok');
    }
    const v = await h.client.request('GET', '/readyz?verbose');
    assert.equal(v.text, '[+]ping ok\n[+]log ok\n[+]etcd ok\n[+]informer-sync ok\n[+]shutdown ok\nreadyz check passed\n');
    const one = await h.client.request('GET', '/livez/etcd');
    assert.equal(one.text, 'ok');
    const none = await h.client.request('GET', '/livez/nothing');
    assert.equal(none.status, 404);
  });

  it('/metrics speaks Prometheus with request, storage and watch-cache figures', async () => {
    await h.client.request('GET', '/api/v1/namespaces/default/configmaps');
    const r = await h.client.request('GET', '/metrics');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.match(r.text, /^apiserver_request_total\{verb="LIST",resource="configmaps",code="200"\} [1-9]\d*$/m);
    assert.match(r.text, /^apiserver_request_duration_seconds_bucket\{le="[^"]+",verb="LIST",resource="configmaps"\} \d+$/m);
    assert.match(r.text, /^tskube_storage_info\{figure="revision"\} [1-9]\d*$/m);
    assert.match(r.text, /^tskube_storage_info\{figure="write_batches"\} \d+$/m);
    assert.match(r.text, /^watch_cache_capacity_objects\{resource="namespaces"\} 4$/m);
  });

  it('answers 404 page not found for unknown non-API paths', async () => {
    const r = await h.client.request('GET', '/nothing-here');
    assert.equal(r.status, 404);
    assert.equal(r.text, '404 page not found\n');
  });
});
