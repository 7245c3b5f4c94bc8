import type { ResourceDefinition } from '../resource.js';
import { priorityClasses } from './priorityclasses.js';

export { SYSTEM_PRIORITY_CLASSES } from './priorityclasses.js';

/** Every resource of the scheduling.k8s.io group served, preferred version first, in discovery order. */
export const SCHEDULING_RESOURCES: ResourceDefinition[] = [priorityClasses];
