/**
 * The `namespace` controller of the controller manager: deletes the content of namespaces being
 * deleted and then takes their `kubernetes` finalizer off, so the API server removes them
 * (upstream's NamespaceController and namespaced resources deleter).
 */
import type { ControllerContext, ControllerDescriptor } from '../context.js';
import { NamespaceController, WORKERS } from './controller.js';

export { NamespaceController, type NamespaceControllerDeps, DELETION_GRACE_PERIOD_MS } from './controller.js';
export { NamespaceDeleter, ResourcesRemainingError, FINALIZER_TOKEN } from './deleter.js';

/** Registers the Namespace informer at start, then syncs until `ctx.signal` aborts. */
export const descriptor: ControllerDescriptor = {
  name: 'namespace',
  start(ctx: ControllerContext): Promise<void> {
    const options = ctx.options;
    const controller = new NamespaceController({
      client: ctx.client, informers: ctx.informers, clock: ctx.clock,
      deletionGracePeriodMs: options.namespaceDeletionGracePeriodMs, maxRecheckMs: options.namespaceMaxRecheckMs,
    });
    return controller.run(ctx.signal, WORKERS);
  },
};
