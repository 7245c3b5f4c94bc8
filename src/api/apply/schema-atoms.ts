/**
 * The schema registry's shapes read the way structured-merge-diff reads upstream's OpenAPI: every
 * value is a scalar, a struct (fields by name), a map (`map[string]X`), a list, or an untyped
 * value whose form is deduced from the data. This decides how server-side apply merges a field
 * and at which depth a manager owns it:
 *
 * - lists: `listType` atomic / set / map as declared; without one, a list with a patch merge key is
 *   keyed by it, a `merge` list without a key is a set, and anything else is atomic;
 * - maps and structs are granular (per-key ownership) except the ones upstream marks atomic
 *   (`+structType=atomic`, `+mapType=atomic`), listed here because shapes do not carry that mark;
 * - `Quantity`, `IntOrString` and times are untyped scalars; `RawExtension` is one atomic value;
 *   `FieldsV1` is deduced (maps granular, lists atomic).
 */
import type { SchemaRegistry } from '../schema/registry.js';
import type { Shape } from '../schema/shapes.js';
import type { Json } from './go-format.js';

/** The scalar kinds upstream's schemas distinguish. */
export type ScalarKind = 'numeric' | 'string' | 'boolean' | 'untyped';

/** A struct: declared fields by JSON name. */
export interface StructAtom {
  kind: 'struct';
  name: string;
  atomic: boolean;
  /** Field shapes with the type that declares each (inline members flattened). */
  shapes: Map<string, { shape: Shape; owner: string }>;
  /** Resolved field atoms, filled on demand. */
  resolved: Map<string, Atom>;
}

/** How a value is read. */
export type Atom =
  | { kind: 'scalar'; scalar: ScalarKind }
  | StructAtom
  | { kind: 'map'; value: Atom; atomic: boolean }
  | { kind: 'list'; item: Atom; associative: boolean; keys: string[]; keyDefaults: Record<string, Json> }
  | { kind: 'deduced' }
  | { kind: 'untyped' };

const API = 'io.k8s.api';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** Struct types upstream declares atomic (`+structType=atomic`): owned and replaced as a whole. */
const ATOMIC_STRUCTS = new Set([
  `${META}.LabelSelector`, `${META}.OwnerReference`,
  ...['SecretReference', 'ObjectFieldSelector', 'ResourceFieldSelector', 'ConfigMapKeySelector', 'SecretKeySelector',
    'NodeSelector', 'NodeSelectorTerm', 'TopologySelectorTerm', 'EndpointAddress', 'EndpointPort', 'ObjectReference',
    'LocalObjectReference', 'TypedLocalObjectReference', 'ScopeSelector'].map((t) => `${API}.core.v1.${t}`),
  `${API}.autoscaling.v1.CrossVersionObjectReference`,
  `${API}.discovery.v1.EndpointPort`,
  `${API}.networking.v1.ServiceBackendPort`,
  `${API}.rbac.v1.Subject`, `${API}.rbac.v1.RoleRef`,
  ...['ParamKind', 'Variable', 'ParamRef', 'MatchResources', 'NamedRuleWithOperations'].map((t) => `${API}.admissionregistration.v1.${t}`),
]);

/** Map fields upstream declares atomic (`+mapType=atomic`), as `<type>.<field>`. */
const ATOMIC_MAP_FIELDS = new Set([
  `${API}.core.v1.PodSpec.nodeSelector`,
  `${API}.core.v1.ReplicationControllerSpec.selector`,
  `${API}.core.v1.ServiceSpec.selector`,
  `${API}.node.v1.Scheduling.nodeSelector`,
]);

/** Defaults of list-map key fields (`+default=`): an item that omits one is keyed by the default. */
const KEY_DEFAULTS: Record<string, Record<string, Json>> = {
  [`${API}.core.v1.ContainerPort`]: { protocol: 'TCP' },
  [`${API}.core.v1.ServicePort`]: { protocol: 'TCP' },
};

const DEDUCED: Atom = { kind: 'deduced' };
const UNTYPED: Atom = { kind: 'untyped' };

/** Atoms of the types of one schema registry, built on demand and kept. */
export class TypeSchema {
  private readonly structs = new Map<string, StructAtom>();
  private readonly roots = new Map<string, StructAtom>();

  constructor(readonly registry: SchemaRegistry) {}

  /** The atom of a top-level kind: its struct, plus `apiVersion` and `kind`. */
  root(typeName: string): StructAtom {
    let r = this.roots.get(typeName);
    if (!r) {
      const s = this.struct(typeName);
      const shapes = new Map(s.shapes);
      for (const f of ['apiVersion', 'kind']) if (!shapes.has(f)) shapes.set(f, { shape: { kind: 'string' }, owner: typeName });
      r = { kind: 'struct', name: typeName, atomic: s.atomic, shapes, resolved: new Map() };
      this.roots.set(typeName, r);
    }
    return r;
  }

  /** The atom of a struct type. */
  struct(typeName: string): StructAtom {
    let s = this.structs.get(typeName);
    if (!s) {
      s = { kind: 'struct', name: typeName, atomic: ATOMIC_STRUCTS.has(typeName), shapes: new Map(), resolved: new Map() };
      this.structs.set(typeName, s);
      this.collectFields(typeName, s.shapes);
    }
    return s;
  }

  private collectFields(typeName: string, into: Map<string, { shape: Shape; owner: string }>): void {
    for (const f of this.registry.type(typeName).fields) {
      if (f.inline && f.shape.kind === 'ref') this.collectFields(f.shape.type, into);
      else into.set(f.name, { shape: f.shape, owner: typeName });
    }
  }

  /** The atom of a struct's field; undefined when the struct does not declare it. */
  field(s: StructAtom, name: string): Atom | undefined {
    let a = s.resolved.get(name);
    if (a) return a;
    const decl = s.shapes.get(name);
    if (!decl) return undefined;
    a = this.atom(decl.shape, `${decl.owner}.${name}`);
    s.resolved.set(name, a);
    return a;
  }

  /** The atom of a shape; `site` (`<type>.<field>`) names where it is declared. */
  atom(shape: Shape, site = ''): Atom {
    switch (shape.kind) {
      case 'string':
      case 'bytes':
        return { kind: 'scalar', scalar: 'string' };
      case 'bool':
        return { kind: 'scalar', scalar: 'boolean' };
      case 'int32':
      case 'int64':
      case 'double':
        return { kind: 'scalar', scalar: 'numeric' };
      case 'time':
      case 'microTime':
      case 'quantity':
      case 'intOrString':
        return { kind: 'scalar', scalar: 'untyped' };
      case 'rawExtension':
        return UNTYPED;
      case 'rawJson':
        return DEDUCED;
      case 'map':
        return { kind: 'map', value: this.atom(shape.value), atomic: ATOMIC_MAP_FIELDS.has(site) };
      case 'ref':
        return this.struct(shape.type);
      case 'list': {
        const item = this.atom(shape.item);
        const itemType = shape.item.kind === 'ref' ? shape.item.type : '';
        const keyDefaults = KEY_DEFAULTS[itemType] ?? {};
        if (shape.listType === 'atomic') return { kind: 'list', item, associative: false, keys: [], keyDefaults };
        if (shape.listType === 'set') return { kind: 'list', item, associative: true, keys: [], keyDefaults };
        if (shape.listType === 'map') return { kind: 'list', item, associative: true, keys: shape.listMapKeys ?? [], keyDefaults };
        const strategy = shape.patchStrategy ?? '';
        if (strategy === 'merge' || strategy === 'merge,retainKeys') {
          return { kind: 'list', item, associative: true, keys: shape.patchMergeKey ? [shape.patchMergeKey] : [], keyDefaults };
        }
        return { kind: 'list', item, associative: false, keys: [], keyDefaults };
      }
    }
  }
}

/** The kind of a JSON value as structured-merge-diff tells them apart. */
export function valueKind(v: Json | undefined): 'absent' | 'null' | 'map' | 'list' | 'scalar' {
  if (v === undefined) return 'absent';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v === 'object' ? 'map' : 'scalar';
}

/**
 * The atom that applies to `v`: untyped and deduced atoms take the form of the value (a list is
 * always atomic; a map is granular when deduced, atomic when untyped).
 */
export function deduce(atom: Atom, v: Json | undefined): Atom {
  if (atom.kind !== 'deduced' && atom.kind !== 'untyped') return atom;
  const k = valueKind(v);
  if (k === 'scalar') return { kind: 'scalar', scalar: 'untyped' };
  if (k === 'list') return { kind: 'list', item: UNTYPED, associative: false, keys: [], keyDefaults: {} };
  return { kind: 'map', value: atom.kind === 'deduced' ? DEDUCED : UNTYPED, atomic: atom.kind === 'untyped' };
}
