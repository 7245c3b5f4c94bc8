import type { SchemaRegistry } from './registry.js';
import type { Shape } from './shapes.js';

/**
 * Removes from `obj` every field its type does not describe, as decoding into upstream's Go types
 * drops them, and answers their paths in upstream's notation (`spec.foo`, `items[0].bar`), in the
 * order met. `apiVersion` and `kind` are always known at the top. Like that round trip, it also
 * drops `null` values and empty lists and maps (the Go fields are omitted when empty).
 */
export function pruneUnknownFields(schemas: SchemaRegistry, typeName: string, obj: Record<string, unknown>): string[] {
  const unknown: string[] = [];
  pruneObject(schemas, typeName, obj, '', unknown, true);
  return unknown;
}

function pruneObject(schemas: SchemaRegistry, typeName: string, obj: Record<string, unknown>, path: string, unknown: string[], top = false): void {
  const fields = schemas.fieldShapes(typeName);
  for (const key of Object.keys(obj)) {
    if (top && (key === 'apiVersion' || key === 'kind')) continue;
    const shape = fields.get(key);
    const here = path ? `${path}.${key}` : key;
    if (!shape) {
      unknown.push(here);
      delete obj[key];
      continue;
    }
    const v = obj[key];
    if (v === null || ((shape.kind === 'list' || shape.kind === 'map') && isEmpty(v))) {
      delete obj[key];
      continue;
    }
    pruneValue(schemas, shape, v, here, unknown);
  }
}

function pruneValue(schemas: SchemaRegistry, shape: Shape, value: unknown, path: string, unknown: string[]): void {
  if (value === null || typeof value !== 'object') return;
  if (shape.kind === 'ref' && !Array.isArray(value)) {
    pruneObject(schemas, shape.type, value as Record<string, unknown>, path, unknown);
  } else if (shape.kind === 'list' && Array.isArray(value)) {
    value.forEach((item, i) => pruneValue(schemas, shape.item, item, `${path}[${i}]`, unknown));
  } else if (shape.kind === 'map' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) pruneValue(schemas, shape.value, v, `${path}[${k}]`, unknown);
  }
}

function isEmpty(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && v !== null && Object.keys(v).length === 0;
}
