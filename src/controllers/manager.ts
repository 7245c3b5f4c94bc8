import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { InformerFactory } from '../client/cache/informer-factory.js';
import { EventRecorder } from '../client/events.js';
import { KubeClient } from '../client/kube-client.js';
import { LeaderElector } from '../client/leader-election.js';
import type { ClientConfig } from '../client/config.js';
import type { ControllerContext, ControllerDescriptor, ControllerOptions } from './context.js';
import { CONTROLLERS } from './registry.js';

/** Options of {@link startControllerManager}. */
export interface ControllerManagerOptions {
  /** Connection and identity (system:kube-controller-manager). */
  client: ClientConfig;
  /**
   * Which controllers run, as kube-controller-manager's `--controllers`: names, `*` for all,
   * `-name` to leave one out (default all).
   */
  controllers?: string[];
  options?: ControllerOptions;
  /** Campaign for the kube-system/kube-controller-manager Lease first (default true). */
  leaderElect?: boolean;
  /** Lease timings (tests shorten them). */
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  clock?: () => number;
  /** Where failures are reported (default: warnings). */
  log?: (message: string) => void;
}

/** A running controller manager. */
export interface ControllerManager {
  /** The controllers that run when this instance leads. */
  readonly controllers: readonly string[];
  /** Whether this instance leads now. */
  readonly isLeader: boolean;
  /** Resolves when every informer of the leading term has synced. */
  synced(): Promise<void>;
  stop(): Promise<void>;
}

/** Picks controllers by kube-controller-manager's `--controllers` rules. */
export function selectControllers(all: readonly ControllerDescriptor[], names: string[] = ['*']): ControllerDescriptor[] {
  const known = new Set(all.map((c) => c.name));
  for (const n of names) {
    const bare = n.replace(/^-/, '');
    if (bare !== '*' && !known.has(bare)) throw new Error(`"${bare}" is not in the list of known controllers`);
  }
  const star = names.includes('*');
  return all.filter((c) => !names.includes(`-${c.name}`) && (star || names.includes(c.name)));
}

/**
 * The controller manager: one client (its own identity), shared informers, and the selected
 * controllers, started once this instance holds the kube-system/kube-controller-manager Lease
 * and stopped (informers too) when it loses it. With several instances exactly one leads.
 */
export function startControllerManager(opts: ControllerManagerOptions): ControllerManager {
  const selected = selectControllers(CONTROLLERS, opts.controllers);
  const client = new KubeClient({ qps: 0, userAgent: 'kube-controller-manager/v1.32.5 (linux/amd64) tskube', ...opts.client });
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const host = hostname();
  const recorders = new Map<string, EventRecorder>();
  const recorder = (component: string) => {
    let r = recorders.get(component);
    if (!r) recorders.set(component, (r = new EventRecorder(client, { component })));
    return r;
  };
  let term: { informers: InformerFactory; done: Promise<void> } | undefined;
  let syncWaiters: (() => void)[] = [];
  const log = opts.log ?? ((m: string) => process.emitWarning(m, 'ControllerManagerWarning'));

  const lead = (leaderSignal: AbortSignal) => {
    const informers = new InformerFactory(client, { log });
    const ctx: ControllerContext = { client, informers, recorder, signal: leaderSignal, options: opts.options ?? {}, clock: opts.clock ?? Date.now };
    const runs = selected.map(async (c) => {
      try {
        await c.start(ctx);
      } catch (err) {
        log(`controller ${c.name} failed: ${(err as Error)?.stack ?? err}`);
      }
    });
    informers.start();
    void informers.waitForSync(leaderSignal).then(() => { for (const w of syncWaiters.splice(0)) w(); });
    const done = Promise.all(runs).then(async () => {
      await new Promise<void>((r) => (leaderSignal.aborted ? r() : leaderSignal.addEventListener('abort', () => r(), { once: true })));
      await informers.stop();
    });
    term = { informers, done };
  };

  let elector: LeaderElector | undefined;
  let running: Promise<void>;
  if (opts.leaderElect === false) {
    lead(stop.signal);
    running = Promise.resolve();
  } else {
    elector = new LeaderElector(client, {
      namespace: 'kube-system', name: 'kube-controller-manager', identity: `${host}_${randomUUID()}`,
      leaseDurationMs: opts.leaseDurationMs, renewDeadlineMs: opts.renewDeadlineMs, retryPeriodMs: opts.retryPeriodMs,
    });
    running = elector.run(stop.signal, { onStartedLeading: lead });
  }

  return {
    controllers: selected.map((c) => c.name),
    get isLeader() {
      return elector ? elector.isLeader : !stop.signal.aborted;
    },
    synced() {
      return new Promise((resolve) => {
        syncWaiters.push(resolve);
        if (term) void term.informers.waitForSync().then(() => { syncWaiters = syncWaiters.filter((w) => w !== resolve); resolve(); });
      });
    },
    async stop() {
      stop.abort();
      await running;
      await term?.done;
      await Promise.all([...recorders.values()].map((r) => r.flush()));
      client.close();
    },
  };
}
