import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { configMap } from '../support/client.js';
import { freePort } from '../support/process.js';
import { startHarness } from './harness.js';

describe('restart on the same data directory', () => {
  it('keeps every object, resourceVersion and the certificates', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tskube-persist-'));
    try {
      // The same port both times: the `kubernetes` service names the port, and a new one would be written.
      const port = await freePort();
      const first = await startHarness({ dataDir, port });
      await first.client.request('POST', '/api/v1/namespaces', { metadata: { name: 'keep' } });
      const created = (await first.client.request('POST', '/api/v1/namespaces/keep/configmaps', configMap('c', { a: '1' }))).json;
      const deleted = (await first.client.request('POST', '/api/v1/namespaces/keep/configmaps', configMap('gone'))).json;
      await first.client.request('DELETE', '/api/v1/namespaces/keep/configmaps/gone');
      const listBefore = (await first.client.request('GET', '/api/v1/configmaps')).json;
      const ca = first.cluster.credentials.ca;
      await first.stop();

      const second = await startHarness({ dataDir, port });
      try {
        assert.equal(second.cluster.credentials.ca, ca);
        const got = (await second.client.request('GET', '/api/v1/namespaces/keep/configmaps/c')).json;
        assert.deepEqual(got, created);
        assert.equal((await second.client.request('GET', '/api/v1/namespaces/keep/configmaps/gone')).status, 404);
        const listAfter = (await second.client.request('GET', '/api/v1/configmaps')).json;
        assert.deepEqual(listAfter.items, listBefore.items);
        assert.equal(listAfter.metadata.resourceVersion, listBefore.metadata.resourceVersion);
        const next = (await second.client.request('POST', '/api/v1/namespaces/keep/configmaps', configMap('later'))).json;
        assert.ok(Number(next.metadata.resourceVersion) > Number(deleted.metadata.resourceVersion) + 1);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
