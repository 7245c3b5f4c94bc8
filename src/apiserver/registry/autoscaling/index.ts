import type { ResourceDefinition } from '../resource.js';
import { horizontalPodAutoscalersV1 } from './hpa-v1.js';
import { horizontalPodAutoscalersV2 } from './hpa-v2.js';

/** Every resource of the autoscaling group served, preferred version first (v2, stored), in discovery order. */
export const AUTOSCALING_RESOURCES: ResourceDefinition[] = [horizontalPodAutoscalersV2, horizontalPodAutoscalersV1];
