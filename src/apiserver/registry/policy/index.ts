import type { ResourceDefinition } from '../resource.js';
import { podDisruptionBudgets } from './poddisruptionbudgets.js';

/** Every resource of the policy group served, preferred version first, in discovery order. */
export const POLICY_RESOURCES: ResourceDefinition[] = [podDisruptionBudgets];
