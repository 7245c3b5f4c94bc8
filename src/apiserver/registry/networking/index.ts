import type { ResourceDefinition } from '../resource.js';
import { ingressClasses } from './ingressclasses.js';
import { ingresses } from './ingresses.js';
import { networkPolicies } from './networkpolicies.js';

/** Every resource of the networking.k8s.io group served, preferred version first, in discovery order. */
export const NETWORKING_RESOURCES: ResourceDefinition[] = [ingressClasses, ingresses, networkPolicies];
