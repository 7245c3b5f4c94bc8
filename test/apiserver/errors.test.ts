import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request as httpsRequest } from 'node:https';
import { configMap, TestClient } from '../support/client.js';
import { startHarness, type Harness } from './harness.js';

const CM = '/api/v1/namespaces/default/configmaps';

describe('API errors are upstream Status objects', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.stop(); });

  it('answers 404 NotFound for a missing configmap', async () => {
    const r = await h.client.request('GET', `${CM}/x`);
    assert.equal(r.status, 404);
    assert.deepEqual(r.json, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'configmaps "x" not found', reason: 'NotFound', details: { name: 'x', kind: 'configmaps' }, code: 404,
    });
  });

  it('answers 409 AlreadyExists for a second create', async () => {
    assert.equal((await h.client.request('POST', CM, configMap('dup', { a: '1' }))).status, 201);
    const r = await h.client.request('POST', CM, configMap('dup', { a: '2' }));
    assert.equal(r.status, 409);
    assert.deepEqual(r.json, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'configmaps "dup" already exists', reason: 'AlreadyExists', details: { name: 'dup', kind: 'configmaps' }, code: 409,
    });
    assert.equal((await h.client.request('GET', `${CM}/dup`)).json.data.a, '1');
  });

  it('answers 409 Conflict for an update with a stale resourceVersion', async () => {
    const created = (await h.client.request('POST', CM, configMap('cf', { a: '1' }))).json;
    const first = await h.client.request('PUT', `${CM}/cf`, { ...created, data: { a: '2' } });
    assert.equal(first.status, 200);
    assert.ok(Number(first.json.metadata.resourceVersion) > Number(created.metadata.resourceVersion));
    const stale = await h.client.request('PUT', `${CM}/cf`, { ...created, data: { a: '3' } });
    assert.equal(stale.status, 409);
    assert.deepEqual(stale.json, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'Operation cannot be fulfilled on configmaps "cf": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict', details: { name: 'cf', kind: 'configmaps' }, code: 409,
    });
    assert.equal((await h.client.request('GET', `${CM}/cf`)).json.data.a, '2');
  });

  it('answers 401 Unauthorized without a client certificate', async () => {
    const anon = new TestClient({ server: h.cluster.server, ca: h.cluster.credentials.ca });
    try {
      const r = await anon.request('GET', CM);
      assert.equal(r.status, 401);
      assert.equal(r.text, '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}');
      const health = await anon.request('GET', '/readyz');
      assert.equal(health.status, 200);
      assert.equal(health.text, 'ok');
    } finally {
      anon.close();
    }
  });

  it('answers 401 for a certificate the cluster CA did not sign', async () => {
    const { createCertificateAuthority, issueCertificate } = await import('../../src/apiserver/pki/certificates.js');
    const otherCa = await createCertificateAuthority('someone-else');
    const pair = await issueCertificate(otherCa, { usage: 'client', commonName: 'mallory', organizations: ['system:masters'] });
    const c = new TestClient({ server: h.cluster.server, ca: h.cluster.credentials.ca, cert: pair.certPem, key: pair.keyPem });
    try {
      assert.equal((await c.request('GET', CM)).status, 401);
    } finally {
      c.close();
    }
  });

  it('answers 413 for a body over 3 MiB and stays healthy', async () => {
    const big = configMap('big', { a: 'x'.repeat(3 * 1024 * 1024 + 10) });
    const r = await h.client.request('POST', CM, big);
    assert.equal(r.status, 413);
    assert.equal(r.json.reason, 'RequestEntityTooLarge');
    assert.equal(r.json.message, 'Request entity too large: limit is 3145728');
    assert.equal((await h.client.request('GET', `${CM}/big`)).status, 404);
    assert.equal((await h.client.request('GET', '/readyz')).text, 'ok');
  });

  it('answers 413 for a chunked body that grows over 3 MiB', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(h.cluster.server);
      const req = httpsRequest({ host: u.hostname, port: u.port, path: CM, method: 'POST', ca: h.cluster.credentials.ca,
        cert: h.cluster.credentials.cert, key: h.cluster.credentials.key, headers: { 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(256 * 1024, 'a');
      req.write('{"metadata":{"name":"chunky"},"data":{"a":"');
      for (let i = 0; i < 14; i++) req.write(chunk);
      req.end('"}}');
    });
    assert.equal(status, 413);
    assert.equal((await h.client.request('GET', `${CM}/chunky`)).status, 404);
  });

  it('answers 400 for malformed JSON and stores nothing', async () => {
    const r = await h.client.request('POST', CM, '{"metadata":{"name":"bad"},"data":');
    assert.equal(r.status, 400);
    assert.equal(r.json.kind, 'Status');
    assert.equal(r.json.reason, 'BadRequest');
    assert.match(r.json.message, /^couldn't get version\/kind; json parse error: /);
    assert.equal((await h.client.request('GET', `${CM}/bad`)).status, 404);
    assert.equal((await h.client.request('GET', '/readyz')).text, 'ok');
  });

  it('answers 422 Invalid for a bad name, with the field cause', async () => {
    const r = await h.client.request('POST', CM, configMap('Bad_Name'));
    assert.equal(r.status, 422);
    assert.equal(r.json.reason, 'Invalid');
    assert.equal(r.json.message, `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`);
    assert.deepEqual(r.json.details.causes.map((c: { field: string }) => c.field), ['metadata.name']);
  });

  it('answers 422 when neither name nor generateName is given, and honours generateName', async () => {
    const r = await h.client.request('POST', CM, { metadata: {} });
    assert.equal(r.status, 422);
    assert.equal(r.json.message, 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
    const g = await h.client.request('POST', CM, { metadata: { generateName: 'gen-' } });
    assert.equal(g.status, 201);
    assert.match(g.json.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('answers 404 for a configmap in a namespace that does not exist', async () => {
    const r = await h.client.request('POST', '/api/v1/namespaces/nowhere/configmaps', configMap('x'));
    assert.equal(r.status, 404);
    assert.equal(r.json.message, 'namespaces "nowhere" not found');
  });

  it('answers 400 when the body names another namespace than the URL', async () => {
    const r = await h.client.request('POST', CM, configMap('nsx', {}, { namespace: 'kube-system' }));
    assert.equal(r.status, 400);
    assert.equal(r.json.message, 'the namespace of the provided object does not match the namespace sent on the request');
  });

  it('answers 415 for a patch type it does not read', async () => {
    await h.client.request('POST', CM, configMap('pt', { a: '1' }));
    const r = await h.client.request('PATCH', `${CM}/pt`, '{"data":{"a":"2"}}', { 'Content-Type': 'application/x-unknown' });
    assert.equal(r.status, 415);
    assert.equal(r.json.reason, 'UnsupportedMediaType');
  });

  it('refuses to delete the default namespace', async () => {
    const r = await h.client.request('DELETE', '/api/v1/namespaces/default');
    assert.equal(r.status, 403);
    assert.equal(r.json.message, 'namespaces "default" is forbidden: this namespace may not be deleted');
  });
});

describe('hostile bodies', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.stop(); });

  it('refuses JSON nested deeper than 10,000 levels with a 400 and stays healthy', async () => {
    const d = 1_000_000;
    const body = `{"metadata":{"name":"deep"},"data":{"a":${'['.repeat(d)}${']'.repeat(d)}}}`;
    const r = await h.client.request('POST', CM, body);
    assert.equal(r.status, 400);
    assert.equal(r.json.message, "couldn't get version/kind; json parse error: exceeded max depth");
    const ok = await h.client.request('POST', CM, `{"metadata":{"name":"shallow","annotations":{"a":"${'['.repeat(100)}"}},"data":{}}`);
    assert.equal(ok.status, 201, 'brackets inside strings do not count');
    assert.equal((await h.client.request('GET', '/readyz')).text, 'ok');
  });

  it('refuses a YAML alias bomb with a 400', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]', 'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]', 'metadata: {name: bomb}', 'data: {k: v}'].join('\n');
    const r = await h.client.request('POST', CM, bomb, { 'Content-Type': 'application/yaml' });
    assert.equal(r.status, 400);
    assert.match(r.json.message, /^error converting YAML to JSON: /);
    assert.equal((await h.client.request('GET', `${CM}/bomb`)).status, 404);
    assert.equal((await h.client.request('GET', '/readyz')).text, 'ok');
  });

  it('refuses hostile server-side apply bodies with a 400 and stays healthy', async () => {
    const apply = { 'Content-Type': 'application/apply-patch+yaml' };
    const deep = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep-apply}\ndata: ${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const r = await h.client.request('PATCH', `${CM}/deep-apply?fieldManager=m`, deep, apply);
    assert.equal(r.status, 400);
    assert.equal(r.json.message, 'error decoding YAML: error converting YAML to JSON: exceeded max depth');
    const bomb = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: bomb-apply}', 'x: &a ["x","x","x","x","x","x","x","x","x"]',
      ...'bcdefgh'.split('').map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`)].join('\n');
    const b = await h.client.request('PATCH', `${CM}/bomb-apply?fieldManager=m`, bomb, apply);
    assert.equal(b.status, 400);
    assert.match(b.json.message, /^error decoding YAML: error converting YAML to JSON: /);
    assert.equal((await h.client.request('GET', `${CM}/bomb-apply`)).status, 404);
    assert.equal((await h.client.request('GET', '/readyz')).text, 'ok');
  });

  it('accepts a plain YAML body', async () => {
    const r = await h.client.request('POST', CM, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  k: v\n', { 'Content-Type': 'application/yaml' });
    assert.equal(r.status, 201);
    assert.deepEqual(r.json.data, { k: 'v' });
  });
});
