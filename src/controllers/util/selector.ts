import type { LabelSelector } from './types.js';

/** A label selector ready to test label sets. */
export interface SelectorMatcher {
  /** True for the selector that selects everything (`{}`). */
  readonly empty: boolean;
  matches(labels: Record<string, string> | undefined): boolean;
}

const NOTHING: SelectorMatcher = { empty: false, matches: () => false };
const EVERYTHING: SelectorMatcher = { empty: true, matches: () => true };

type Test = (labels: Record<string, string>) => boolean;

function requirement(key: string, operator: string, values: string[]): Test {
  const has = (l: Record<string, string>) => Object.prototype.hasOwnProperty.call(l, key);
  switch (operator) {
    case 'In': return (l) => has(l) && values.includes(l[key]);
    case 'NotIn': return (l) => !has(l) || !values.includes(l[key]);
    case 'Exists': return has;
    case 'DoesNotExist': return (l) => !has(l);
    default: throw new Error(`${JSON.stringify(operator)} is not a valid label selector operator`);
  }
}

/**
 * Turns a metav1.LabelSelector into a matcher with upstream's `LabelSelectorAsSelector` meaning:
 * a missing selector matches nothing, an empty one matches everything. Throws on an unknown operator.
 */
export function selectorMatcher(sel: LabelSelector | null | undefined): SelectorMatcher {
  if (!sel) return NOTHING;
  const tests: Test[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) tests.push(requirement(k, 'In', [v]));
  for (const e of sel.matchExpressions ?? []) tests.push(requirement(e.key, e.operator, e.values ?? []));
  if (tests.length === 0) return EVERYTHING;
  return { empty: false, matches: (labels) => tests.every((t) => t(labels ?? {})) };
}

/** True when every key/value of `subset` is in `labels` (`labels.Set(subset).AsSelector().Matches`). */
export function labelsContain(labels: Record<string, string> | undefined, subset: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return Object.entries(subset ?? {}).every(([k, v]) => Object.prototype.hasOwnProperty.call(l, k) && l[k] === v);
}
