import type { ResourceDefinition } from '../resource.js';
import { configMaps } from './configmaps.js';
import { namespaces } from './namespaces.js';

/** Every resource of the core group (v1) served, in discovery order. */
export const CORE_V1_RESOURCES: ResourceDefinition[] = [configMaps, namespaces];
