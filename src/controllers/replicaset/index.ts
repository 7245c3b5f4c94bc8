import type { ControllerDescriptor } from '../context.js';
import { ReplicaSetController } from './controller.js';

/** The `replicaset` controller of the controller manager. */
export const descriptor: ControllerDescriptor = {
  name: 'replicaset',
  start(ctx) {
    return new ReplicaSetController(ctx).run();
  },
};
