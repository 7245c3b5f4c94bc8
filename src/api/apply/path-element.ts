/**
 * One step of a field path, as structured-merge-diff names it: a field of an object (`f:name`,
 * printed `.name`), an item of an associative list by its keys (`k:{"name":"nginx"}`, printed
 * `[name="nginx"]`), an item of a set by its value (`v:"x"`, printed `[="x"]`) or a list index
 * (`i:0`, printed `[0]`). Elements are totally ordered (fields, then keys, then values, then
 * indexes); that order decides the key order of FieldsV1 JSON.
 */
import { compareGoStrings, goFloat, goJsonString, goQuote, hasOwn, isObject, sortedKeys, type Json } from './go-format.js';

/** A path element. Key fields are sorted by name. */
export type PathElement =
  | { field: string }
  | { key: Array<[string, Json]> }
  | { value: Json }
  | { index: number };

/** A path from the root of an object. */
export type Path = PathElement[];

function rank(pe: PathElement): number {
  if ('field' in pe) return 0;
  if ('key' in pe) return 1;
  if ('value' in pe) return 2;
  return 3;
}

function valueRank(v: Json): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (v !== null) return 4;
  return 5;
}

/** The order structured-merge-diff gives two values: numbers, strings, booleans, lists, maps, null. */
export function compareValues(a: Json, b: Json): number {
  const ra = valueRank(a);
  const rb = valueRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (typeof a === 'number') return a < (b as number) ? -1 : a > (b as number) ? 1 : 0;
  if (typeof a === 'string') return compareGoStrings(a, b as string);
  if (typeof a === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (Array.isArray(a)) {
    const bl = b as Json[];
    for (let i = 0; ; i++) {
      if (i >= a.length && i >= bl.length) return 0;
      if (i >= a.length) return -1;
      if (i >= bl.length) return 1;
      const c = compareValues(a[i], bl[i]);
      if (c !== 0) return c;
    }
  }
  if (a === null) return 0;
  const bm = b as { [k: string]: Json };
  const keys = [...new Set([...Object.keys(a), ...Object.keys(bm)])].sort(compareGoStrings);
  const la = Object.keys(a).length;
  const lb = Object.keys(bm).length;
  for (let i = 0; i < keys.length; i++) {
    if (i === la) return -1;
    if (i === lb) return 1;
    const k = keys[i];
    if (!hasOwn(a, k)) return 1;
    if (!hasOwn(bm, k)) return -1;
    const c = compareValues(a[k], bm[k]);
    if (c !== 0) return c;
  }
  return 0;
}

/** Deep equality as structured-merge-diff sees it (key order does not matter; 1 equals 1.0). */
export function valuesEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => valuesEqual(x, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = definedKeys(a);
    if (ka.length !== definedKeys(b).length) return false;
    return ka.every((k) => hasOwn(b, k) && valuesEqual(a[k], b[k]));
  }
  return false;
}

/** Keys whose value is not `undefined` (what JSON would carry). */
function definedKeys(o: { [k: string]: Json }): string[] {
  return Object.keys(o).filter((k) => o[k] !== undefined);
}

/** Orders two path elements: -1, 0 or 1. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if ('field' in a) return compareGoStrings(a.field, (b as { field: string }).field);
  if ('key' in a) {
    const bk = (b as { key: Array<[string, Json]> }).key;
    for (let i = 0; ; i++) {
      if (i >= a.key.length && i >= bk.length) return 0;
      if (i >= a.key.length) return -1;
      if (i >= bk.length) return 1;
      const c = compareGoStrings(a.key[i][0], bk[i][0]) || compareValues(a.key[i][1], bk[i][1]);
      if (c !== 0) return c;
    }
  }
  if ('value' in a) return compareValues(a.value, (b as { value: Json }).value);
  const bi = (b as { index: number }).index;
  return a.index < bi ? -1 : a.index > bi ? 1 : 0;
}

/** JSON of a value inside a path element key, as json-iterator writes it (map keys sorted). */
function elementJson(v: Json): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(elementJson).join(',')}]`;
  return `{${sortedKeys(v).map((k) => `${goJsonString(k)}:${elementJson(v[k])}`).join(',')}}`;
}

/** The FieldsV1 key of an element: `f:name`, `k:{"name":"x"}`, `v:"x"`, `i:0`. */
export function serializePathElement(pe: PathElement): string {
  if ('field' in pe) {
    let k = fieldKeys.get(pe.field);
    if (k === undefined) {
      if (fieldKeys.size >= FIELD_KEYS_MAX) fieldKeys.clear();
      k = `f:${pe.field}`;
      fieldKeys.set(pe.field, k);
    }
    return k;
  }
  let k = elementKeys.get(pe);
  if (k === undefined) {
    k = serializeUncached(pe);
    elementKeys.set(pe, k);
  }
  return k;
}

/** Serialized field elements by field name (the same names recur on every write). */
const fieldKeys = new Map<string, string>();
const FIELD_KEYS_MAX = 8192;
/** Serialized key, value and index elements; elements are never modified once made. */
const elementKeys = new WeakMap<PathElement, string>();

function serializeUncached(pe: PathElement): string {
  if ('key' in pe) return `k:{${pe.key.map(([n, v]) => `${goJsonString(n)}:${elementJson(v)}`).join(',')}}`;
  if ('value' in pe) return `v:${elementJson(pe.value)}`;
  if ('index' in pe) return `i:${pe.index}`;
  return `f:${pe.field}`;
}

/** Thrown for a FieldsV1 key that is not a path element. */
export class PathElementError extends Error {}

/**
 * Reads a FieldsV1 key. Answers null for a well-formed key of an unknown kind (upstream skips
 * those); throws PathElementError for a malformed one.
 */
export function deserializePathElement(s: string): PathElement | null {
  if (s.length < 2) throw new PathElementError('key must be 2 characters long:');
  if (s[1] !== ':') throw new PathElementError(`missing colon: ${s}`);
  const rest = s.slice(2);
  switch (s[0]) {
    case 'f':
      return { field: rest };
    case 'v':
      return { value: parseJson(rest) };
    case 'k': {
      const obj = parseJson(rest);
      if (!isObject(obj)) throw new PathElementError(`ReadObjectCB: expect { or n, but found ${rest.slice(0, 1)}`);
      const key = Object.entries(obj) as Array<[string, Json]>;
      key.sort((a, b) => compareGoStrings(a[0], b[0]));
      return { key };
    }
    case 'i': {
      if (!/^[+-]?\d+$/.test(rest)) throw new PathElementError(`strconv.Atoi: parsing ${goQuote(rest)}: invalid syntax`);
      return { index: Number(rest) };
    }
    default:
      return null;
  }
}

function parseJson(s: string): Json {
  try {
    return JSON.parse(s) as Json;
  } catch (err) {
    throw new PathElementError((err as Error).message);
  }
}

/** Go's `%v` of a value inside a path, as structured-merge-diff prints it (strings quoted). */
export function valueToString(v: Json): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return goFloat(v);
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(valueToString).join(',')}]`;
  return sortedKeys(v).map((k) => `${k}=${valueToString(v[k])}`).join('');
}

/** An element as printed in messages: `.name`, `[name="x",port=80]`, `[="x"]`, `[0]`. */
export function pathElementToString(pe: PathElement): string {
  if ('field' in pe) return `.${pe.field}`;
  if ('key' in pe) return `[${pe.key.map(([n, v]) => `${n}=${valueToString(v)}`).join(',')}]`;
  if ('value' in pe) return `[=${valueToString(pe.value)}]`;
  return `[${pe.index}]`;
}

/** A path as printed in conflict messages: `.spec.containers[name="nginx"].image`. */
export function pathToString(path: Path): string {
  return path.map(pathElementToString).join('');
}
