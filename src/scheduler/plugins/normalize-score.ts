import { MAX_NODE_SCORE } from '../framework/interfaces.js';

/**
 * Upstream's DefaultNormalizeScore: scales the first `n` scores so the highest becomes
 * `maxPriority` (integer division), reversed (`maxPriority - score`) when `reverse`. When every
 * score is 0 they stay 0, or all become `maxPriority` when reversed.
 */
export function defaultNormalizeScore(scores: Float64Array, n: number, reverse: boolean, maxPriority = MAX_NODE_SCORE): void {
  let max = 0;
  for (let i = 0; i < n; i++) if (scores[i] > max) max = scores[i];
  if (max === 0) {
    if (reverse) scores.fill(maxPriority, 0, n);
    return;
  }
  for (let i = 0; i < n; i++) {
    let s = Math.trunc((maxPriority * scores[i]) / max);
    if (reverse) s = maxPriority - s;
    scores[i] = s;
  }
}
