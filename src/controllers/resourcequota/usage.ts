/**
 * Quota usage and the status a quota should have (`quota.CalculateUsage`,
 * `generic.CalculateUsageStats` and the controller's `syncResourceQuota`).
 */
import type { KubeObject } from '../../client/index.js';
import type { Evaluator } from './evaluators.js';
import type { ScopeRequirement } from './pod-usage.js';
import { zero } from './quantity.js';
import { addLists, listsEqual, mask, parseResourceList, resourceListJson, type ResourceList } from './resource-list.js';

/** Lists the objects an evaluator counts in a namespace; throws when its cache is not ready. */
export type Lister = (evaluator: Evaluator, namespace: string) => KubeObject[];

/** The scopes of a quota: `spec.scopes` (as Exists requirements) and `spec.scopeSelector`. */
function scopesOf(quota: KubeObject): { scopes: ScopeRequirement[]; selector: ScopeRequirement[] } {
  return {
    scopes: (quota.spec?.scopes ?? []).map((s: string) => ({ scopeName: s })),
    selector: quota.spec?.scopeSelector?.matchExpressions ?? [],
  };
}

/** Usage of `resources` by the objects of one evaluator; every tracked resource starts at zero. */
function usageStats(ev: Evaluator, items: KubeObject[], resources: string[], quota: KubeObject, now: number): ResourceList {
  let used: ResourceList = new Map(resources.map((r) => [r, zero()]));
  const { scopes, selector } = scopesOf(quota);
  for (const item of items) {
    const matches = scopes.every((s) => ev.matchesScope(s, item)) && selector.every((s) => ev.matchesScope(s, item));
    if (matches) used = addLists(used, ev.usage(item, now));
  }
  return used;
}

/**
 * The usage a quota's hard limits ask about, from every evaluator matching them; resources of
 * an evaluator that could not list are left out and its error reported.
 */
export function calculateUsage(quota: KubeObject, hard: ResourceList, evaluators: Evaluator[], list: Lister, now: number): { usage: ResourceList; errors: string[] } {
  const hardNames = [...hard.keys()];
  const potential = new Set(evaluators.flatMap((e) => e.matchingResources(hardNames)));
  let matched = hardNames.filter((n) => potential.has(n));
  const errors: string[] = [];
  let usage: ResourceList = new Map();
  for (const ev of evaluators) {
    const resources = ev.matchingResources(matched);
    if (resources.length === 0) continue;
    let items: KubeObject[];
    try {
      items = list(ev, quota.metadata.namespace ?? '');
    } catch (err) {
      errors.push(`failed to list content: ${(err as Error)?.message ?? err}`);
      matched = matched.filter((n) => !resources.includes(n));
      continue;
    }
    usage = addLists(usage, usageStats(ev, items, resources, quota, now));
  }
  return { usage: mask(usage, matched), errors };
}

/** The status a quota should have, whether it differs from its current one, and usage errors. */
export interface QuotaStatusUpdate {
  status: { hard: Record<string, string>; used: Record<string, string> };
  dirty: boolean;
  errors: string[];
}

/**
 * The quota's new status: `hard` mirrors `spec.hard`, `used` keeps earlier observations for what
 * could not be computed and holds only resources with a hard limit. Dirty when hard changed, the
 * status was never written, or usage moved.
 */
export function quotaStatus(quota: KubeObject, evaluators: Evaluator[], list: Lister, now: number): QuotaStatusUpdate {
  const hard = parseResourceList(quota.spec?.hard);
  const statusHard = quota.status?.hard;
  const statusUsed = quota.status?.used;
  let dirty = !listsEqual(hard, parseResourceList(statusHard)) || statusHard == null || statusUsed == null;
  const previous = parseResourceList(statusUsed);
  const { usage, errors } = calculateUsage(quota, hard, evaluators, list, now);
  const used = new Map(previous);
  for (const [k, q] of usage) used.set(k, q);
  const masked = mask(used, hard.keys());
  dirty = dirty || !listsEqual(masked, previous);
  return { status: { hard: resourceListJson(hard), used: resourceListJson(masked) }, dirty, errors };
}
