import type { ControllerDescriptor } from './context.js';

/** Every controller of the controller manager, in start order. */
export const CONTROLLERS: readonly ControllerDescriptor[] = [];
