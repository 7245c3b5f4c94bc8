/**
 * The set of fields a value sets, by its schema (structured-merge-diff's `ToFieldSet`): every
 * scalar and every atomic value is a leaf; items of associative lists are members themselves (so
 * FieldsV1 shows `.` for them); entries of `map[string]X` maps are members; struct fields that are
 * non-empty objects are not (only their contents are), unless null or `{}`.
 */
import { FieldSet } from './field-set.js';
import type { Json } from './go-format.js';
import { listItemElement, ListItemError } from './list-items.js';
import { serializePathElement, type Path, type PathElement } from './path-element.js';
import { deduce, valueKind, type Atom, type TypeSchema } from './schema-atoms.js';

/** The field set of `value` read as `atom`. */
export function toFieldSet(schema: TypeSchema, atom: Atom, value: Json): FieldSet {
  const set = new FieldSet();
  walk(schema, atom, value, [], set);
  return set;
}

/** The atom of a struct field or map entry `key` under `atom`; undefined for an undeclared struct field. */
export function childAtom(schema: TypeSchema, atom: Atom, key: string): Atom | undefined {
  if (atom.kind === 'struct') return schema.field(atom, key);
  if (atom.kind === 'map') return atom.value;
  return undefined;
}

function walk(schema: TypeSchema, declared: Atom, v: Json, path: Path, set: FieldSet): void {
  const atom = deduce(declared, v);
  const kind = valueKind(v);
  switch (atom.kind) {
    case 'scalar':
      set.insert(path);
      return;
    case 'list': {
      if (!atom.associative) {
        set.insert(path);
        return;
      }
      if (kind !== 'list') return;
      const items = v as Json[];
      const pes: Array<PathElement | null> = items.map((item) => {
        try {
          return listItemElement(atom, item);
        } catch (err) {
          if (err instanceof ListItemError) return null;
          throw err;
        }
      });
      const seen = new Set<string>();
      const duplicates = new Set<string>();
      pes.forEach((pe) => {
        if (!pe) return;
        const k = serializePathElement(pe);
        if (seen.has(k)) {
          if (!duplicates.has(k)) {
            set.insert([...path, pe]);
            duplicates.add(k);
          }
        } else {
          seen.add(k);
        }
      });
      items.forEach((item, i) => {
        const pe = pes[i];
        if (!pe || duplicates.has(serializePathElement(pe))) return;
        const p = [...path, pe];
        walk(schema, atom.item, item, p, set);
        set.insert(p);
      });
      return;
    }
    case 'map':
    case 'struct': {
      if (atom.atomic) {
        set.insert(path);
        return;
      }
      if (kind !== 'map') return;
      for (const [key, val] of Object.entries(v as { [k: string]: Json })) {
        if (val === undefined) continue;
        const child = childAtom(schema, atom, key);
        const p: Path = [...path, { field: key }];
        walk(schema, child ?? { kind: 'deduced' }, val, p, set);
        const vk = valueKind(val);
        if (vk === 'null' || (vk === 'map' && Object.keys(val as object).length === 0)) set.insert(p);
        else if (atom.kind !== 'struct' || child === undefined) set.insert(p);
      }
      return;
    }
    default:
      set.insert(path);
  }
}

/**
 * `set` with every struct field that has paths below it also made a member (structured-merge-diff's
 * `EnsureNamedFieldsAreMembers`), so that removing the set's members removes whole struct fields.
 */
export function ensureNamedFieldsAreMembers(schema: TypeSchema, set: FieldSet, atom: Atom | undefined): FieldSet {
  const out = new FieldSet();
  for (const [k, pe] of set.members) out.members.set(k, pe);
  for (const [k, c] of set.children) {
    let childType: Atom | undefined;
    if ('field' in c.pe && atom && (atom.kind === 'struct' || atom.kind === 'map' || atom.kind === 'deduced')) {
      if (atom.kind === 'struct') {
        childType = schema.field(atom, c.pe.field);
        if (childType) out.members.set(k, c.pe);
      } else {
        childType = atom.kind === 'map' ? atom.value : atom;
      }
    } else if ('key' in c.pe && atom && atom.kind === 'list') {
      childType = atom.item;
    }
    out.children.set(k, { pe: c.pe, set: ensureNamedFieldsAreMembers(schema, c.set, childType) });
  }
  return out;
}
