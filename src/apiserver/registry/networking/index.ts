import type { ResourceDefinition } from '../resource.js';

/** Every resource of the networking.k8s.io group served, preferred version first, in discovery order. */
export const NETWORKING_RESOURCES: ResourceDefinition[] = [];
