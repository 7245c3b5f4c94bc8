import type { EventRecorder } from '../client/events.js';
import type { InformerFactory } from '../client/cache/informer-factory.js';
import type { KubeClient } from '../client/kube-client.js';

/** Tunables of the controllers; every one has upstream's default, tests shorten them. */
export interface ControllerOptions {
  /** The cluster CA (PEM) the root-CA publisher puts into `kube-root-ca.crt`. */
  rootCaPem?: string;
  /** How long a node may go without a heartbeat before it is marked Unknown (default 50 s, as v1.32). */
  nodeMonitorGracePeriodMs?: number;
  /** How often node health is checked (default 5 s). */
  nodeMonitorPeriodMs?: number;
  /** How long a new node may take to post its first status (default 60 s). */
  nodeStartupGracePeriodMs?: number;
  /** Nodes per second tainted for eviction in a healthy zone (default 0.1) and in a partly disrupted large one (0.01). */
  nodeEvictionRate?: number;
  secondaryNodeEvictionRate?: number;
  /** Above this many nodes a zone counts as large (default 50); a zone is unhealthy past this share of not-ready nodes (0.55). */
  largeClusterSizeThreshold?: number;
  unhealthyZoneThreshold?: number;
  /** Full recalculation period of ResourceQuota usage (default 5 min). */
  resourceQuotaSyncPeriodMs?: number;
  /** Period of the garbage collector's and other controllers' full resyncs, where they have one. */
  resyncPeriodMs?: number;
  /** How long the namespace controller waits before handling a namespace event (default 5 s). */
  namespaceDeletionGracePeriodMs?: number;
  /** Most time between two looks at a namespace whose content remains (default: its estimate, no cap). */
  namespaceMaxRecheckMs?: number;
  /** The job controller's batching of pod events (default 1 s) and its pod failure backoff (10 s doubling to 10 min). */
  jobSyncBatchPeriodMs?: number;
  jobPodFailureBackoffMs?: number;
  jobMaxPodFailureBackoffMs?: number;
}

/** What every controller is given. */
export interface ControllerContext {
  /** The controller manager's client (identity system:kube-controller-manager). */
  client: KubeClient;
  /** Shared informers; the manager starts them after every controller has asked for its own. */
  informers: InformerFactory;
  /** An event recorder writing as `component` (e.g. `deployment-controller`). */
  recorder(component: string): EventRecorder;
  /** Aborts when the controller must stop (shutdown or lost leadership). */
  signal: AbortSignal;
  options: ControllerOptions;
  /** The time now in ms; injectable for tests. */
  clock: () => number;
}

/** One controller: a name (as `--controllers` names it) and how to start it. */
export interface ControllerDescriptor {
  name: string;
  /**
   * Registers informers and handlers synchronously, then runs until `ctx.signal` aborts. The
   * returned promise may resolve at once (work continues in the background) or when it stops.
   */
  start(ctx: ControllerContext): Promise<void> | void;
}
