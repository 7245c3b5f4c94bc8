/** The `resourcequota` controller of the controller manager. */
import type { ControllerDescriptor } from '../context.js';
import { ResourceQuotaController } from './controller.js';

/**
 * Writes every ResourceQuota's status (`hard` from the spec, `used` from the namespace's pods,
 * services, claims and object counts); full recalculation every `resourceQuotaSyncPeriodMs`.
 */
export const descriptor: ControllerDescriptor = {
  name: 'resourcequota',
  start(ctx) {
    return new ResourceQuotaController(ctx).run();
  },
};
