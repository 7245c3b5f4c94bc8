/**
 * Completion indexes of Indexed jobs: the compressed interval lists of `status.completedIndexes`
 * (`1,3-5,7`), a pod's index annotation, and which indexes still need a pod.
 */
import type { KubeObject } from '../../client/object.js';
import { COMPLETION_INDEX_ANNOTATION } from './constants.js';

/** An inclusive range of indexes. */
export interface Interval {
  first: number;
  last: number;
}

/** Sorted, non-overlapping, non-adjacent intervals. */
export type Intervals = Interval[];

/** The pod's completion index, or -1 when missing or not a non-negative integer. */
export function completionIndex(pod: KubeObject): number {
  const v = pod.metadata.annotations?.[COMPLETION_INDEX_ANNOTATION];
  if (v === undefined || !/^[+-]?[0-9]+$/.test(v)) return -1;
  const n = Number(v);
  return n < 0 || !Number.isSafeInteger(n) ? -1 : n;
}

/** The number of indexes covered. */
export const totalIndexes = (iv: Intervals): number => iv.reduce((n, i) => n + i.last - i.first + 1, 0);

/** Whether `ix` is covered. */
export const hasIndex = (iv: Intervals, ix: number): boolean => iv.some((i) => i.first <= ix && ix <= i.last);

/** The `status.completedIndexes` form: `0,2-4,6` (two adjacent indexes are written `5,6`). */
export function formatIntervals(iv: Intervals): string {
  return iv.map((i) => (i.last === i.first ? `${i.first}` : `${i.first}${i.last === i.first + 1 ? ',' : '-'}${i.last}`)).join(',');
}

/** Merges indexes given in increasing order into the intervals (a new list). */
export function withOrderedIndexes(iv: Intervals, indexes: number[]): Intervals {
  const out: Intervals = [];
  const push = (next: Interval) => {
    const last = out[out.length - 1];
    if (!last || next.first > last.last + 1) out.push({ ...next });
    else if (last.last < next.last) last.last = next.last;
  };
  let i = 0;
  let j = 0;
  while (i < iv.length && j < indexes.length) {
    if (iv[i].first < indexes[j]) push(iv[i++]);
    else push({ first: indexes[j], last: indexes[j++] });
  }
  while (i < iv.length) push(iv[i++]);
  while (j < indexes.length) push({ first: indexes[j], last: indexes[j++] });
  return out;
}

/** Parses `status.completedIndexes`, ignoring corrupt parts and clipping to `completions`. */
export function parseIntervals(text: string | undefined, completions: number): Intervals {
  if (!text) return [];
  const out: Intervals = [];
  for (const part of text.split(',')) {
    const limits = part.split('-');
    const first = Number.parseInt(limits[0], 10);
    if (!/^[+-]?[0-9]+$/.test(limits[0])) continue;
    if (first >= completions) break;
    let last = first;
    if (limits.length > 1) {
      if (!/^[+-]?[0-9]+$/.test(limits[1])) continue;
      last = Math.min(Number.parseInt(limits[1], 10), completions - 1);
    }
    const prev = out[out.length - 1];
    if (prev && prev.last === first - 1) prev.last = last;
    else out.push({ first, last });
  }
  return out;
}

/**
 * The first `count` indexes below `completions` that neither succeeded nor have an active pod.
 */
export function firstPendingIndexes(activePods: KubeObject[], succeeded: Intervals, count: number, completions: number): number[] {
  if (count === 0) return [];
  const active = [...new Set(activePods.map(completionIndex).filter((ix) => ix >= 0))].sort((a, b) => a - b);
  const busy = withOrderedIndexes(succeeded, active);
  const out: number[] = [];
  let candidate = 0;
  for (const iv of busy) {
    for (; candidate < completions && out.length < count && candidate < iv.first; candidate++) out.push(candidate);
    if (candidate < iv.last + 1) candidate = iv.last + 1;
  }
  for (; candidate < completions && out.length < count; candidate++) out.push(candidate);
  return out;
}

/**
 * Splits active pods of an Indexed job into those to remove (no index, an index out of range,
 * or all but one of the pods sharing an index: the one kept is last in `order`) and the rest.
 */
export function duplicatedIndexPodsForRemoval(pods: KubeObject[], completions: number, order: (a: KubeObject, b: KubeObject) => number): { rm: KubeObject[]; left: KubeObject[] } {
  const rm: KubeObject[] = [];
  const left: KubeObject[] = [];
  const byIndex = new Map<number, KubeObject[]>();
  for (const p of pods) {
    const ix = completionIndex(p);
    if (ix < 0 || ix >= completions) rm.push(p);
    else byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
  }
  for (const ix of [...byIndex.keys()].sort((a, b) => a - b)) {
    const group = [...byIndex.get(ix)!].sort(order);
    rm.push(...group.slice(0, -1));
    left.push(group[group.length - 1]);
  }
  return { rm, left };
}
