import type { ResourceDefinition } from '../resource.js';

/** Every resource of the apps group served, preferred version first, in discovery order. */
export const APPS_RESOURCES: ResourceDefinition[] = [];
