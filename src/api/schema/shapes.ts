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
  | { kind: 'string' | 'bool' | 'int32' | 'int64' | 'double' | 'bytes' | 'time' | 'microTime' | 'rawJson' | 'quantity' | 'intOrString' | 'rawExtension' }
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
  /**
   * True when Go declares the field as a pointer, so protobuf carries it only when it is set. Go's
   * generated marshalling writes every non-pointer scalar and message field, zero or not (lists,
   * maps and bytes only when not empty).
   */
  pointer?: boolean;
  /**
   * True for Go's `json:",inline"` members that protobuf carries as a nested message (for example
   * `Volume.volumeSource`): in JSON the referenced type's fields sit directly in the parent object.
   * The shape is then always a `ref`.
   */
  inline?: boolean;
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
/** A 64-bit float (a JSON number; protobuf `double`). */
export const f64: Shape = { kind: 'double' };
/** A timestamp with microseconds: RFC 3339 with six fractional digits (`MicroTime`). */
export const microTime: Shape = { kind: 'microTime' };
/** A resource quantity (`500m`, `1Gi`): a JSON string; protobuf `Quantity { string string = 1 }`. */
export const quantity: Shape = { kind: 'quantity' };
/** An integer or a string (`IntOrString`): either in JSON; protobuf `{ type = 1, intVal = 2, strVal = 3 }`. */
export const intOrString: Shape = { kind: 'intOrString' };
/** Any embedded object (`runtime.RawExtension`): JSON as is; protobuf `{ bytes raw = 1 }` holding that JSON. */
export const rawExtension: Shape = { kind: 'rawExtension' };

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
export function field(name: string, proto: number, shape: Shape, description: string, opts: { keepZero?: boolean; pointer?: boolean; inline?: boolean } = {}): Field {
  return { name, proto, shape, description, ...opts };
}
