/**
 * Field sets of whole objects by type name, and their FieldsV1 JSON: the entry points for code
 * outside the apply machinery.
 */
import type { SchemaRegistry } from '../schema/registry.js';
import { FieldSet, type FieldsV1 } from './field-set.js';
import type { Json } from './go-format.js';
import { TypeSchema } from './schema-atoms.js';
import { toFieldSet } from './typed-fieldset.js';

const schemaCache = new WeakMap<SchemaRegistry, TypeSchema>();

function typeSchema(schemas: SchemaRegistry): TypeSchema {
  let s = schemaCache.get(schemas);
  if (!s) {
    s = new TypeSchema(schemas);
    schemaCache.set(schemas, s);
  }
  return s;
}

/**
 * The fields `obj` sets, read as the kind `typeName` (`io.k8s.api.core.v1.ConfigMap`): what an
 * Apply of `obj` would own. Struct fields holding objects are not members themselves; list items
 * and map entries are.
 */
export function fieldSetOf(schemas: SchemaRegistry, typeName: string, obj: { [key: string]: Json }): FieldSet {
  const s = typeSchema(schemas);
  return toFieldSet(s, s.root(typeName), obj);
}

/** The FieldsV1 JSON of a set (`{"f:data":{".":{},"f:key":{}}}`), keys in upstream's order. */
export function encodeFieldsV1(set: FieldSet): FieldsV1 {
  return set.toFieldsV1();
}

/** A set from FieldsV1 JSON (object or text); throws FieldsV1Error when malformed. */
export function decodeFieldsV1(raw: unknown): FieldSet {
  return FieldSet.fromFieldsV1(raw);
}
