import { SchemaRegistry } from './schema/registry.js';
import { META_V1_TYPES } from './meta/v1.js';
import { CORE_V1_TYPES } from './core/v1.js';

/** A registry holding every built-in type tskube describes. */
export function builtinSchemas(): SchemaRegistry {
  return new SchemaRegistry().define(...META_V1_TYPES, ...CORE_V1_TYPES);
}
