/**
 * How an item of an associative list is named in a field path: by its key fields (`k:{...}`) in a
 * list map, by its value (`v:...`) in a set. Errors carry upstream's wording.
 */
import { compareGoStrings, goQuote, hasOwn, isObject, type Json } from './go-format.js';
import type { PathElement } from './path-element.js';
import type { Atom } from './schema-atoms.js';

/** An item that cannot be named (a null item, an item without a key field...). */
export class ListItemError extends Error {}

/** The list atom. */
export type ListAtom = Extract<Atom, { kind: 'list' }>;

/** The path element naming `item` in an associative `list`; throws ListItemError. */
export function listItemElement(list: ListAtom, item: Json): PathElement {
  if (!list.associative) throw new ListItemError('invalid indexing of non-associative list');
  if (list.keys.length > 0) {
    if (item === null) throw new ListItemError('associative list with keys may not have a null element');
    if (!isObject(item)) throw new ListItemError('associative list with keys may not have non-map elements');
    const key: Array<[string, Json]> = [];
    for (const name of list.keys) {
      if (hasOwn(item, name)) key.push([name, item[name]]);
      else if (hasOwn(list.keyDefaults, name)) key.push([name, list.keyDefaults[name]]);
      else throw new ListItemError(`associative list with keys has an element that omits key field ${goQuote(name)} (and doesn't have default value)`);
    }
    key.sort((a, b) => compareGoStrings(a[0], b[0]));
    return { key };
  }
  if (isObject(item)) throw new ListItemError("associative list without keys has an element that's a map type");
  if (Array.isArray(item)) throw new ListItemError('not supported: associative list with lists as elements');
  if (item === null) throw new ListItemError("associative list without keys has an element that's an explicit null");
  return { value: item };
}
