/**
 * Merging an applied configuration into a live object (structured-merge-diff's `Merge` with the
 * keep-the-applied-value rule): leaves and atomic values take the applied value, granular maps and
 * structs merge key by key, associative lists merge item by item keeping the live order and
 * placing applied items where the applied order puts them.
 */
import { hasOwn, setOwn, type Json } from './go-format.js';
import { listItemElement, ListItemError, type ListAtom } from './list-items.js';
import { pathElementToString, serializePathElement, type PathElement } from './path-element.js';
import { deduce, valueKind, type Atom, type TypeSchema } from './schema-atoms.js';
import { childAtom } from './typed-fieldset.js';

/** A configuration that cannot be merged (duplicate keys, items without keys...). */
export class MergeError extends Error {}

/** `rhs` merged into `lhs`, both read as `atom`; undefined when the result is empty. */
export function mergeValues(schema: TypeSchema, atom: Atom, lhs: Json | undefined, rhs: Json | undefined): Json | undefined {
  return walk(schema, atom, lhs, rhs, '');
}

function keepRhs(lhs: Json | undefined, rhs: Json | undefined): Json | undefined {
  return rhs !== undefined ? rhs : lhs;
}

function emptyOrMissing(v: Json | undefined, kind: 'list' | 'map'): boolean {
  if (v === undefined || v === null) return true;
  if (kind === 'list') return Array.isArray(v) && v.length === 0;
  return typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
}

function walk(schema: TypeSchema, declared: Atom, lhs: Json | undefined, rhs: Json | undefined, where: string): Json | undefined {
  const la = deduce(declared, lhs);
  const ra = deduce(declared, rhs);
  if (la.kind !== ra.kind && lhs !== undefined && rhs !== undefined) return keepRhs(lhs, rhs);
  const atom = rhs !== undefined ? ra : la;
  if (atom.kind === 'list') {
    const lk = valueKind(lhs);
    const rk = valueKind(rhs);
    if (!atom.associative || (emptyOrMissing(lhs, 'list') && emptyOrMissing(rhs, 'list'))) return keepRhs(lhs, rhs);
    if ((lk !== 'list' && lk !== 'null' && lk !== 'absent') || (rk !== 'list' && rk !== 'null' && rk !== 'absent')) return keepRhs(lhs, rhs);
    return mergeList(schema, atom, Array.isArray(lhs) ? lhs : [], Array.isArray(rhs) ? rhs : [], where);
  }
  if (atom.kind === 'map' || atom.kind === 'struct') {
    const lk = valueKind(lhs);
    const rk = valueKind(rhs);
    if (atom.atomic || (emptyOrMissing(lhs, 'map') && emptyOrMissing(rhs, 'map'))) return keepRhs(lhs, rhs);
    if ((lk !== 'map' && lk !== 'null' && lk !== 'absent') || (rk !== 'map' && rk !== 'null' && rk !== 'absent')) return keepRhs(lhs, rhs);
    const l = lk === 'map' ? (lhs as { [k: string]: Json }) : {};
    const r = rk === 'map' ? (rhs as { [k: string]: Json }) : {};
    const out: { [k: string]: Json } = {};
    const keys = [...Object.keys(l), ...Object.keys(r).filter((k) => !hasOwn(l, k))];
    for (const key of keys) {
      const child = childAtom(schema, atom, key) ?? { kind: 'deduced' };
      const v = walk(schema, child, own(l, key), own(r, key), `${where}.${key}`);
      if (v !== undefined) setOwn(out, key, v);
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return keepRhs(lhs, rhs);
}

function own(o: { [k: string]: Json }, key: string): Json | undefined {
  return hasOwn(o, key) ? o[key] : undefined;
}

interface Indexed {
  pes: PathElement[];
  observed: Map<string, Json>;
}

function index(list: ListAtom, items: Json[], allowDuplicates: boolean, where: string, errs: string[]): Indexed {
  const pes: PathElement[] = [];
  const observed = new Map<string, Json>();
  items.forEach((item, i) => {
    let pe: PathElement;
    try {
      pe = listItemElement(list, item);
    } catch (err) {
      if (err instanceof ListItemError) {
        errs.push(`${where}: element ${i}: ${err.message}`);
        return;
      }
      throw err;
    }
    const k = serializePathElement(pe);
    if (observed.has(k)) {
      if (!allowDuplicates) {
        errs.push(`${where}: duplicate entries for key ${pathElementToString(pe)}`);
        return;
      }
      observed.set(k, null);
    } else {
      observed.set(k, item);
    }
    pes.push(pe);
  });
  return { pes, observed };
}

function mergeList(schema: TypeSchema, list: ListAtom, lhs: Json[], rhs: Json[], where: string): Json | undefined {
  const errs: string[] = [];
  const r = index(list, rhs, false, where, errs);
  const l = index(list, lhs, true, where, errs);
  if (errs.length > 0) throw new MergeError(errs.length === 1 ? errs[0] : ['errors:', ...errs.map((e) => `  ${e}`)].join('\n'));
  const key = serializePathElement;
  const shared = r.pes.filter((pe) => l.observed.has(key(pe))).map(key);
  let next: string | undefined = shared.shift();
  const mergedRhs = new Set<string>();
  const out: Json[] = [];
  const push = (pe: PathElement, lv: Json | undefined, rv: Json | undefined) => {
    const v = walk(schema, list.item, lv, rv, `${where}${pathElementToString(pe)}`);
    if (v !== undefined) out.push(v);
  };
  let li = 0;
  let ri = 0;
  while (li < l.pes.length || ri < r.pes.length) {
    if (li < l.pes.length && ri < r.pes.length) {
      const pe = l.pes[li];
      const k = key(pe);
      if (k === key(r.pes[ri])) {
        mergedRhs.add(k);
        push(pe, l.observed.get(k), r.observed.get(k));
        li++;
        ri++;
        next = shared.shift();
        continue;
      }
      if (r.observed.has(k) && next !== undefined && next !== k) {
        li++;
        continue;
      }
    }
    if (li < l.pes.length) {
      const pe = l.pes[li];
      const k = key(pe);
      if (!r.observed.has(k)) {
        push(pe, lhs[li], undefined);
        li++;
        continue;
      } else if (mergedRhs.has(k)) {
        li++;
      }
    }
    if (ri < r.pes.length) {
      const pe = r.pes[ri];
      const k = key(pe);
      mergedRhs.add(k);
      push(pe, l.observed.get(k), r.observed.get(k));
      ri++;
      if (next !== undefined && next === k) next = shared.shift();
    }
  }
  return out.length > 0 ? out : undefined;
}
