import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkQueue, runWorkers } from '../../src/client/workqueue.js';
import { TokenBucket } from '../../src/client/rate-limiter.js';

describe('WorkQueue', () => {
  it('queues a key that is added twice while waiting only once, in order of first add', async () => {
    const q = new WorkQueue();
    q.add('a'); q.add('b'); q.add('a');
    assert.equal(q.length, 2);
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
    assert.equal(q.length, 0);
  });

  it('never hands out a key that is being processed; an add meanwhile queues it again on done', async () => {
    const q = new WorkQueue();
    q.add('a');
    const first = await q.get();
    q.add('a');
    assert.equal(q.length, 0, 'held back while processing');
    let second: string | undefined;
    void q.get().then((k) => { second = k; });
    await new Promise((r) => setImmediate(r));
    assert.equal(second, undefined);
    q.done(first!);
    await new Promise((r) => setImmediate(r));
    assert.equal(second, 'a');
  });

  it('backs off per key, doubling from the base delay, until forgotten', async () => {
    const q = new WorkQueue({ baseDelayMs: 20, maxDelayMs: 80 });
    q.addRateLimited('k');
    q.addRateLimited('j');
    assert.equal(q.numRequeues('k'), 1);
    assert.equal(q.length, 0, 'not before the delay');
    assert.equal(await q.get(), 'k');
    q.done('k');
    assert.equal(await q.get(), 'j');
    q.done('j');
    q.addRateLimited('k');
    q.addRateLimited('k');
    assert.equal(q.numRequeues('k'), 3);
    q.forget('k');
    assert.equal(q.numRequeues('k'), 0);
  });

  it('keeps the earlier of two delays for one key', async () => {
    const q = new WorkQueue();
    q.addAfter('k', 60_000);
    q.addAfter('k', 10);
    q.addAfter('k', 30_000);
    assert.equal(await q.get(), 'k');
    q.done('k');
    q.shutDown();
  });

  it('resolves waiting gets with undefined on shut down and refuses new keys', async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    q.shutDown();
    assert.equal(await waiting, undefined);
    q.add('x');
    assert.equal(await q.get(), undefined);
  });

  it('runWorkers syncs each key with at most one worker at a time and retries failures', async () => {
    const q = new WorkQueue({ baseDelayMs: 1 });
    const ctl = new AbortController();
    const active = new Set<string>();
    let overlap = 0;
    const attempts = new Map<string, number>();
    const errors: string[] = [];
    const running = runWorkers(q, 4, async (key) => {
      if (active.has(key)) overlap++;
      active.add(key);
      const n = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, n);
      await new Promise((r) => setTimeout(r, 2));
      active.delete(key);
      if (key === 'flaky' && n < 3) throw new Error(`attempt ${n}`);
    }, ctl.signal, (key, err) => errors.push(`${key}: ${(err as Error).message}`));
    for (let i = 0; i < 50; i++) q.add(i % 2 ? 'a' : 'b');
    q.add('flaky');
    while ((attempts.get('flaky') ?? 0) < 3 || q.length) await new Promise((r) => setTimeout(r, 5));
    ctl.abort();
    await running;
    assert.equal(overlap, 0);
    assert.deepEqual(errors, ['flaky: attempt 1', 'flaky: attempt 2']);
    assert.equal(q.numRequeues('flaky'), 0, 'forgotten after success');
  });
});

describe('TokenBucket', () => {
  it('lets a burst through at once, then paces to the rate', async () => {
    const b = new TokenBucket(20, 5);
    const start = Date.now();
    for (let i = 0; i < 5; i++) await b.wait();
    const burstMs = Date.now() - start;
    for (let i = 0; i < 5; i++) await b.wait();
    const pacedMs = Date.now() - start - burstMs;
    assert.ok(burstMs < 100, `the burst of 5 waited ${burstMs} ms`);
    assert.ok(pacedMs >= 225, `five more took only ${pacedMs} ms at 20/s`);
  });
});
