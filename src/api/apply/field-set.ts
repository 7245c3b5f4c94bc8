/**
 * A set of field paths stored as a trie, with the set algebra server-side apply needs and the
 * FieldsV1 JSON encoding of `metadata.managedFields[].fieldsV1`.
 *
 * Each node holds `members` (paths that end here) and `children` (paths that continue). A path can
 * be both a member and a prefix of other members: FieldsV1 marks that with a `"."` entry.
 */
import { compareGoStrings, isObject, type Json } from './go-format.js';
import {
  comparePathElements, deserializePathElement, PathElementError, serializePathElement, type Path, type PathElement,
} from './path-element.js';

/** The first character of a serialized field element (`f:name`). */
const F = 0x66;

/** FieldsV1 JSON: keys are serialized path elements (or `.`), values are nested FieldsV1. */
export type FieldsV1 = { [key: string]: FieldsV1 };

/** A set of field paths. Methods never modify their arguments; `insert` modifies `this`. */
export class FieldSet {
  /** Elements that end a member path here, by their serialized form. */
  readonly members = new Map<string, PathElement>();
  /** Subsets under an element, by its serialized form. */
  readonly children = new Map<string, { pe: PathElement; set: FieldSet }>();

  /** A set holding `paths`. */
  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Adds a path (the empty path is ignored). */
  insert(path: Path): this {
    if (path.length === 0) return this;
    let s: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) s = s.descend(path[i]);
    const last = path[path.length - 1];
    s.members.set(serializePathElement(last), last);
    return this;
  }

  /** The child set under `pe`, created when missing. */
  descend(pe: PathElement): FieldSet {
    const k = serializePathElement(pe);
    let c = this.children.get(k);
    if (!c) {
      c = { pe, set: new FieldSet() };
      this.children.set(k, c);
    }
    return c.set;
  }

  /** Whether the set holds exactly this path. */
  has(path: Path): boolean {
    if (path.length === 0) return false;
    let s: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1; i++) {
      s = s.children.get(serializePathElement(path[i]))?.set;
      if (!s) return false;
    }
    return s.members.has(serializePathElement(path[path.length - 1]));
  }

  /** The paths under `pe`, without it (empty when there are none). */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(serializePathElement(pe))?.set ?? new FieldSet();
  }

  /** True when the set holds no path. */
  empty(): boolean {
    if (this.members.size > 0) return false;
    for (const c of this.children.values()) if (!c.set.empty()) return false;
    return true;
  }

  /** Paths in either set. */
  union(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) out.members.set(k, pe);
    for (const [k, pe] of o.members) out.members.set(k, pe);
    for (const [k, c] of this.children) out.children.set(k, c);
    for (const [k, c] of o.children) {
      const mine = this.children.get(k);
      out.children.set(k, mine ? { pe: mine.pe, set: mine.set.union(c.set) } : c);
    }
    return out;
  }

  /** Paths in both sets. */
  intersection(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (o.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      const theirs = o.children.get(k);
      if (!theirs) continue;
      const r = c.set.intersection(theirs.set);
      if (!r.empty()) out.children.set(k, { pe: c.pe, set: r });
    }
    return out;
  }

  /** Paths of this set that are not in `o`. */
  difference(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!o.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      const theirs = o.children.get(k);
      if (!theirs) {
        out.children.set(k, c);
        continue;
      }
      const r = c.set.difference(theirs.set);
      if (!r.empty()) out.children.set(k, { pe: c.pe, set: r });
    }
    return out;
  }

  /** Like {@link difference}, but a member of `o` also removes every path below it. */
  recursiveDifference(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!o.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      if (o.members.has(k)) continue;
      const theirs = o.children.get(k);
      if (!theirs) {
        out.children.set(k, c);
        continue;
      }
      const r = c.set.recursiveDifference(theirs.set);
      if (!r.empty()) out.children.set(k, { pe: c.pe, set: r });
    }
    return out;
  }

  /** Members in element order. */
  sortedMembers(): PathElement[] {
    return [...this.members.values()].sort(comparePathElements);
  }

  /** Children in element order. */
  sortedChildren(): Array<{ pe: PathElement; set: FieldSet }> {
    return [...this.children.values()].sort((a, b) => comparePathElements(a.pe, b.pe));
  }

  /** Every path, in upstream's iteration order: this node's members, then each child's paths. */
  paths(prefix: Path = []): Path[] {
    const out: Path[] = [];
    for (const pe of this.sortedMembers()) out.push([...prefix, pe]);
    for (const c of this.sortedChildren()) out.push(...c.set.paths([...prefix, c.pe]));
    return out;
  }

  /** The FieldsV1 JSON of this set, with upstream's key order. */
  toFieldsV1(): FieldsV1 {
    return this.emit(false);
  }

  private emit(includeSelf: boolean): FieldsV1 {
    const out: FieldsV1 = {};
    if (includeSelf && (this.members.size > 0 || this.children.size > 0)) out['.'] = {};
    const keys: string[] = [];
    let fieldsOnly = true;
    for (const k of this.members.keys()) {
      keys.push(k);
      if (k.charCodeAt(0) !== F) fieldsOnly = false;
    }
    for (const k of this.children.keys()) {
      if (this.members.has(k)) continue;
      keys.push(k);
      if (k.charCodeAt(0) !== F) fieldsOnly = false;
    }
    // Field keys share their `f:` prefix, so they order as the field names do.
    if (fieldsOnly) keys.sort(compareGoStrings);
    else keys.sort((a, b) => comparePathElements(this.elementOf(a), this.elementOf(b)));
    for (const k of keys) {
      const child = this.children.get(k);
      out[k] = child ? child.set.emit(this.members.has(k)) : {};
    }
    return out;
  }

  /** The element a key of this node stands for. */
  private elementOf(k: string): PathElement {
    return this.children.get(k)?.pe ?? this.members.get(k)!;
  }

  /** Reads FieldsV1 JSON (an object, or its text); throws FieldsV1Error when it is malformed. */
  static fromFieldsV1(raw: unknown): FieldSet {
    const v = typeof raw === 'string' ? parseText(raw) : raw;
    if (v === null || v === undefined) return new FieldSet();
    if (!isObject(v)) throw new FieldsV1Error(`ReadMapCB: expect { or n, but found ${describe(v)}`);
    return readNode(v).children ?? new FieldSet();
  }
}

/** A FieldsV1 document that cannot be read. */
export class FieldsV1Error extends Error {}

function parseText(s: string): Json {
  try {
    return JSON.parse(s) as Json;
  } catch (err) {
    throw new FieldsV1Error((err as Error).message);
  }
}

function describe(v: unknown): string {
  return typeof v === 'string' ? '"' : Array.isArray(v) ? '[' : String(v).slice(0, 1);
}

/** FieldsV1 keys already read, with their element and its serialized form (elements are never modified). */
const readKeys = new Map<string, { pe: PathElement; k: string }>();
const READ_KEYS_MAX = 8192;

/** The element of a FieldsV1 key and its serialized form; null for keys of unknown kinds. */
function readKey(key: string): { pe: PathElement; k: string } | null {
  const hit = readKeys.get(key);
  if (hit) return hit;
  let pe: PathElement | null;
  try {
    pe = deserializePathElement(key);
  } catch (err) {
    if (err instanceof PathElementError) throw new FieldsV1Error(`parsing key as path element: ${err.message}`);
    throw err;
  }
  if (pe === null) return null;
  const read = { pe, k: serializePathElement(pe) };
  if (readKeys.size >= READ_KEYS_MAX) readKeys.clear();
  readKeys.set(key, read);
  return read;
}

/** Reads one FieldsV1 node: the set below it (null when it has no entries) and whether it is a member. */
function readNode(node: { [key: string]: Json }): { children: FieldSet | null; member: boolean } {
  let children: FieldSet | null = null;
  let member = false;
  for (const [key, value] of Object.entries(node)) {
    if (key === '.') {
      member = true;
      continue;
    }
    const read = readKey(key);
    if (read === null) continue;
    const { pe, k } = read;
    let sub: { children: FieldSet | null; member: boolean };
    if (value === null) sub = { children: null, member: true };
    else if (isObject(value)) sub = readNode(value);
    else throw new FieldsV1Error(`ReadMapCB: expect { or n, but found ${describe(value)}`);
    if (sub.member) (children ??= new FieldSet()).members.set(k, pe);
    if (sub.children) (children ??= new FieldSet()).children.set(k, { pe, set: sub.children });
  }
  if (children === null) member = true;
  return { children, member };
}
