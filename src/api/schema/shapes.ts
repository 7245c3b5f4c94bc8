/**
 * The vocabulary in which tskube describes every built-in API type once. Validation, OpenAPI,
 * protobuf, strategic-merge metadata and Tables are derived from these descriptions.
 *
 * A type is a list of fields; a field has its JSON name, its protobuf field number and a shape.
 * Shapes are the JSON/protobuf pairs Kubernetes uses: scalars, `time` (RFC 3339 in JSON, the
 * `Time` message in protobuf), `bytes` (base64 in JSON), `rawJson` (embedded JSON, the `FieldsV1`
 * message), string maps, lists (with their merge semantics) and references to other types.
 */

/** How one value looks in JSON and in protobuf. */
export type Shape =
  | { kind: 'string' | 'bool' | 'int32' | 'int64' | 'bytes' | 'time' | 'rawJson' }
  | { kind: 'map'; value: Shape }
  | { kind: 'list'; item: Shape; listType?: 'atomic' | 'set' | 'map'; listMapKeys?: string[]; patchStrategy?: string; patchMergeKey?: string }
  | { kind: 'ref'; type: string };

/** One field of a type. */
export interface Field {
  /** The JSON name (also the protobuf field name). */
  name: string;
  /** The protobuf field number. */
  proto: number;
  shape: Shape;
  /** What the field means, in tskube's own words. */
  description: string;
  /**
   * True when a zero value (false, 0, "") is meaningful and kept in JSON: Go pointer fields and
   * fields without omitempty. Otherwise zero values, which protobuf always carries, are dropped.
   */
  keepZero?: boolean;
}

/** One API type, named by its fully qualified OpenAPI name (`io.k8s.api.core.v1.ConfigMap`). */
export interface TypeDef {
  name: string;
  description: string;
  fields: Field[];
  /** For top-level kinds: the group, version and kind. */
  gvk?: { group: string; version: string; kind: string };
}

/** A string. */
export const str: Shape = { kind: 'string' };
/** A boolean. */
export const bool: Shape = { kind: 'bool' };
/** A 32-bit integer. */
export const i32: Shape = { kind: 'int32' };
/** A 64-bit integer (a JSON number). */
export const i64: Shape = { kind: 'int64' };
/** Bytes, base64 in JSON. */
export const bytes: Shape = { kind: 'bytes' };
/** A timestamp: RFC 3339 with whole seconds in JSON, `{seconds, nanos}` in protobuf. */
export const time: Shape = { kind: 'time' };
/** Embedded JSON, carried as raw bytes in protobuf (`FieldsV1`). */
export const rawJson: Shape = { kind: 'rawJson' };

/** A map from strings to `value`. */
export function mapOf(value: Shape): Shape {
  return { kind: 'map', value };
}

/** A list of `item`, with its merge semantics. */
export function listOf(item: Shape, opts: { listType?: 'atomic' | 'set' | 'map'; listMapKeys?: string[]; patchStrategy?: string; patchMergeKey?: string } = {}): Shape {
  return { kind: 'list', item, ...opts };
}

/** A value of another type. */
export function ref(type: string): Shape {
  return { kind: 'ref', type };
}

/** A field. */
export function field(name: string, proto: number, shape: Shape, description: string, opts: { keepZero?: boolean } = {}): Field {
  return { name, proto, shape, description, ...opts };
}
