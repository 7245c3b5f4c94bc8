/**
 * The `cronjob` controller of the controller manager: starts Jobs on CronJob schedules
 * (upstream's CronJob controller v2, component `cronjob-controller`).
 */
import type { ControllerContext, ControllerDescriptor } from '../context.js';
import { CronJobController } from './controller.js';
import { CRONJOB_COMPONENT } from './events.js';

export { CronJobController, type CronJobControllerDeps } from './controller.js';

/** Upstream's `--concurrent-cron-job-syncs` default. */
const WORKERS = 5;

/** Registers the CronJob and Job informers at start, then syncs until `ctx.signal` aborts. */
export const descriptor: ControllerDescriptor = {
  name: 'cronjob',
  start(ctx: ControllerContext): Promise<void> {
    const controller = new CronJobController({
      client: ctx.client, informers: ctx.informers, recorder: ctx.recorder(CRONJOB_COMPONENT), clock: ctx.clock,
    });
    return controller.run(ctx.signal, WORKERS);
  },
};
