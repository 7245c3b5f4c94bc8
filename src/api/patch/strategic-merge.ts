/**
 * Strategic merge patch, as kubectl's `patch` (default type), `apply`, `edit`, `label` and
 * `annotate` send it: a JSON merge patch whose lists merge by the rules each field declares in the
 * schema registry (`patchStrategy`, `patchMergeKey`), with upstream's directives:
 *
 * - `$patch: replace | delete | merge` in an object, and `{"$patch": "replace"}` in a list;
 *   `{<key>: v, "$patch": "delete"}` removes the item with that merge key from a merging list;
 * - `$retainKeys: [...]`: only these keys of the object survive;
 * - `$deleteFromPrimitiveList/<field>: [...]`: values removed from a merging list of scalars;
 * - `$setElementOrder/<field>: [...]`: the order of a merging list's items.
 *
 * Written by hand because no maintained JavaScript library implements Kubernetes' strategic merge
 * semantics; fields the schema does not describe merge as in a JSON merge patch.
 */
import { badRequest } from '../../machinery/status.js';
import type { SchemaRegistry } from '../schema/registry.js';
import type { Shape } from '../schema/shapes.js';

type Obj = Record<string, unknown>;

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE = '$deleteFromPrimitiveList/';
const SET_ELEMENT_ORDER = '$setElementOrder/';

/** Applies a strategic merge `patch` to `original`, an object of type `typeName`. */
export function applyStrategicMergePatch(schemas: SchemaRegistry, typeName: string, original: Obj, patch: unknown): Obj {
  if (!isObj(patch)) throw badRequest('the strategic merge patch must be a JSON object');
  const out = mergeObject(schemas, { kind: 'ref', type: typeName }, original, patch);
  return (out ?? {}) as Obj;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fieldsOf(schemas: SchemaRegistry, shape: Shape | undefined): Map<string, Shape> | null {
  if (!shape || shape.kind !== 'ref') return null;
  return schemas.fieldShapes(shape.type);
}

/** Merges an object-valued patch into an object; answers undefined when the object is deleted. */
function mergeObject(schemas: SchemaRegistry, shape: Shape | undefined, original: unknown, patch: Obj): Obj | undefined {
  const directive = patch[PATCH];
  if (directive !== undefined && directive !== 'replace' && directive !== 'delete' && directive !== 'merge') {
    throw badRequest(`Unknown patch type: ${String(directive)}`);
  }
  if (directive === 'delete') return undefined;
  const base: Obj = directive === 'replace' || !isObj(original) ? {} : { ...original };
  const fields = fieldsOf(schemas, shape);
  const valueShape = shape?.kind === 'map' ? shape.value : undefined;
  const retain = patch[RETAIN_KEYS];
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw badRequest('$retainKeys must be a list of field names');
    for (const k of Object.keys(base)) if (!retain.includes(k)) delete base[k];
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key === PATCH || key === RETAIN_KEYS) continue;
    if (key.startsWith(DELETE_FROM_PRIMITIVE)) {
      const field = key.slice(DELETE_FROM_PRIMITIVE.length);
      if (!Array.isArray(value)) throw badRequest(`${key} must be a list`);
      if (Array.isArray(base[field])) base[field] = (base[field] as unknown[]).filter((x) => !value.some((d) => deepEqual(d, x)));
      continue;
    }
    if (key.startsWith(SET_ELEMENT_ORDER)) continue;
    if (value === null) {
      delete base[key];
      continue;
    }
    const childShape = fields ? fields.get(key) : valueShape;
    if (childShape?.kind === 'list' || Array.isArray(value)) {
      const merged = mergeList(schemas, childShape, base[key], value, patch[`${SET_ELEMENT_ORDER}${key}`]);
      if (merged === undefined) delete base[key];
      else base[key] = merged;
    } else if (isObj(value)) {
      const merged = mergeObject(schemas, childShape, base[key], value);
      if (merged === undefined) delete base[key];
      else base[key] = merged;
    } else {
      base[key] = value;
    }
  }
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const field = key.slice(SET_ELEMENT_ORDER.length);
    if (!(field in patch) && Array.isArray(base[field])) {
      base[field] = reorder(base[field] as unknown[], patch[key], mergeKeyOf(fields?.get(field)));
    }
  }
  return base;
}

function mergeKeyOf(shape: Shape | undefined): string | undefined {
  return shape?.kind === 'list' ? shape.patchMergeKey : undefined;
}

function merging(shape: Shape | undefined): shape is Extract<Shape, { kind: 'list' }> {
  return shape?.kind === 'list' && (shape.patchStrategy ?? '').split(',').includes('merge');
}

/** Merges a list-valued patch into a list; undefined when the field goes. */
function mergeList(schemas: SchemaRegistry, shape: Shape | undefined, original: unknown, patch: unknown, order: unknown): unknown[] | undefined {
  if (!Array.isArray(patch)) throw badRequest('a list field was patched with something that is not a list');
  const replaceAll = patch.some((x) => isObj(x) && x[PATCH] === 'replace');
  const items = patch.filter((x) => !(isObj(x) && x[PATCH] === 'replace'));
  if (replaceAll || !merging(shape) || !Array.isArray(original)) {
    return items.filter((x) => !(isObj(x) && x[PATCH] === 'delete')).map((x) => (isObj(x) ? stripDirectives(x) : x));
  }
  const mergeKey = shape.patchMergeKey;
  let result: unknown[];
  if (!mergeKey) {
    // Scalars: the union, original order first, without repeats.
    result = [...original];
    for (const x of items) if (!result.some((y) => deepEqual(x, y))) result.push(x);
  } else {
    result = [...original];
    for (const x of items) {
      if (!isObj(x)) throw badRequest(`a list merged by ${mergeKey} holds something that is not an object`);
      const at = result.findIndex((y) => isObj(y) && deepEqual(y[mergeKey], x[mergeKey]));
      if (x[PATCH] === 'delete') {
        if (at >= 0) result.splice(at, 1);
        continue;
      }
      if (at >= 0) result[at] = mergeObject(schemas, shape.item, result[at], x) ?? result[at];
      else result.push(mergeObject(schemas, shape.item, undefined, x));
    }
  }
  return order === undefined ? result : reorder(result, order, mergeKey);
}

/**
 * Orders `items` by `$setElementOrder`: the items it names come in its order; the others (known only
 * to the server) keep their place relative to the items around them.
 */
function reorder(items: unknown[], order: unknown, mergeKey: string | undefined): unknown[] {
  if (!Array.isArray(order)) throw badRequest('$setElementOrder must be a list');
  const keyOf = (x: unknown) => (mergeKey && isObj(x) ? x[mergeKey] : x);
  const rank = (x: unknown) => order.findIndex((o) => deepEqual(keyOf(o), keyOf(x)));
  const named = items.filter((x) => rank(x) >= 0).sort((a, b) => rank(a) - rank(b));
  const result: unknown[] = [];
  let n = 0;
  for (const x of items) {
    if (rank(x) >= 0) result.push(named[n++]);
    else result.push(x);
  }
  return result;
}

function stripDirectives(x: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(x)) {
    if (k === PATCH || k === RETAIN_KEYS || k.startsWith(SET_ELEMENT_ORDER) || k.startsWith(DELETE_FROM_PRIMITIVE)) continue;
    out[k] = isObj(v) ? stripDirectives(v) : v;
  }
  return out;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
