import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { ClientConfig } from '../client/config.js';
import { KubeClient } from '../client/kube-client.js';
import { LeaderElector } from '../client/leader-election.js';
import { startScheduler, type Scheduler, type SchedulerOptions } from '../scheduler/index.js';
import { startSimulatedNodes, type SimulatedNodes, type SimulatedNodesOptions } from '../kubelet/index.js';

/** A running scheduler component: leader-elected, with its own client. */
export interface SchedulerComponent {
  /** The scheduler of the current leading term (undefined while not leading). */
  readonly current: Scheduler | undefined;
  stop(): Promise<void>;
}

/** Options of {@link startSchedulerComponent}. */
export interface SchedulerComponentOptions extends Omit<SchedulerOptions, 'client' | 'signal'> {
  /** Campaign for kube-system/kube-scheduler first (default true). */
  leaderElect?: boolean;
}

/**
 * kube-scheduler as a component: a client with the scheduler's identity, leader election on the
 * kube-system/kube-scheduler Lease, and a scheduler running while this instance leads.
 */
export function startSchedulerComponent(config: ClientConfig, opts: SchedulerComponentOptions = {}): SchedulerComponent {
  const client = new KubeClient({ userAgent: 'kube-scheduler/v1.32.5 (linux/amd64) tskube', ...config });
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  let current: Scheduler | undefined;
  const lead = (signal: AbortSignal) => {
    current = startScheduler({ ...opts, client, signal });
  };
  let running: Promise<void>;
  if (opts.leaderElect === false) {
    lead(stop.signal);
    running = Promise.resolve();
  } else {
    const elector = new LeaderElector(client, { namespace: 'kube-system', name: 'kube-scheduler', identity: `${hostname()}_${randomUUID()}` });
    running = elector.run(stop.signal, { onStartedLeading: lead, onStoppedLeading: () => { current = undefined; } });
  }
  return {
    get current() {
      return current;
    },
    async stop() {
      const last = current;
      stop.abort();
      await running;
      await last?.done;
      client.close();
    },
  };
}

/** A running set of simulated nodes with its own client. */
export interface SimulatedNodesComponent {
  nodes: SimulatedNodes;
  stop(): Promise<void>;
}

/** Starts `count` simulated nodes writing with the node simulator's identity. */
export async function startSimulatedNodesComponent(
  config: ClientConfig, opts: Omit<SimulatedNodesOptions, 'client' | 'signal'>,
): Promise<SimulatedNodesComponent> {
  const client = new KubeClient({ userAgent: 'kubelet/v1.32.5 (linux/amd64) tskube', ...config });
  const stop = new AbortController();
  const nodes = await startSimulatedNodes({ ...opts, client, signal: stop.signal });
  return {
    nodes,
    async stop() {
      stop.abort();
      await nodes.stop();
      client.close();
    },
  };
}
