/**
 * The fields that differ between two values of one type (structured-merge-diff's `Compare`):
 * leaves (scalars, atomic values, and lists or maps empty on both sides) are added, removed or
 * modified; a granular map, struct or list item that appears or disappears is itself added or
 * removed, besides its contents (that is where the `.` entries of Update managers come from).
 */
import { FieldSet } from './field-set.js';
import { hasOwn, type Json } from './go-format.js';
import { listItemElement, ListItemError, type ListAtom } from './list-items.js';
import { serializePathElement, valuesEqual, type Path, type PathElement } from './path-element.js';
import { deduce, valueKind, type Atom, type TypeSchema } from './schema-atoms.js';
import { childAtom } from './typed-fieldset.js';

/** What changed from one value to another. */
export interface Comparison {
  removed: FieldSet;
  modified: FieldSet;
  added: FieldSet;
}

/** An item that cannot be compared (an associative list item without its key...). */
export class CompareError extends Error {}

/** Compares `lhs` (before) with `rhs` (after), both read as `atom`. */
export function compareValues(schema: TypeSchema, atom: Atom, lhs: Json | undefined, rhs: Json | undefined): Comparison {
  const c: Comparison = { removed: new FieldSet(), modified: new FieldSet(), added: new FieldSet() };
  if (lhs === undefined && rhs === undefined) return c;
  walk(schema, atom, lhs, rhs, [], c);
  return c;
}

/** The comparison without the paths at or below the members of `exclude` (reset fields). */
export function excludeFields(c: Comparison, exclude: FieldSet | undefined): Comparison {
  if (!exclude || exclude.empty()) return c;
  return {
    removed: c.removed.recursiveDifference(exclude),
    modified: c.modified.recursiveDifference(exclude),
    added: c.added.recursiveDifference(exclude),
  };
}

function isEmptyContainer(v: Json | undefined, kind: 'list' | 'map'): boolean {
  if (v === undefined || v === null) return true;
  if (kind === 'list') return Array.isArray(v) ? v.length === 0 : false;
  return typeof v === 'object' && !Array.isArray(v) ? Object.keys(v).length === 0 : false;
}

function walk(schema: TypeSchema, declared: Atom, lhs: Json | undefined, rhs: Json | undefined, path: Path, c: Comparison): void {
  const la = deduce(declared, lhs);
  const ra = deduce(declared, rhs);
  const atom = rhs !== undefined ? ra : la;
  let leaf = false;
  const doLeaf = () => {
    leaf = true;
    if (lhs === undefined) c.added.insert(path);
    else if (rhs === undefined) c.removed.insert(path);
    else if (!valuesEqual(lhs, rhs)) c.modified.insert(path);
  };
  if (la.kind !== ra.kind && lhs !== undefined && rhs !== undefined) {
    doLeaf(); // a deduced value that changed its form: one value replaced by another
  } else if (atom.kind === 'scalar' || atom.kind === 'deduced' || atom.kind === 'untyped') {
    doLeaf();
  } else if (atom.kind === 'list') {
    const lk = valueKind(lhs);
    const rk = valueKind(rhs);
    if (!atom.associative || (isEmptyContainer(lhs, 'list') && isEmptyContainer(rhs, 'list'))) doLeaf();
    else if ((lk !== 'list' && lk !== 'null' && lk !== 'absent') || (rk !== 'list' && rk !== 'null' && rk !== 'absent')) doLeaf();
    else visitList(schema, atom, Array.isArray(lhs) ? lhs : [], Array.isArray(rhs) ? rhs : [], path, c);
  } else {
    const lk = valueKind(lhs);
    const rk = valueKind(rhs);
    if (atom.atomic || (isEmptyContainer(lhs, 'map') && isEmptyContainer(rhs, 'map'))) doLeaf();
    else if ((lk !== 'map' && lk !== 'null' && lk !== 'absent') || (rk !== 'map' && rk !== 'null' && rk !== 'absent')) doLeaf();
    else {
      const l = lk === 'map' ? (lhs as { [k: string]: Json }) : {};
      const r = rk === 'map' ? (rhs as { [k: string]: Json }) : {};
      const keys = Object.keys(l);
      for (const key of Object.keys(r)) if (!hasOwn(l, key)) keys.push(key);
      for (const key of keys) {
        const lv = hasOwn(l, key) ? l[key] : undefined;
        const rv = hasOwn(r, key) ? r[key] : undefined;
        if (lv === undefined && rv === undefined) continue;
        walk(schema, childAtom(schema, atom, key) ?? { kind: 'deduced' }, lv, rv, [...path, { field: key }], c);
      }
    }
  }
  if (!leaf) {
    if (lhs === undefined) c.added.insert(path);
    else if (rhs === undefined) c.removed.insert(path);
  }
}

function element(list: ListAtom, item: Json, i: number): PathElement {
  try {
    return listItemElement(list, item);
  } catch (err) {
    if (err instanceof ListItemError) throw new CompareError(`element ${i}: ${err.message}`);
    throw err;
  }
}

function visitList(schema: TypeSchema, list: ListAtom, lhs: Json[], rhs: Json[], path: Path, c: Comparison): void {
  const order: PathElement[] = [];
  const lValues = new Map<string, Json[]>();
  const rValues = new Map<string, Json[]>();
  lhs.forEach((item, i) => {
    const pe = element(list, item, i);
    const k = serializePathElement(pe);
    const have = lValues.get(k);
    if (have) have.push(item);
    else {
      lValues.set(k, [item]);
      order.push(pe);
    }
  });
  rhs.forEach((item, i) => {
    const pe = element(list, item, i);
    const k = serializePathElement(pe);
    const have = rValues.get(k);
    if (have) have.push(item);
    else {
      rValues.set(k, [item]);
      if (!lValues.has(k)) order.push(pe);
    }
  });
  for (const pe of order) {
    const k = serializePathElement(pe);
    const l = lValues.get(k) ?? [];
    const r = rValues.get(k) ?? [];
    const p = [...path, pe];
    if (l.length <= 1 && r.length <= 1) {
      walk(schema, list.item, l[0], r[0], p, c);
    } else if (l.length >= 2 && r.length >= 2) {
      if (l.length !== r.length || !l.every((x, i) => valuesEqual(x, r[i]))) c.modified.insert(p);
    } else if (l.length >= 2) {
      if (r.length !== 0) walk(schema, list.item, undefined, r[0], p, c);
      c.removed.insert(p);
    } else {
      if (l.length !== 0) walk(schema, list.item, l[0], undefined, p, c);
      c.added.insert(p);
    }
  }
}
