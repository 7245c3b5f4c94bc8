/**
 * Node selector terms (`nodeSelectorTerms`, `preferredDuringScheduling…` preferences and the
 * pod's `nodeSelector`), parsed once per pod and matched against node labels and names with
 * upstream's semantics: terms are ORed, requirements within a term ANDed, an empty or invalid
 * term matches nothing, and `matchFields` supports `metadata.name` with In / NotIn.
 */

/** What a matcher sees of a node. */
export interface NodeLabels {
  name: string;
  labels: Record<string, string>;
}

type Op = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

interface Requirement {
  key: string;
  op: Op;
  values: readonly string[];
  /** Gt / Lt bound. */
  bound: number;
}

const INTEGER = /^[+-]?[0-9]+$/;

function parseExpression(e: any): Requirement | null {
  if (!e || typeof e.key !== 'string') return null;
  const values: string[] = Array.isArray(e.values) ? e.values.map(String) : [];
  const op = e.operator as Op;
  switch (op) {
    case 'In': case 'NotIn':
      return values.length > 0 ? { key: e.key, op, values, bound: 0 } : null;
    case 'Exists': case 'DoesNotExist':
      return values.length === 0 ? { key: e.key, op, values, bound: 0 } : null;
    case 'Gt': case 'Lt':
      return values.length === 1 && INTEGER.test(values[0]) ? { key: e.key, op, values, bound: Number(values[0]) } : null;
    default:
      return null;
  }
}

function parseField(f: any): Requirement | null {
  if (!f || f.key !== 'metadata.name') return null;
  const values: string[] = Array.isArray(f.values) ? f.values.map(String) : [];
  if ((f.operator === 'In' || f.operator === 'NotIn') && values.length === 1) return { key: f.key, op: f.operator, values, bound: 0 };
  return null;
}

function matchesLabel(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.op) {
    case 'In': return has && r.values.includes(labels[r.key]);
    case 'NotIn': return !has || !r.values.includes(labels[r.key]);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'Gt': case 'Lt': {
      if (!has || !INTEGER.test(labels[r.key])) return false;
      const v = Number(labels[r.key]);
      return r.op === 'Gt' ? v > r.bound : v < r.bound;
    }
  }
}

/** One parsed term; `null` from {@link parseTerm} when the term is empty or invalid. */
export class SelectorTerm {
  constructor(private readonly exprs: Requirement[], private readonly fields: Requirement[]) {}

  matches(node: NodeLabels): boolean {
    for (const r of this.exprs) if (!matchesLabel(r, node.labels)) return false;
    for (const f of this.fields) {
      const eq = node.name === f.values[0];
      if (f.op === 'In' ? !eq : eq) return false;
    }
    return true;
  }
}

/** Parses a NodeSelectorTerm; null when it is empty (matches nothing) or invalid. */
export function parseTerm(term: any): SelectorTerm | null {
  const rawExprs: any[] = Array.isArray(term?.matchExpressions) ? term.matchExpressions : [];
  const rawFields: any[] = Array.isArray(term?.matchFields) ? term.matchFields : [];
  if (rawExprs.length === 0 && rawFields.length === 0) return null;
  const exprs: Requirement[] = [];
  const fields: Requirement[] = [];
  for (const e of rawExprs) {
    const r = parseExpression(e);
    if (!r) return null;
    exprs.push(r);
  }
  for (const f of rawFields) {
    const r = parseField(f);
    if (!r) return null;
    fields.push(r);
  }
  return new SelectorTerm(exprs, fields);
}

/**
 * The pod's hard node constraints: `spec.nodeSelector` (every pair must be a node label) and
 * `requiredDuringSchedulingIgnoredDuringExecution` (some term must match).
 */
export class RequiredNodeAffinity {
  private readonly selector: [string, string][] | null;
  /** Null when the pod has no required node affinity. */
  private readonly terms: SelectorTerm[] | null;

  constructor(pod: { spec?: any }) {
    const sel = pod.spec?.nodeSelector;
    this.selector = sel && typeof sel === 'object' ? Object.entries(sel).map(([k, v]) => [k, String(v)]) : null;
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (required) {
      const terms: SelectorTerm[] = [];
      for (const t of Array.isArray(required.nodeSelectorTerms) ? required.nodeSelectorTerms : []) {
        const parsed = parseTerm(t);
        if (parsed) terms.push(parsed);
      }
      this.terms = terms;
    } else {
      this.terms = null;
    }
  }

  /** True when the pod constrains nodes at all. */
  get constrains(): boolean {
    return this.selector !== null || this.terms !== null;
  }

  matches(node: NodeLabels): boolean {
    if (this.selector) {
      for (const [k, v] of this.selector) if (node.labels[k] !== v) return false;
    }
    if (this.terms) {
      for (const t of this.terms) if (t.matches(node)) return true;
      return false;
    }
    return true;
  }
}

/** The pod's weighted preferences (`preferredDuringSchedulingIgnoredDuringExecution`). */
export class PreferredNodeAffinity {
  private constructor(private readonly terms: { weight: number; term: SelectorTerm }[]) {}

  /** Null when the pod has no usable preference (weight 0 and empty terms are dropped). */
  static of(pod: { spec?: any }): PreferredNodeAffinity | null {
    const raw = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    if (!Array.isArray(raw)) return null;
    const terms: { weight: number; term: SelectorTerm }[] = [];
    for (const p of raw) {
      const weight = Number(p?.weight ?? 0);
      if (!weight) continue;
      const term = parseTerm(p?.preference);
      if (term) terms.push({ weight, term });
    }
    return terms.length ? new PreferredNodeAffinity(terms) : null;
  }

  /** The sum of the weights of the terms the node matches. */
  score(node: NodeLabels): number {
    let sum = 0;
    for (const t of this.terms) if (t.term.matches(node)) sum += t.weight;
    return sum;
  }
}

/**
 * The node names that `requiredDuringScheduling…` terms pin the pod to through
 * `matchFields: metadata.name In`: undefined when some term does not name nodes (all nodes
 * are eligible), otherwise the union over terms of each term's intersection.
 */
export function nodeNamesFromAffinity(pod: { spec?: any }): Set<string> | undefined {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!Array.isArray(terms) || terms.length === 0) return undefined;
  let union: Set<string> | undefined;
  for (const t of terms) {
    let names: Set<string> | undefined;
    for (const f of Array.isArray(t?.matchFields) ? t.matchFields : []) {
      if (f?.key !== 'metadata.name' || f?.operator !== 'In') continue;
      const s = new Set<string>((f.values ?? []).map(String));
      names = names ? new Set([...names].filter((n) => s.has(n))) : s;
    }
    if (!names) return undefined;
    union ??= new Set();
    for (const n of names) union.add(n);
  }
  return union;
}
