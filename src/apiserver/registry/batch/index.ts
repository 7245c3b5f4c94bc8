import type { ResourceDefinition } from '../resource.js';
import { cronJobs } from './cronjobs.js';
import { jobs } from './jobs.js';

/** Every resource of the batch group served, preferred version first, in discovery order. */
export const BATCH_RESOURCES: ResourceDefinition[] = [cronJobs, jobs];
