import type { ResourceDefinition } from '../resource.js';

/** Every resource of the rbac.authorization.k8s.io group served, preferred version first, in discovery order. */
export const RBAC_RESOURCES: ResourceDefinition[] = [];
