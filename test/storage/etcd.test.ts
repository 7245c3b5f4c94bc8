/**
 * The etcd backend against real etcd processes: the conformance suite on one member, and
 * member failures (a follower, then the leader) on 3-member clusters.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Etcd3 } from 'etcd3';
import { openEtcdStore, type EtcdStore } from '../../src/storage/etcd/etcd-store.js';
import type { StorageError, WatchEvent } from '../../src/storage/interface.js';
import { startEtcd, startEtcdCluster, type EtcdCluster, type EtcdMember } from '../support/etcd.js';
import { runStorageConformance } from './conformance.js';

runStorageConformance('etcd', async () => {
  const etcd = await startEtcd();
  try {
    // A store prefix exercises the key namespacing as well.
    const store = await openEtcdStore({ endpoints: etcd.endpoints, prefix: '/tskube-test' });
    return {
      store,
      close: async () => {
        await store.close();
        await etcd.stop();
      },
    };
  } catch (err) {
    await etcd.stop();
    throw err;
  }
});

async function waitUntil(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

/** The member that leads the cluster, asked of each member through its own client. */
async function findLeader(cluster: EtcdCluster): Promise<EtcdMember> {
  const answers = await Promise.all(
    cluster.members.map(async (m) => {
      const client = new Etcd3({ hosts: [m.endpoint] });
      try {
        const status = await client.maintenance.status();
        return { member: m, id: status.header.member_id, leader: status.leader };
      } finally {
        client.close();
      }
    }),
  );
  const leaders = new Set(answers.map((a) => a.leader));
  assert.equal(leaders.size, 1, 'the members agree on one leader');
  const leader = answers.find((a) => a.id === a.leader);
  assert.ok(leader, 'the leader is one of the members');
  return leader.member;
}

/** Kills one member while a watch runs on it, then shows writes are acknowledged, readable and watched. */
async function survivesKill(pick: (cluster: EtcdCluster, leader: EtcdMember) => EtcdMember): Promise<void> {
  const cluster = await startEtcdCluster(3);
  let store: EtcdStore | null = null;
  try {
    const victim = pick(cluster, await findLeader(cluster));
    store = await openEtcdStore({ endpoints: [victim.endpoint, ...cluster.endpoints.filter((e) => e !== victim.endpoint)] });
    const s = store;
    const p = '/registry/configmaps/kill/';
    const written = [(await s.create(`${p}before`, Buffer.from('0'))).revision];
    const events: WatchEvent[] = [];
    const errors: Error[] = [];
    // etcd3 picks a member per stream by shuffling its hosts with Math.random; with 0 it takes
    // the first endpoint, so the watch stream surely runs on the victim and has to fail over.
    const random = Math.random;
    Math.random = () => 0;
    try {
      s.watch(p, written[0]! - 1, { onEvents: (evs) => void events.push(...evs), onError: (e) => void errors.push(e) });
      await waitUntil(() => events.length > 0 || errors.length > 0, 10_000);
    } finally {
      Math.random = random;
    }
    assert.deepEqual([events.length, errors], [1, []], 'the watch runs on the victim');

    victim.kill();
    for (let i = 0; i < 20; i++) {
      const k = `${p}k${i % 5}`;
      const cur = await s.get(k);
      const r = cur ? await s.update(k, Buffer.from(String(i)), cur.modRevision) : await s.create(k, Buffer.from(String(i)));
      assert.equal(r.revision, written.at(-1)! + 1, 'each acknowledged write is exactly one revision');
      written.push(r.revision);
    }
    const listed = await s.list(p);
    assert.deepEqual(
      listed.items.map((kv) => [kv.key.slice(p.length), kv.value.toString()]),
      [['before', '0'], ['k0', '15'], ['k1', '16'], ['k2', '17'], ['k3', '18'], ['k4', '19']],
    );
    assert.equal(listed.revision, written.at(-1));
    // A second client given all endpoints, the dead one included, works too.
    const other = await openEtcdStore({ endpoints: cluster.endpoints });
    try {
      assert.equal((await other.get(`${p}k4`))?.value.toString(), '19');
    } finally {
      await other.close();
    }
    await waitUntil(() => events.length >= written.length || errors.length > 0, 20_000);
    assert.deepEqual(errors, []);
    assert.deepEqual(events.map((e) => e.kv.modRevision), written, 'the watch saw every write once, in order, across the failure');
  } finally {
    await store?.close();
    await cluster.stop();
  }
}

describe('etcd: 3-member cluster with one member killed', () => {
  it('a follower killed: writes are still acknowledged, readable and watched', { timeout: 90_000 }, async () => {
    await survivesKill((cluster, leader) => cluster.members.find((m) => m !== leader)!);
  });

  it('the leader killed: writes are acknowledged after the new election', { timeout: 90_000 }, async () => {
    await survivesKill((_cluster, leader) => leader);
  });
});

describe('etcd: two stores sharing one etcd (two API servers)', () => {
  it('agree on the compacted revision; compaction writes nothing', { timeout: 60_000 }, async () => {
    const etcd = await startEtcd();
    const a = await openEtcdStore({ endpoints: etcd.endpoints });
    const b = await openEtcdStore({ endpoints: etcd.endpoints });
    try {
      for (let i = 0; i < 5; i++) await a.create(`/registry/pods/default/p${i}`, Buffer.from('{}'));
      const rev = await a.currentRevision();
      assert.deepEqual([await a.compactedRevision(), await b.compactedRevision()], [0, 0]);
      await a.compact(rev - 1);
      assert.equal(await b.compactedRevision(), rev - 1, 'b sees the compaction a did');
      assert.equal(await b.currentRevision(), rev, 'compaction made no revision');
      await b.compact(rev - 3); // older than a's: no-op
      await b.compact(rev);
      assert.deepEqual([await a.compactedRevision(), await b.compactedRevision()], [rev, rev]);
      const err = await a.list('/registry/pods/', { revision: rev - 1 }).then(
        () => assert.fail('list at a compacted revision succeeded'),
        (e: unknown) => e as StorageError,
      );
      assert.deepEqual([err.code, err.compactedRevision], ['Compacted', rev]);
      await b.compact(rev + 100); // a future revision is clamped to the newest one
      assert.equal(await a.compactedRevision(), rev);
    } finally {
      await a.close();
      await b.close();
      await etcd.stop();
    }
  });
});
