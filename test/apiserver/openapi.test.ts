import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from './harness.js';

describe('OpenAPI', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.stop(); });

  it('/openapi/v3 lists each served group-version at a hashed URL that is served immutable', async () => {
    const root = await h.client.request('GET', '/openapi/v3');
    assert.equal(root.status, 200);
    for (const gv of ['api/v1', 'apis/apps/v1', 'apis/batch/v1', 'apis/autoscaling/v2', 'apis/autoscaling/v1']) assert.ok(root.json.paths[gv], gv);
    const url: string = root.json.paths['api/v1'].serverRelativeURL;
    assert.match(url, /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
    const doc = await h.client.request('GET', url);
    assert.equal(doc.status, 200);
    assert.equal(doc.headers['cache-control'], 'public, immutable');
    assert.ok(doc.headers.etag);
    assert.equal(doc.json.openapi, '3.0.0');
    const unhashed = await h.client.request('GET', '/openapi/v3/api/v1');
    assert.equal(unhashed.headers['cache-control'], 'no-cache, private');
    assert.equal((await h.client.request('GET', '/openapi/v3/apis/nothing.example.com/v1')).status, 404);
  });

  it('each PATCH carries the group-version-kind and the fieldValidation parameter, and advertises strategic merge', async () => {
    const url: string = (await h.client.request('GET', '/openapi/v3')).json.paths['api/v1'].serverRelativeURL;
    const doc = (await h.client.request('GET', url)).json;
    const patch = doc.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].patch;
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'ConfigMap' });
    assert.ok(patch.parameters.some((p: any) => p.name === 'fieldValidation' && p.in === 'query'));
    assert.deepEqual(Object.keys(patch.requestBody.content), ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']);
    assert.ok(doc.paths['/api/v1/namespaces/{name}'].patch);
    assert.ok(doc.paths['/api/v1/configmaps'].get);
  });

  it('components carry the types with their kinds, descriptions and list metadata', async () => {
    const url: string = (await h.client.request('GET', '/openapi/v3')).json.paths['api/v1'].serverRelativeURL;
    const schemas = (await h.client.request('GET', url)).json.components.schemas;
    const cm = schemas['io.k8s.api.core.v1.ConfigMap'];
    assert.deepEqual(cm['x-kubernetes-group-version-kind'], [{ group: '', kind: 'ConfigMap', version: 'v1' }]);
    assert.deepEqual(cm.properties.data.additionalProperties, { type: 'string', default: '' });
    assert.equal(cm.properties.binaryData.additionalProperties.format, 'byte');
    assert.deepEqual(cm.properties.metadata.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
    const meta = schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'];
    assert.equal(meta.properties.ownerReferences['x-kubernetes-patch-merge-key'], 'uid');
    assert.equal(meta.properties.ownerReferences['x-kubernetes-patch-strategy'], 'merge');
    assert.deepEqual(meta.properties.ownerReferences['x-kubernetes-list-map-keys'], ['uid']);
    assert.equal(meta.properties.finalizers['x-kubernetes-list-type'], 'set');
    assert.equal(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Time'].format, 'date-time');
    assert.ok(schemas['io.k8s.api.core.v1.NamespaceStatus']);
  });
});
