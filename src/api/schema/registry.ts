import type { Field, Shape, TypeDef } from './shapes.js';

/** Every described type, by name and by group/version/kind. */
export class SchemaRegistry {
  private readonly byName = new Map<string, TypeDef>();
  private readonly byGvk = new Map<string, TypeDef>();
  private readonly shapes = new Map<string, Map<string, Shape>>();

  /** Adds types; a name defined twice is a programming error. */
  define(...types: TypeDef[]): this {
    for (const t of types) {
      if (this.byName.has(t.name)) throw new Error(`type ${t.name} is defined twice`);
      this.byName.set(t.name, t);
      if (t.gvk) this.byGvk.set(gvkKey(t.gvk.group, t.gvk.version, t.gvk.kind), t);
    }
    return this;
  }

  /** The type of that name; throws when it is not described (a programming error). */
  type(name: string): TypeDef {
    const t = this.byName.get(name);
    if (!t) throw new Error(`type ${name} is not described`);
    return t;
  }

  /**
   * The shapes of a type's fields by JSON name, built once per type. Inline members are flattened:
   * their own fields appear in place of the member, as they do in JSON.
   */
  fieldShapes(name: string): Map<string, Shape> {
    let m = this.shapes.get(name);
    if (!m) {
      m = new Map();
      for (const f of this.jsonFields(name)) m.set(f.name, f.shape);
      this.shapes.set(name, m);
    }
    return m;
  }

  /** A type's fields as JSON sees them: inline members replaced by their own (flattened) fields. */
  jsonFields(name: string): Field[] {
    const out: Field[] = [];
    for (const f of this.type(name).fields) {
      if (f.inline && f.shape.kind === 'ref') out.push(...this.jsonFields(f.shape.type));
      else out.push(f);
    }
    return out;
  }

  /** The top-level type of a kind, if described. */
  kind(group: string, version: string, kind: string): TypeDef | undefined {
    return this.byGvk.get(gvkKey(group, version, kind));
  }

  /** All described types. */
  all(): TypeDef[] {
    return [...this.byName.values()];
  }
}

function gvkKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}
