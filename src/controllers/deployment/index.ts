import type { ControllerDescriptor } from '../context.js';
import { DeploymentController } from './controller.js';

/** The `deployment` controller of the controller manager. */
export const descriptor: ControllerDescriptor = {
  name: 'deployment',
  start(ctx) {
    return new DeploymentController(ctx).run();
  },
};
