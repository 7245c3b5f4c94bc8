/** The `endpoints` controller of the controller manager. */
import type { ControllerDescriptor } from '../context.js';
import { EndpointsController } from './controller.js';

/**
 * Keeps an Endpoints object (same name) for every Service with a selector, deletes it with the
 * Service; leaves selector-less Services (such as `default/kubernetes`) alone.
 */
export const descriptor: ControllerDescriptor = {
  name: 'endpoints',
  start(ctx) {
    const controller = new EndpointsController(ctx);
    return controller.run();
  },
};
