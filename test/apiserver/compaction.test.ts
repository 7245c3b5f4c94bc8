import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configMap, eventually } from '../support/client.js';
import { startHarness, type Harness } from './harness.js';

const CM = '/api/v1/namespaces/default/configmaps';

describe('compaction through the API', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ compactionIntervalMs: 100 }); });
  after(async () => { await h.stop(); });

  it('compacts by itself and answers 410 Expired for a list at a compacted revision', async () => {
    for (let i = 0; i < 5; i++) await h.client.request('POST', CM, configMap(`c${i}`));
    const page = (await h.client.request('GET', `${CM}?limit=2`)).json;
    const old = page.metadata.resourceVersion;
    assert.ok(page.metadata.continue);
    await h.client.request('POST', CM, configMap('newer'));
    await eventually(async () => (await h.cluster.storage.compactedRevision()) > Number(old), 5000, 'compaction');
    const exact = await h.client.request('GET', `${CM}?resourceVersion=${old}&resourceVersionMatch=Exact`);
    assert.equal(exact.status, 410);
    assert.deepEqual(exact.json, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'The resourceVersion for the provided list is too old.', reason: 'Expired', code: 410,
    });
    const cont = await h.client.request('GET', `${CM}?limit=2&continue=${encodeURIComponent(page.metadata.continue)}`);
    assert.equal(cont.status, 410);
    assert.equal(cont.json.reason, 'Expired');
    const fresh = await h.client.request('GET', CM);
    assert.equal(fresh.status, 200);
    assert.equal(fresh.json.items.length, 6);
  });

  it('answers 400 for a continue token that is not one', async () => {
    const r = await h.client.request('GET', `${CM}?limit=1&continue=garbage`);
    assert.equal(r.status, 400);
    assert.match(r.json.message, /^continue key is not valid: /);
  });
});
