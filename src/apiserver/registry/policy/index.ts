import type { ResourceDefinition } from '../resource.js';

/** Every resource of the policy group served, preferred version first, in discovery order. */
export const POLICY_RESOURCES: ResourceDefinition[] = [];
