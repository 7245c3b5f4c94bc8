/**
 * The etcd backend against real etcd processes: the conformance suite on one member, and
 * member failures (a follower, then the leader) on 3-member clusters.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Etcd3 } from 'etcd3';
import { openEtcdStore, type EtcdStore } from '../../src/storage/etcd/etcd-store.js';
import type { WatchEvent } from '../../src/storage/interface.js';
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

/** Kills `victim` while a watch runs, then shows writes are acknowledged, readable and watched. */
async function survivesKill(pick: (cluster: EtcdCluster, leader: EtcdMember) => EtcdMember): Promise<void> {
  const cluster = await startEtcdCluster(3);
  let store: EtcdStore | null = null;
  try {
    store = await openEtcdStore({ endpoints: cluster.endpoints });
    const s = store;
    const p = '/registry/configmaps/kill/';
    const written: number[] = [];
    const before = (await s.create(`${p}before`, Buffer.from('0'))).revision;
    written.push(before);
    const events: WatchEvent[] = [];
    const errors: Error[] = [];
    const watch = s.watch(p, before - 1, { onEvents: (evs) => void events.push(...evs), onError: (e) => void errors.push(e) });
    try {
      const leader = await findLeader(cluster);
      const victim = pick(cluster, leader);
      victim.kill();
      let rev = before;
      for (let i = 0; i < 20; i++) {
        const k = `${p}k${i % 5}`;
        const cur = await s.get(k);
        const r = cur ? await s.update(k, Buffer.from(String(i)), cur.modRevision) : await s.create(k, Buffer.from(String(i)));
        assert.equal(r.revision, rev + 1, 'each acknowledged write is exactly one revision');
        rev = r.revision;
        written.push(rev);
      }
      const listed = await s.list(p);
      assert.deepEqual(
        listed.items.map((kv) => [kv.key.slice(p.length), kv.value.toString()]),
        [['before', '0'], ['k0', '15'], ['k1', '16'], ['k2', '17'], ['k3', '18'], ['k4', '19']],
      );
      assert.equal(listed.revision, rev);
      // A second client given all endpoints, the dead one included, still works.
      const other = await openEtcdStore({ endpoints: cluster.endpoints });
      try {
        assert.equal((await other.get(`${p}k4`))?.value.toString(), '19');
      } finally {
        await other.close();
      }
      const deadline = Date.now() + 20_000;
      while (events.length < written.length && errors.length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.deepEqual(errors, []);
      assert.deepEqual(
        events.map((e) => e.kv.modRevision),
        written,
        'the watch saw every write once, in order, across the member failure',
      );
    } finally {
      watch.stop();
    }
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
