/**
 * Durability: kill -9 of the server while 32 clients write, then a restart on the same data
 * directory. Every acknowledged write must be there, unchanged, and every later write must get a
 * larger resourceVersion. Run for the embedded SQLite store and for etcd.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { configMap, TestClient } from '../support/client.js';
import { removeDir, startServerProcess, type ServerProcess } from '../support/process.js';
import { startEtcd, type EtcdInstance } from '../support/etcd.js';

const CM = '/api/v1/namespaces/default/configmaps';

async function crashAndRecover(args: string[]): Promise<void> {
  let server: ServerProcess | null = await startServerProcess({ command: 'server', args });
  const { dataDir, port } = server;
  const acked = new Map<string, string>();
  let client = new TestClient(server.credentials, 32);
  let stop = false;
  const workers = Array.from({ length: 32 }, async (_, w) => {
    for (let n = 0; !stop; n++) {
      const name = `w${w}-${n}`;
      try {
        const r = await client.request('POST', CM, configMap(name, { n: String(n), pad: 'x'.repeat(512) }));
        if (r.status === 201) acked.set(name, r.json.metadata.resourceVersion);
        else if (r.status !== 0) throw new Error(`unexpected ${r.status}: ${r.text}`);
      } catch (err) {
        if (!stop && !(err as NodeJS.ErrnoException).code) throw err;
        return;
      }
    }
  });
  await new Promise((r) => setTimeout(r, 1500));
  await server.kill();
  stop = true;
  await Promise.all(workers);
  client.close();
  assert.ok(acked.size > 50, `only ${acked.size} writes were acknowledged before the kill`);
  try {
    server = await startServerProcess({ command: 'server', args, dataDir, port });
    client = new TestClient(server.credentials, 8);
    const list = await client.request('GET', CM);
    assert.equal(list.status, 200);
    const stored = new Map<string, string>(list.json.items.map((i: any) => [i.metadata.name, i.metadata.resourceVersion]));
    let missing = 0;
    let changed = 0;
    for (const [name, rv] of acked) {
      if (!stored.has(name)) missing++;
      else if (stored.get(name) !== rv) changed++;
    }
    assert.equal(missing, 0, `${missing} of ${acked.size} acknowledged writes are missing`);
    assert.equal(changed, 0, `${changed} acknowledged writes have another resourceVersion`);
    const maxAcked = Math.max(...[...acked.values()].map(Number));
    const next = await client.request('POST', CM, configMap('after-restart'));
    assert.equal(next.status, 201);
    assert.ok(Number(next.json.metadata.resourceVersion) > maxAcked, `${next.json.metadata.resourceVersion} <= ${maxAcked}`);
    assert.ok(Number(list.json.metadata.resourceVersion) >= maxAcked);
  } finally {
    client.close();
    await server?.stop();
    await removeDir(dataDir);
  }
}

describe('kill -9 while 32 clients write', () => {
  let etcd: EtcdInstance | null = null;
  after(async () => { await etcd?.stop(); });

  it('keeps every acknowledged write on SQLite', async () => {
    await crashAndRecover([]);
  });

  it('keeps every acknowledged write on etcd', async () => {
    etcd = await startEtcd();
    await crashAndRecover(['--storage', 'etcd', '--etcd-servers', etcd.endpoints.join(',')]);
  });
});
