import { setMaxListeners } from 'node:events';
import { isAlreadyExists, isConflict, isNotFound } from './errors.js';
import type { KubeClient } from './kube-client.js';
import type { KubeObject } from './object.js';

/** Options of {@link LeaderElector}. */
export interface LeaderElectionOptions {
  /** Where the coordination.k8s.io Lease lives (e.g. kube-system / kube-controller-manager). */
  namespace: string;
  name: string;
  /** This candidate's identity, unique among candidates (e.g. `<host>_<uuid>`). */
  identity: string;
  /** How long a lease holds without renewal (default 15 s). */
  leaseDurationMs?: number;
  /** How long the leader keeps trying to renew before it gives up leading (default 10 s). */
  renewDeadlineMs?: number;
  /** Pause between attempts (default 2 s). */
  retryPeriodMs?: number;
}

/** What a candidate does when it gains and loses leadership. */
export interface LeaderCallbacks {
  /** Called on gaining the lease; `leaderSignal` aborts when leadership ends. */
  onStartedLeading(leaderSignal: AbortSignal): void;
  onStoppedLeading?(): void;
}

/** RFC 3339 with microseconds, as metav1.MicroTime. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  const t = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
});

/**
 * Leader election on a Lease, as client-go's: a candidate takes the lease when it is free, its
 * own, or not renewed (by this candidate's own observation) for `leaseDuration`; writes use the
 * lease's resourceVersion, so two candidates never both win. The leader renews every
 * `retryPeriod` and stops leading when it could not renew for `renewDeadline`; it then becomes a
 * candidate again. When the run's signal aborts, a leader releases the lease so another takes
 * over at once.
 */
export class LeaderElector {
  private observed?: { holder: string; renewTime: string; at: number };
  private readonly leaseMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;
  private leading = false;

  constructor(private readonly client: KubeClient, private readonly opts: LeaderElectionOptions) {
    this.leaseMs = opts.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
    this.retryMs = opts.retryPeriodMs ?? 2_000;
  }

  /** Whether this candidate holds the lease now. */
  get isLeader(): boolean {
    return this.leading;
  }

  /** Campaigns and leads until `signal` aborts. */
  async run(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void> {
    while (!signal.aborted) {
      while (!signal.aborted && !(await this.tryAcquireOrRenew())) await sleep(this.retryMs, signal);
      if (signal.aborted) break;
      const term = new AbortController();
      // Every controller and informer of the term listens on its signal.
      setMaxListeners(0, term.signal);
      this.leading = true;
      callbacks.onStartedLeading(term.signal);
      let lastRenew = Date.now();
      while (!signal.aborted) {
        await sleep(this.retryMs, signal);
        if (signal.aborted) break;
        if (await this.tryAcquireOrRenew()) lastRenew = Date.now();
        else if (Date.now() - lastRenew > this.renewDeadlineMs) break;
      }
      this.leading = false;
      term.abort();
      callbacks.onStoppedLeading?.();
      if (signal.aborted) await this.release();
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name, identity } = this.opts;
    const now = Date.now();
    const spec = (old?: any) => ({
      holderIdentity: identity,
      leaseDurationSeconds: Math.ceil(this.leaseMs / 1000),
      acquireTime: old?.holderIdentity === identity && old?.acquireTime ? old.acquireTime : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: (old?.leaseTransitions ?? 0) + (old && old.holderIdentity !== identity ? 1 : 0),
    });
    try {
      let lease: KubeObject;
      try {
        lease = await this.client.leases.get(name, namespace);
      } catch (err) {
        if (!isNotFound(err)) return false;
        await this.client.leases.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec: spec() });
        return true;
      }
      const s = lease.spec ?? {};
      if (!this.observed || this.observed.holder !== s.holderIdentity || this.observed.renewTime !== s.renewTime) {
        this.observed = { holder: s.holderIdentity ?? '', renewTime: s.renewTime ?? '', at: now };
      }
      const held = s.holderIdentity && s.holderIdentity !== identity;
      const durationMs = (s.leaseDurationSeconds ?? this.leaseMs / 1000) * 1000;
      if (held && this.observed.at + durationMs > now) return false;
      await this.client.leases.update({ ...lease, spec: spec(s) });
      return true;
    } catch (err) {
      if (isConflict(err) || isAlreadyExists(err)) return false;
      return false;
    }
  }

  private async release(): Promise<void> {
    try {
      const lease = await this.client.leases.get(this.opts.name, this.opts.namespace);
      if (lease.spec?.holderIdentity !== this.opts.identity) return;
      await this.client.leases.update({ ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(Date.now()) } });
    } catch {
      // Best effort: the lease expires by itself.
    }
  }
}
