/**
 * `kubectl create <generator>` with the real kubectl 1.27, 1.32 and 1.33: 1.27 sends JSON bodies,
 * 1.32 and later send Kubernetes protobuf bodies (`application/vnd.kubernetes.protobuf`), and
 * every version must see what it sees against upstream.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachKubectl, VERSIONS } from './kubectl-harness.js';

describeEachKubectl(' create', (h, version) => {
  const t = version.tag;

  it('create configmap with literals and a binary file; the stored object is exact', async () => {
    const name = `made-${t}`;
    const r = await h.kubectl(['create', 'configmap', name, '--from-literal=a=b', '--from-literal=empty=', '--from-file=bin=/bin/true']);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, `configmap/${name} created\n`);
    assert.equal(r.code, 0);
    const got = (await h.client.request('GET', `/api/v1/namespaces/default/configmaps/${name}`)).json;
    assert.deepEqual(got.data, { a: 'b', empty: '' });
    const { readFileSync } = await import('node:fs');
    assert.equal(got.binaryData.bin, readFileSync('/bin/true').toString('base64'));
    assert.equal(got.metadata.name, name);
    assert.equal(got.metadata.namespace, 'default');
    assert.equal(got.immutable, undefined);
    const again = await h.kubectl(['create', 'configmap', name, '--from-literal=a=c']);
    assert.equal(again.stderr, `error: failed to create configmap: configmaps "${name}" already exists\n`);
    assert.equal(again.code, 1);
  });

  it('create namespace; the namespace gets its finalizer and phase', async () => {
    const name = `ns-${t}`;
    const r = await h.kubectl(['create', 'namespace', name]);
    assert.equal(r.stdout, `namespace/${name} created\n`);
    assert.equal(r.code, 0);
    const got = (await h.client.request('GET', `/api/v1/namespaces/${name}`)).json;
    assert.deepEqual(got.spec, { finalizers: ['kubernetes'] });
    assert.equal(got.status.phase, 'Active');
    const cm = await h.kubectl(['create', 'configmap', 'inside', '-n', name, '--from-literal=k=v']);
    assert.equal(cm.stdout, 'configmap/inside created\n');
  });

  it('create -f and apply -f of a manifest; apply again: unchanged', async () => {
    const name = `manifest-${t}`;
    const file = join(h.home, `${name}.yaml`);
    writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`);
    const created = await h.kubectl(['create', '-f', file]);
    assert.equal(created.stdout, `configmap/${name} created\n`);
    assert.equal(created.code, 0);
    assert.equal((await h.kubectl(['delete', 'configmap', name])).code, 0);
    const applied = await h.kubectl(['apply', '-f', file]);
    assert.equal(applied.stdout, `configmap/${name} created\n`);
    const again = await h.kubectl(['apply', '-f', file]);
    assert.equal(again.stdout, `configmap/${name} unchanged\n`);
    const stored = (await h.client.request('GET', `/api/v1/namespaces/default/configmaps/${name}`)).json;
    assert.equal(stored.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'],
      `{"apiVersion":"v1","data":{"a":"1"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"${name}","namespace":"default"}}\n`);
  });

  it('apply three times: unchanged, then a removed key goes while an out-of-band label stays', async () => {
    const name = `thrice-${t}`;
    const file = join(h.home, `${name}.yaml`);
    const manifest = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${data}`;
    writeFileSync(file, manifest('  a: "1"\n  b: "2"\n'));
    assert.equal((await h.kubectl(['apply', '-f', file])).stdout, `configmap/${name} created\n`);
    assert.equal((await h.kubectl(['apply', '-f', file])).stdout, `configmap/${name} unchanged\n`);
    assert.equal((await h.kubectl(['label', 'configmap', name, 'team=blue'])).stdout, `configmap/${name} labeled\n`);
    writeFileSync(file, manifest('  a: "1"\n'));
    const third = await h.kubectl(['apply', '-f', file]);
    assert.equal(third.stderr, '');
    assert.equal(third.stdout, `configmap/${name} configured\n`);
    const stored = (await h.client.request('GET', `/api/v1/namespaces/default/configmaps/${name}`)).json;
    assert.deepEqual(stored.data, { a: '1' });
    assert.deepEqual(stored.metadata.labels, { team: 'blue' });
  });

  it('create -f with an unknown field: the strict decoding error upstream prints', async () => {
    const file = join(h.home, `strict-${t}.yaml`);
    writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict-${t}\nbogus: 1\ndata:\n  a: "1"\n`);
    const r = await h.kubectl(['create', '-f', file]);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `Error from server (BadRequest): error when creating "${file}": strict decoding error: unknown field "bogus"\n`);
    assert.equal(r.code, 1);
  });

  it('create configmap --dry-run=server stores nothing', async () => {
    const name = `dry-${t}`;
    const r = await h.kubectl(['create', 'configmap', name, '--from-literal=a=b', '--dry-run=server']);
    assert.equal(r.stdout, `configmap/${name} created (server dry run)\n`);
    assert.equal((await h.client.request('GET', `/api/v1/namespaces/default/configmaps/${name}`)).status, 404);
  });
}, VERSIONS, 'server');
