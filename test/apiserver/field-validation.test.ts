import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from './harness.js';

const CM = '/api/v1/namespaces/default/configmaps';
const body = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, colour: 'blue' }, data: { a: '1' }, extra: true });

describe('fieldValidation: unknown fields', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.stop(); });

  it('Strict refuses them with upstream\'s message and stores nothing', async () => {
    const r = await h.client.request('POST', `${CM}?fieldValidation=Strict`, body('strict'));
    assert.equal(r.status, 400);
    assert.equal(r.json.reason, 'BadRequest');
    assert.equal(r.json.message, 'strict decoding error: unknown field "metadata.colour", unknown field "extra"');
    assert.equal((await h.client.request('GET', `${CM}/strict`)).status, 404);
  });

  it('Warn (the default) drops them and says so in Warning headers', async () => {
    const r = await h.client.request('POST', CM, body('warned'));
    assert.equal(r.status, 201);
    assert.equal(r.headers.warning, '299 - "unknown field \\"metadata.colour\\"", 299 - "unknown field \\"extra\\""');
    assert.equal(r.json.extra, undefined);
    assert.equal(r.json.metadata.colour, undefined);
    const stored = (await h.client.request('GET', `${CM}/warned`)).json;
    assert.equal(stored.extra, undefined);
    assert.deepEqual(stored.data, { a: '1' });
  });

  it('Ignore drops them silently', async () => {
    const r = await h.client.request('POST', `${CM}?fieldValidation=Ignore`, body('ignored'));
    assert.equal(r.status, 201);
    assert.equal(r.headers.warning, undefined);
    assert.equal(r.json.extra, undefined);
  });

  it('holds patches to the same rules', async () => {
    const strict = await h.client.request('PATCH', `${CM}/warned?fieldValidation=Strict`, { spec: { x: 1 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(strict.status, 400);
    assert.equal(strict.json.message, 'strict decoding error: unknown field "spec"');
    const warn = await h.client.request('PATCH', `${CM}/warned`, { spec: { x: 1 }, data: { b: '2' } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(warn.status, 200);
    assert.equal(warn.headers.warning, '299 - "unknown field \\"spec\\""');
    assert.deepEqual(warn.json.data, { a: '1', b: '2' });
    assert.equal(warn.json.spec, undefined);
  });

  it('refuses an unknown directive', async () => {
    const r = await h.client.request('POST', `${CM}?fieldValidation=Loose`, body('loose'));
    assert.equal(r.status, 400);
    assert.equal(r.json.message, 'fieldValidation: Unsupported value: "Loose": supported values: "Ignore", "Strict", "Warn"');
  });

  it('refuses values of the wrong JSON type as the Go decoder words it', async () => {
    const deploy = (spec: Record<string, unknown>) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'typed' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } }, ...spec },
    });
    const D = '/apis/apps/v1/namespaces/default/deployments';
    const r = await h.client.request('POST', D, deploy({ replicas: 'two' }));
    assert.equal(r.status, 400);
    assert.equal(r.json.message, 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
    const img = await h.client.request('POST', D, deploy({ template: { spec: { containers: [{ name: 'c', image: 5 }] } } }));
    assert.equal(img.json.message, 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string');
    const list = await h.client.request('POST', D, deploy({ template: { spec: { containers: { name: 'c' } } } }));
    assert.equal(list.json.message, 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container');
    assert.equal((await h.client.request('GET', `${D}/typed`)).status, 404);
  });

  it('stores quantities in their canonical form and refuses ones that do not parse', async () => {
    const P = '/api/v1/namespaces/default/pods';
    const pod = (limits: Record<string, unknown>, name: string) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'i', resources: { limits } }] },
    });
    const r = await h.client.request('POST', P, pod({ cpu: 0.5, memory: '1.5Gi' }, 'quantities'));
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.spec.containers[0].resources, { limits: { cpu: '500m', memory: '1536Mi' }, requests: { cpu: '500m', memory: '1536Mi' } });
    const bad = await h.client.request('POST', P, pod({ cpu: 'lots' }, 'bad-quantity'));
    assert.equal(bad.status, 400);
    assert.equal(bad.json.message, "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  });
});
