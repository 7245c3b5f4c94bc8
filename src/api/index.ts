import { SchemaRegistry } from './schema/registry.js';
import { META_V1_TYPES } from './meta/v1.js';
import { CORE_V1_TYPES } from './core/v1.js';
import { APPS_V1_TYPES } from './apps/v1.js';
import { AUTOSCALING_V1_TYPES } from './autoscaling/v1.js';
import { AUTOSCALING_V2_TYPES } from './autoscaling/v2.js';
import { BATCH_V1_TYPES } from './batch/v1.js';
import { COORDINATION_V1_TYPES } from './coordination/v1.js';
import { DISCOVERY_V1_TYPES } from './discovery/v1.js';
import { EVENTS_V1_TYPES } from './events/v1.js';
import { NETWORKING_V1_TYPES } from './networking/v1.js';
import { POLICY_V1_TYPES } from './policy/v1.js';
import { RBAC_V1_TYPES } from './rbac/v1.js';
import { SCHEDULING_V1_TYPES } from './scheduling/v1.js';

/**
 * A registry holding every built-in type tskube describes: the served kinds of each built-in
 * group-version, their lists, and every type they reach. Each call builds a new registry.
 */
export function builtinSchemas(): SchemaRegistry {
  return new SchemaRegistry().define(
    ...META_V1_TYPES,
    ...CORE_V1_TYPES,
    ...APPS_V1_TYPES,
    ...AUTOSCALING_V1_TYPES,
    ...AUTOSCALING_V2_TYPES,
    ...BATCH_V1_TYPES,
    ...COORDINATION_V1_TYPES,
    ...DISCOVERY_V1_TYPES,
    ...EVENTS_V1_TYPES,
    ...NETWORKING_V1_TYPES,
    ...POLICY_V1_TYPES,
    ...RBAC_V1_TYPES,
    ...SCHEDULING_V1_TYPES,
  );
}
