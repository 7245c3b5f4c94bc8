/**
 * Zones and the rate at which nodes of a zone are tainted for eviction: the zone key of a node,
 * the zone states (Normal, PartialDisruption, FullDisruption) and a rate-limited queue of nodes
 * to taint, as upstream's RateLimitedTimedQueue.
 */
import type { KubeObject } from '../../client/object.js';
import type { NodeCondition } from './health.js';

/** The state of a zone. */
export type ZoneState = 'Initial' | 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** The zone key of a node: `<region>:\0:<zone>` from its topology labels ('' without any). */
export function zoneKey(node: KubeObject): string {
  const l = node.metadata.labels ?? {};
  const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  if (!region && !zone) return '';
  return `${region}:\u0000:${zone}`;
}

/**
 * A zone's state from its nodes' Ready conditions: FullDisruption when none is ready,
 * PartialDisruption when more than two and at least `threshold` of them are not ready, else
 * Normal. Also answers how many are not ready.
 */
export function computeZoneState(ready: readonly (NodeCondition | undefined)[], threshold: number): { unhealthy: number; state: ZoneState } {
  let readyNodes = 0;
  let notReady = 0;
  for (const c of ready) {
    if (c?.status === 'True') readyNodes++;
    else notReady++;
  }
  if (readyNodes === 0 && notReady > 0) return { unhealthy: notReady, state: 'FullDisruption' };
  if (notReady > 2 && notReady / (notReady + readyNodes) >= threshold) return { unhealthy: notReady, state: 'PartialDisruption' };
  return { unhealthy: notReady, state: 'Normal' };
}

/** A token bucket that never waits: `tryAccept` takes a token if one is there. A rate of 0 accepts nothing. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(readonly qps: number, readonly burst: number, private readonly clock: () => number) {
    this.tokens = burst;
    this.last = clock();
  }

  tryAccept(): boolean {
    if (this.qps <= 0) return false;
    const now = this.clock();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

interface Timed {
  value: string;
  uid: string;
  processAt: number;
}

/**
 * Node names waiting to be processed, in order of when they may be, taken out at most as fast as
 * a token bucket allows. A name stays known after it was processed until {@link remove}d, so it
 * is not queued twice.
 */
export class RateLimitedTimedQueue {
  private queue: Timed[] = [];
  private readonly known = new Set<string>();
  private limiter: TokenBucket;

  constructor(qps: number, private readonly clock: () => number, private readonly burst = 1) {
    this.limiter = new TokenBucket(qps, burst, clock);
  }

  /** Queues a name; false when it is known already. */
  add(value: string, uid: string): boolean {
    if (this.known.has(value)) return false;
    this.known.add(value);
    this.queue.push({ value, uid, processAt: this.clock() });
    this.sort();
    return true;
  }

  /** Forgets a name (queued or processed); true when it was known. */
  remove(value: string): boolean {
    const had = this.known.delete(value);
    this.queue = this.queue.filter((t) => t.value !== value);
    return had;
  }

  /**
   * Processes due names in order while tokens last: `fn` answers whether it is done, or how long
   * to wait before the name is tried again.
   */
  try(fn: (value: string) => Promise<{ done: boolean; retryAfterMs: number }>): Promise<void> {
    return this.tryNext(fn);
  }

  private async tryNext(fn: (value: string) => Promise<{ done: boolean; retryAfterMs: number }>): Promise<void> {
    for (let head = this.queue[0]; head; head = this.queue[0]) {
      if (!this.limiter.tryAccept()) return;
      const now = this.clock();
      if (now < head.processAt) return;
      const { done, retryAfterMs } = await fn(head.value);
      const i = this.queue.indexOf(head);
      if (i < 0) continue;
      if (done) this.queue.splice(i, 1);
      else {
        head.processAt = now + retryAfterMs + 1;
        this.sort();
      }
    }
  }

  /**
   * Changes the rate. The new bucket starts full, unless the old one was empty: then it starts
   * drained too, so a swap does not let a burst through.
   */
  swapLimiter(qps: number): void {
    if (this.limiter.qps === qps) return;
    const next = new TokenBucket(qps, this.burst, this.clock);
    if (qps > 0 && !this.limiter.tryAccept()) next.tryAccept();
    this.limiter = next;
  }

  /** How many names wait. */
  get length(): number {
    return this.queue.length;
  }

  private sort(): void {
    this.queue.sort((a, b) => a.processAt - b.processAt);
  }
}
