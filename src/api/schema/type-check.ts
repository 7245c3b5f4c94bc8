import type { SchemaRegistry } from './registry.js';
import type { Shape } from './shapes.js';
import { canonicalQuantity } from '../../machinery/quantity.js';

/** The message upstream gives for a quantity it cannot parse. */
export const QUANTITY_SYNTAX_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/**
 * The first value in `obj` whose JSON type its field's shape does not allow, described as Go's
 * `encoding/json` describes it when decoding into upstream's types, e.g. `json: cannot unmarshal
 * string into Go struct field DeploymentSpec.spec.replicas of type int32`; undefined when every
 * value fits. Quantities are rewritten in place in their canonical form (`0.5` → `500m`), as
 * decoding and encoding them upstream does, and one that does not parse is reported with
 * upstream's message. Times and raw JSON are read by their own parsers; nulls are not checked.
 */
export function typeMismatch(schemas: SchemaRegistry, typeName: string, obj: Record<string, unknown>): string | undefined {
  return checkObject(schemas, typeName, obj, '');
}

function checkObject(schemas: SchemaRegistry, typeName: string, obj: Record<string, unknown>, path: string): string | undefined {
  const fields = schemas.fieldShapes(typeName);
  for (const [key, value] of Object.entries(obj)) {
    const shape = fields.get(key);
    if (!shape || value === null || value === undefined) continue;
    const here = path ? `${path}.${key}` : key;
    const err = checkValue(schemas, shape, value, here, shortName(typeName), (v) => { obj[key] = v; });
    if (err) return err;
  }
  return undefined;
}

function checkValue(schemas: SchemaRegistry, shape: Shape, value: unknown, path: string, struct: string, replace: (v: unknown) => void): string | undefined {
  if (value === null) return undefined;
  const wrong = () => `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${struct}.${path} of type ${goType(shape)}`;
  switch (shape.kind) {
    case 'string':
    case 'bytes':
      return typeof value === 'string' ? undefined : wrong();
    case 'bool':
      return typeof value === 'boolean' ? undefined : wrong();
    case 'int32':
    case 'int64':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : wrong();
    case 'double':
      return typeof value === 'number' ? undefined : wrong();
    case 'intOrString':
      return typeof value === 'number' || typeof value === 'string' ? undefined : wrong();
    case 'quantity': {
      if (typeof value !== 'string' && typeof value !== 'number') return QUANTITY_SYNTAX_ERROR;
      const canonical = canonicalQuantity(String(value));
      if (canonical === null) return QUANTITY_SYNTAX_ERROR;
      if (canonical !== value) replace(canonical);
      return undefined;
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) return wrong();
      const m = value as Record<string, unknown>;
      for (const [k, v] of Object.entries(m)) {
        const err = checkValue(schemas, shape.value, v, path, struct, (x) => { m[k] = x; });
        if (err) return err;
      }
      return undefined;
    }
    case 'list': {
      if (!Array.isArray(value)) return wrong();
      for (let i = 0; i < value.length; i++) {
        const err = checkValue(schemas, shape.item, value[i], path, struct, (x) => { value[i] = x; });
        if (err) return err;
      }
      return undefined;
    }
    case 'ref':
      if (typeof value !== 'object' || Array.isArray(value)) return wrong();
      return checkObject(schemas, shape.type, value as Record<string, unknown>, path);
    default:
      return undefined;
  }
}

/** How Go names the JSON value it could not store. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'number') return Number.isInteger(v) ? 'number' : `number ${v}`;
  if (typeof v === 'boolean') return 'bool';
  return 'string';
}

/** The Go type of a shape, as `encoding/json` prints it. */
function goType(s: Shape): string {
  switch (s.kind) {
    case 'string': return 'string';
    case 'bool': return 'bool';
    case 'int32': return 'int32';
    case 'int64': return 'int64';
    case 'double': return 'float64';
    case 'bytes': return '[]uint8';
    case 'map': return `map[string]${goType(s.value)}`;
    case 'list': return `[]${goType(s.item)}`;
    case 'ref': return goRefName(s.type);
    case 'intOrString': return 'intstr.IntOrString';
    default: return s.kind;
  }
}

/** `io.k8s.api.apps.v1.DeploymentSpec` → `v1.DeploymentSpec`. */
function goRefName(typeName: string): string {
  const parts = typeName.split('.');
  return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
}

function shortName(typeName: string): string {
  return typeName.slice(typeName.lastIndexOf('.') + 1);
}
