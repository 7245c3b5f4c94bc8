/**
 * tskube's kube-scheduler: upstream v1.32's scheduling queue, cache, framework and default
 * plugins (see docs in each file), driven by informers and binding through the API server.
 */
import { EventRecorder, InformerFactory, NODES, PODS, type KubeClient, type KubeObject } from '../client/index.js';
import { SchedulerCore, type CoreOptions, type SchedulerApi } from './core.js';
import { DEFAULT_SCHEDULER_NAME, schedulerEventHandlers } from './event-handlers.js';
import type { Pod } from './framework/pod-info.js';
import { runSchedulingLoop, statisticsOf, type Scheduler } from './scheduler.js';

export type { Scheduler, SchedulerStatistics } from './scheduler.js';
export type { Decision, FilterRecord, ScoreRecord } from './decisions.js';

/** Options of {@link startScheduler}. */
export interface SchedulerOptions {
  client: KubeClient;
  /**
   * A shared informer factory. When given, the caller starts it (the scheduler registers its
   * pod and node informers synchronously here); otherwise the scheduler makes and starts its own.
   */
  informers?: InformerFactory;
  signal: AbortSignal;
  /** Default: a recorder reporting as `default-scheduler`. */
  recorder?: EventRecorder;
  /** 0 or unset: upstream's adaptive percentage. */
  percentageOfNodesToScore?: number;
  /** Pod backoff, default 1 s doubling to 10 s. */
  backoff?: { initialMs: number; maxMs: number };
  /** Binding cycles in flight at most (default 64). Filtering and scoring run on one thread. */
  parallelism?: number;
  /** Pods kept unschedulable this long are retried without an event (default 5 min). */
  unschedulableTimeoutMs?: number;
  /** Which pods are ours (`spec.schedulerName`, default `default-scheduler`). */
  schedulerName?: string;
  /** Core tunables for tests (tie-breaking, clock, plugins, decision capacity). */
  core?: Omit<CoreOptions, 'percentageOfNodesToScore' | 'backoff' | 'maxBindsInFlight' | 'unschedulableTimeoutMs'>;
}

/** The API layer over the client: binding, status patches, events and the informer's pods. */
export function clientApi(client: KubeClient, recorder: EventRecorder, getPod: SchedulerApi['getPod']): SchedulerApi {
  return {
    bind: (namespace, name, body) => client.pods.createSubresource(name, 'binding', body, namespace),
    patchPodStatus: (namespace, name, patch) => client.pods.patch(name, patch, { namespace, subresource: 'status', type: 'strategic' }),
    event: (pod, type, reason, message) => recorder.event({ apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata } as KubeObject, type, reason, message),
    getPod,
  };
}

/**
 * Starts the scheduler: registers pod and node informers, waits for them to sync, then
 * schedules pending pods of `schedulerName` until `signal` aborts. Returns at once.
 */
export function startScheduler(opts: SchedulerOptions): Scheduler {
  const ownFactory = !opts.informers;
  const factory = opts.informers ?? new InformerFactory(opts.client);
  const pods = factory.informer<KubeObject>(PODS);
  const nodes = factory.informer<KubeObject>(NODES);
  const recorder = opts.recorder ?? new EventRecorder(opts.client, { component: DEFAULT_SCHEDULER_NAME });
  const api = clientApi(opts.client, recorder, (ns, name) => pods.store.getByName(ns, name) as Pod | undefined);
  const core = new SchedulerCore(api, {
    ...opts.core,
    percentageOfNodesToScore: opts.percentageOfNodesToScore,
    backoff: opts.backoff,
    maxBindsInFlight: opts.parallelism,
    unschedulableTimeoutMs: opts.unschedulableTimeoutMs,
  });
  const handlers = schedulerEventHandlers(core, opts.schedulerName ?? DEFAULT_SCHEDULER_NAME);
  nodes.addEventHandler(handlers.nodes);
  pods.addEventHandler(handlers.pods);
  if (ownFactory) factory.start();
  const done = (async () => {
    try {
      await Promise.all([nodes.waitForSync(opts.signal), pods.waitForSync(opts.signal)]);
      await runSchedulingLoop(core, opts.signal);
    } finally {
      core.queue.close();
      if (ownFactory) await factory.stop();
    }
  })();
  return {
    decisionFor: (namespace, name) => core.decisions.get(namespace, name),
    stats: () => statisticsOf(core),
    done,
  };
}
