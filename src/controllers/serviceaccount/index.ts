/**
 * The `serviceaccount` controller of the controller manager: the `default` ServiceAccount in
 * every active namespace (upstream's ServiceAccountsController).
 */
import type { ControllerContext, ControllerDescriptor } from '../context.js';
import { ServiceAccountsController } from './controller.js';

export { DEFAULT_SERVICE_ACCOUNTS, ServiceAccountsController, type ServiceAccountsControllerDeps } from './controller.js';

/** Registers the ServiceAccount and Namespace informers at start, then syncs until `ctx.signal` aborts. */
export const descriptor: ControllerDescriptor = {
  name: 'serviceaccount',
  start(ctx: ControllerContext): Promise<void> {
    const controller = new ServiceAccountsController({ client: ctx.client, informers: ctx.informers });
    return controller.run(ctx.signal, 1);
  },
};
