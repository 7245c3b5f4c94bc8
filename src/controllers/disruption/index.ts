/** The `disruption` controller of the controller manager. */
import type { ControllerDescriptor } from '../context.js';
import { DisruptionController } from './controller.js';

/**
 * Writes every PodDisruptionBudget's status (currentHealthy, desiredHealthy, expectedPods,
 * disruptionsAllowed, disruptedPods, observedGeneration, the DisruptionAllowed condition).
 */
export const descriptor: ControllerDescriptor = {
  name: 'disruption',
  start(ctx) {
    return new DisruptionController(ctx).run();
  },
};
