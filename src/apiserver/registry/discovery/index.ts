import type { ResourceDefinition } from '../resource.js';
import { endpointSlices } from './endpointslices.js';

/** Every resource of the discovery.k8s.io group served, preferred version first, in discovery order. */
export const DISCOVERY_RESOURCES: ResourceDefinition[] = [endpointSlices];
