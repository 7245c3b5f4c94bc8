import type { Shape, TypeDef } from './shapes.js';

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

  /** The shapes of a type's fields by JSON name, built once per type. */
  fieldShapes(name: string): Map<string, Shape> {
    let m = this.shapes.get(name);
    if (!m) {
      m = new Map(this.type(name).fields.map((f) => [f.name, f.shape]));
      this.shapes.set(name, m);
    }
    return m;
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
