/**
 * The `job` controller of the controller manager: runs Jobs' pods to completion (upstream's Job
 * controller, component `job-controller`).
 */
import type { ControllerContext, ControllerDescriptor, ControllerOptions } from '../context.js';
import { JOB_COMPONENT } from './constants.js';
import { JobController } from './controller.js';
import type { JobTunables } from './deps.js';

export { JobController, type JobControllerDeps } from './controller.js';
export { DEFAULT_JOB_TUNABLES, type JobTunables } from './deps.js';
export { TtlAfterFinishedController, ttlAfterFinishedDescriptor } from './ttl-after-finished.js';

/** Upstream's `--concurrent-job-syncs` default. */
const WORKERS = 5;

/** The job tunables among the controller manager's options (tests shorten them). */
function tunablesFrom(o: ControllerOptions): Partial<JobTunables> {
  const out: Partial<JobTunables> = {};
  if (typeof o.jobSyncBatchPeriodMs === 'number') out.syncBatchPeriodMs = o.jobSyncBatchPeriodMs;
  if (typeof o.jobPodFailureBackoffMs === 'number') out.podFailureBackoffMs = o.jobPodFailureBackoffMs;
  if (typeof o.jobMaxPodFailureBackoffMs === 'number') out.maxPodFailureBackoffMs = o.jobMaxPodFailureBackoffMs;
  return out;
}

/** Registers the Job and Pod informers at start, then syncs until `ctx.signal` aborts. */
export const descriptor: ControllerDescriptor = {
  name: 'job',
  start(ctx: ControllerContext): Promise<void> {
    const controller = new JobController({
      client: ctx.client, informers: ctx.informers, recorder: ctx.recorder(JOB_COMPONENT), clock: ctx.clock,
      tunables: tunablesFrom(ctx.options),
    });
    return controller.run(ctx.signal, WORKERS);
  },
};
