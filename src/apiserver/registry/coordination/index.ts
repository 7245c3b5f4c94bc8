import type { ResourceDefinition } from '../resource.js';
import { leases } from './leases.js';

/** Every resource of the coordination.k8s.io group served, preferred version first, in discovery order. */
export const COORDINATION_RESOURCES: ResourceDefinition[] = [leases];
