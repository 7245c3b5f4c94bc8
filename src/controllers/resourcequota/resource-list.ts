/** Resource lists (`name → quantity`) and the set operations quota uses on them (k8s.io/apiserver quota/v1). */
import { add, cmp, formatQuantity, parseQuantity, type Quantity } from './quantity.js';

/** A resource list; insertion order carries no meaning. */
export type ResourceList = Map<string, Quantity>;

/** A resource list from its JSON form; entries that are not quantities are left out. */
export function parseResourceList(json: Record<string, unknown> | undefined | null): ResourceList {
  const out: ResourceList = new Map();
  for (const [k, v] of Object.entries(json ?? {})) {
    const q = typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) : null;
    if (q) out.set(k, q);
  }
  return out;
}

/** The JSON form, keys sorted as Go marshals maps, quantities canonical. */
export function resourceListJson(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...list.keys()].sort()) out[k] = formatQuantity(list.get(k)!);
  return out;
}

/** `a + b` per resource; resources in only one list are copied (`quota.Add`). */
export function addLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map();
  for (const [k, q] of a) out.set(k, b.has(k) ? add(q, b.get(k)!) : q);
  for (const [k, q] of b) if (!out.has(k)) out.set(k, q);
  return out;
}

/** Adds `b` into `a` in place (`addResourceList`). */
export function addInto(a: ResourceList, b: ResourceList): void {
  for (const [k, q] of b) a.set(k, a.has(k) ? add(a.get(k)!, q) : q);
}

/** Raises `a`'s entries to `b`'s where `b` is greater, in place (`maxResourceList`). */
export function maxInto(a: ResourceList, b: ResourceList): void {
  for (const [k, q] of b) if (!a.has(k) || cmp(q, a.get(k)!) > 0) a.set(k, q);
}

/** Only the entries named in `names` (`quota.Mask`). */
export function mask(list: ResourceList, names: Iterable<string>): ResourceList {
  const keep = new Set(names);
  return new Map([...list].filter(([k]) => keep.has(k)));
}

/** Same resources with equal values (`quota.Equals`). */
export function listsEqual(a: ResourceList, b: ResourceList): boolean {
  if (a.size !== b.size) return false;
  for (const [k, q] of a) {
    const o = b.get(k);
    if (!o || cmp(q, o) !== 0) return false;
  }
  return true;
}
