/**
 * Removing a set of fields from a value (structured-merge-diff's `RemoveItems`): a member of the
 * set removes that struct field, map entry or list item with everything below it; paths below a
 * kept node remove parts of it. As upstream, a map or list that the removal leaves empty becomes
 * `null`.
 */
import type { FieldSet } from './field-set.js';
import { setOwn, type Json } from './go-format.js';
import { listItemElement, ListItemError } from './list-items.js';
import type { PathElement } from './path-element.js';
import { deduce, type Atom, type TypeSchema } from './schema-atoms.js';
import { childAtom } from './typed-fieldset.js';

/** `value` without the fields of `toRemove`. */
export function removeItems(schema: TypeSchema, atom: Atom, value: Json, toRemove: FieldSet): Json {
  const a = deduce(atom, value);
  if (a.kind === 'list') {
    if (!Array.isArray(value) || value.length === 0 || !a.associative) return null;
    const out: Json[] = [];
    for (const item of value) {
      let pe: PathElement;
      try {
        pe = listItemElement(a, item);
      } catch (err) {
        if (!(err instanceof ListItemError)) throw err;
        out.push(item); // an item that cannot be named matches nothing in the set
        continue;
      }
      if (toRemove.has([pe])) continue;
      const sub = toRemove.withPrefix(pe);
      out.push(sub.empty() ? item : removeItems(schema, a.item, item, sub));
    }
    return out.length > 0 ? out : null;
  }
  if (a.kind === 'map' || a.kind === 'struct') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    const keys = Object.keys(value);
    if (keys.length === 0 || a.atomic) return null;
    const out: { [k: string]: Json } = {};
    for (const k of keys) {
      if (value[k] === undefined) continue;
      const pe = { field: k };
      if (toRemove.has([pe])) continue;
      const sub = toRemove.withPrefix(pe);
      const v = value[k];
      setOwn(out, k, sub.empty() ? v : removeItems(schema, childAtom(schema, a, k) ?? { kind: 'deduced' }, v, sub));
    }
    return Object.keys(out).length > 0 ? out : null;
  }
  return value;
}
