/** The `endpointslice` controller of the controller manager. */
import type { ControllerDescriptor } from '../context.js';
import { EndpointSliceController } from './controller.js';

/**
 * Keeps EndpointSlices (`<service>-<random>`, at most 100 endpoints each, owned by the Service)
 * for every Service with a selector.
 */
export const descriptor: ControllerDescriptor = {
  name: 'endpointslice',
  start(ctx) {
    return new EndpointSliceController(ctx).run();
  },
};
