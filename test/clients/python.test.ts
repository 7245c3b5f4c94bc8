/** The official Python client (Debian's python3-kubernetes) against an in-process cluster. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { configMap } from '../support/client.js';
import { REPO_ROOT } from '../support/process.js';
import { startHarness, type Harness } from '../apiserver/harness.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(REPO_ROOT, 'test', 'clients', 'python-client.py');
const run = promisify(execFile);

describe('python3-kubernetes', { skip: existsSync(PYTHON) ? false : 'no /usr/bin/python3' }, () => {
  let h: Harness;
  const py = async (...args: string[]) => JSON.parse((await run(PYTHON, [SCRIPT, h.cluster.kubeconfigPath, ...args], { timeout: 60_000 })).stdout);
  before(async () => { h = await startHarness({ watchCacheCapacity: 20 }); });
  after(async () => { await h.stop(); });

  it('creates, patches, lists, and gets the 404 as an ApiException', async () => {
    const out = await py('crud');
    assert.equal(out.created, 'from-py');
    assert.match(out.rv, /^\d+$/);
    assert.deepEqual(out.patched, { a: '1', b: '2' });
    assert.deepEqual(out.listed, ['from-py']);
    assert.deepEqual(out.missing, { status: 404, message: 'configmaps "nope" not found' });
  });

  it('watches from a resourceVersion and sees later changes in order', async () => {
    const rv = (await h.client.request('GET', '/api/v1/namespaces/default/configmaps')).json.metadata.resourceVersion;
    const watching = py('watch', rv, '2');
    await new Promise((r) => setTimeout(r, 1500));
    await h.client.request('POST', '/api/v1/namespaces/default/configmaps', configMap('py-watched'));
    await h.client.request('DELETE', '/api/v1/namespaces/default/configmaps/py-watched');
    assert.deepEqual((await watching).seen, [['ADDED', 'py-watched'], ['DELETED', 'py-watched']]);
  });

  it('is told 410 when it resumes from a resourceVersion the server no longer has', async () => {
    const old = (await h.client.request('GET', '/api/v1/namespaces/default/configmaps')).json.metadata.resourceVersion;
    for (let i = 0; i < 30; i++) await h.client.request('POST', '/api/v1/namespaces/default/configmaps', configMap(`py-churn-${i}`));
    const out = await py('watch', old, '1');
    assert.equal(out.error, 410);
    assert.deepEqual(out.seen, []);
  });
});
