/**
 * The `root-ca-cert-publisher` controller of the controller manager: the cluster CA as the
 * `kube-root-ca.crt` ConfigMap in every namespace (upstream's rootcacertpublisher).
 */
import type { ControllerContext, ControllerDescriptor } from '../context.js';
import { RootCaPublisher } from './publisher.js';

export { CA_KEY, DESCRIPTION, DESCRIPTION_ANNOTATION, ROOT_CA_CONFIGMAP, RootCaPublisher, type PublisherDeps } from './publisher.js';

/**
 * Registers the ConfigMap and Namespace informers at start, then syncs until `ctx.signal`
 * aborts. Without `ctx.options.rootCaPem` there is nothing to publish and it does not start.
 */
export const descriptor: ControllerDescriptor = {
  name: 'root-ca-cert-publisher',
  start(ctx: ControllerContext): Promise<void> | void {
    const rootCaPem = ctx.options.rootCaPem;
    if (!rootCaPem) {
      process.emitWarning('root-ca-cert-publisher: no root CA given (options.rootCaPem); not starting', 'ControllerWarning');
      return;
    }
    const publisher = new RootCaPublisher({ client: ctx.client, informers: ctx.informers, rootCaPem });
    return publisher.run(ctx.signal, 1);
  },
};
