import { defaultResetFields, FieldManager } from '../../api/apply/index.js';
import type { SchemaRegistry } from '../../api/schema/registry.js';
import type { Applier } from '../endpoints/resource-handler.js';
import type { GenericRegistry } from './generic-registry.js';
import { apiVersionOf, type ResourceDefinition } from './resource.js';

/** The fields a write through `subresource` of `def` resets, which no manager may own there. */
function resetFields(def: ResourceDefinition, subresource: string): string[][] {
  return defaultResetFields(subresource, def.subresources?.includes('status') ?? false);
}

/**
 * Makes every registry whose type the schema registry describes record managedFields on each
 * write, and answers the server-side apply function the resource handler uses. Both go through
 * one FieldManager.
 */
export function attachFieldManager(schemas: SchemaRegistry, registries: Iterable<GenericRegistry>): Applier {
  const fm = new FieldManager(schemas);
  for (const reg of registries) {
    const def = reg.def;
    const type = schemas.kind(def.group, def.version, def.kind);
    if (!type) continue;
    const apiVersion = apiVersionOf(def);
    reg.recordManagedFields = (old, obj, manager, subresource) => fm.update(type.name, apiVersion, old, obj, manager ?? '', {
      subresource: subresource === 'binding' ? '' : subresource, resetFields: resetFields(def, subresource),
    });
  }
  return (def, live, patch, manager, force, subresource) => {
    const type = schemas.kind(def.group, def.version, def.kind);
    if (!type) throw new Error(`no schema for ${def.kind}`);
    return fm.apply(type.name, apiVersionOf(def), live, patch, manager, force, { subresource, resetFields: resetFields(def, subresource) });
  };
}
