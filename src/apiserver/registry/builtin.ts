import type { ResourceDefinition } from './resource.js';
import { CORE_V1_RESOURCES } from './core/index.js';
import { APPS_RESOURCES } from './apps/index.js';
import { BATCH_RESOURCES } from './batch/index.js';
import { COORDINATION_RESOURCES } from './coordination/index.js';
import { EVENTS_RESOURCES } from './events/index.js';
import { DISCOVERY_RESOURCES } from './discovery/index.js';
import { POLICY_RESOURCES } from './policy/index.js';
import { AUTOSCALING_RESOURCES } from './autoscaling/index.js';
import { NETWORKING_RESOURCES } from './networking/index.js';
import { SCHEDULING_RESOURCES } from './scheduling/index.js';
import { RBAC_RESOURCES } from './rbac/index.js';

/**
 * Every built-in resource the API server serves, group by group in upstream's discovery order
 * (core first). Discovery, routing, OpenAPI and storage all derive from this one list.
 */
export const BUILTIN_RESOURCES: ResourceDefinition[] = [
  ...CORE_V1_RESOURCES,
  ...APPS_RESOURCES,
  ...EVENTS_RESOURCES,
  ...AUTOSCALING_RESOURCES,
  ...BATCH_RESOURCES,
  ...NETWORKING_RESOURCES,
  ...POLICY_RESOURCES,
  ...RBAC_RESOURCES,
  ...SCHEDULING_RESOURCES,
  ...COORDINATION_RESOURCES,
  ...DISCOVERY_RESOURCES,
];

/** The key a resource's registry is found by: `<group>/<plural>` (`/pods`, `apps/deployments`). */
export function resourceKey(group: string, plural: string): string {
  return `${group}/${plural}`;
}
