import type { ResourceDefinition } from '../resource.js';

/** Every resource of the batch group served, preferred version first, in discovery order. */
export const BATCH_RESOURCES: ResourceDefinition[] = [];
