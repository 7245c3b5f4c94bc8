import type { ResourceDefinition } from '../resource.js';

/** Every resource of the autoscaling group served, preferred version first, in discovery order. */
export const AUTOSCALING_RESOURCES: ResourceDefinition[] = [];
