/**
 * The real kubectl binaries (1.27, 1.32, 1.33) against a real `tskube up`: writes and their errors —
 * delete, patch, label, NotFound lines and the raw Status bodies. Every command's stdout, stderr and
 * exit code are compared with what kubectl prints against upstream.
 * Tests that expect upstream behaviour the server does not have yet are marked `todo`.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { configMap } from '../support/client.js';
import { assertOutput, describeEachKubectl, VERSIONS } from './kubectl-harness.js';

describeEachKubectl('', (h, version) => {
  const t = version.tag;

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

  it('patch with the default (strategic merge) type', async () => {
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
}, VERSIONS, 'server');
