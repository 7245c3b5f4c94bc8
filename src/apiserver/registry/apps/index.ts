import type { ResourceDefinition } from '../resource.js';
import { controllerRevisions } from './controllerrevisions.js';
import { daemonSets } from './daemonsets.js';
import { deployments } from './deployments.js';
import { replicaSets } from './replicasets.js';
import { statefulSets } from './statefulsets.js';

/** Every resource of the apps group served, preferred version first, in discovery order. */
export const APPS_RESOURCES: ResourceDefinition[] = [controllerRevisions, daemonSets, deployments, replicaSets, statefulSets];
