/** `spec.successPolicy` of Indexed jobs: rules over the succeeded indexes. */
import { parseIntervals, totalIndexes, type Intervals } from './indexes.js';

/** How many indexes of `rule` are among `succeeded`. */
function overlapCount(rule: Intervals, succeeded: Intervals): number {
  let n = 0;
  for (const r of rule) {
    for (const s of succeeded) {
      const overlap = Math.min(r.last, s.last) - Math.max(r.first, s.first) + 1;
      if (overlap > 0) n += overlap;
    }
  }
  return n;
}

/**
 * The message `Matched rules at index <i>` for the first rule the succeeded indexes satisfy: all
 * of `succeededIndexes` (or at least `succeededCount` of them) succeeded, or, without indexes,
 * at least `succeededCount` indexes succeeded.
 */
export function matchSuccessPolicy(policy: any, completions: number, succeeded: Intervals): string | undefined {
  if (!policy || succeeded.length === 0) return undefined;
  const rules: any[] = Array.isArray(policy.rules) ? policy.rules : [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    const count: number | undefined = typeof rule?.succeededCount === 'number' ? rule.succeededCount : undefined;
    if (typeof rule?.succeededIndexes === 'string') {
      const required = parseIntervals(rule.succeededIndexes, completions);
      if (required.length === 0) continue;
      const contains = overlapCount(required, succeeded);
      if (contains === totalIndexes(required) || (count !== undefined && contains >= count)) return `Matched rules at index ${i}`;
    } else if (count !== undefined && totalIndexes(succeeded) >= count) {
      return `Matched rules at index ${i}`;
    }
  }
  return undefined;
}
