import type { ResourceDefinition } from '../resource.js';
import { events } from './events.js';

/** Every resource of the events.k8s.io group served, preferred version first, in discovery order. */
export const EVENTS_RESOURCES: ResourceDefinition[] = [events];
